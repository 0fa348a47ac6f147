@{
    RootModule           = 'GoNetTools.Cmdlets.dll'
    # Stamped at build from Directory.Build.props (VersionPrefix); this value is replaced in out/GoNetTools.
    ModuleVersion        = '0.0.0'
    GUID                 = '5f0c7b0e-3c1a-4b6e-9a55-0e9b1d3f6a21'
    Author               = 'GoNetTools contributors'
    CompanyName          = 'GoNetTools'
    Copyright            = '(c) GoNetTools contributors. MIT License.'
    Description          = 'Finds and fixes why Go module downloads through a GOPROXY are slow or unstable: TCP TIME_WAIT and port budgets, HTTP/2 GOAWAY and RST_STREAM, TLS handshakes, NIC queues and interrupts, kernel tunables, packet captures.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('GoNetTools.format.ps1xml')
    TypesToProcess       = @('GoNetTools.types.ps1xml')
    CmdletsToExport      = @(
        'Get-TcpConnection'
        'Get-TcpStatistic'
        'Get-TcpTimeWait'
        # Capture analysis
        'Get-TcpFlow'
        'Get-TlsHandshake'
        'Get-Http2Frame'
        'Measure-PacketCapture'
        'Measure-GoModDownload'
        # tunables
        'Get-TcpTuning'
        'Set-TcpTuning'
        'Test-TcpTuning'
        'Undo-TcpTuning'
        'Get-TcpTuningBackup'
        # Lab GOPROXY
        'Start-GoProxyLab'
        'Get-GoProxyLab'
        'Stop-GoProxyLab'
        # NIC
        'Get-NicAdapter'
        'Get-NicQueue'
        'Get-NicInterrupt'
        'Set-NicInterruptAffinity'
        'Set-NicQueue'
        'Start-PacketCapture'
        'Get-PacketCapture'
        'Stop-PacketCapture'
        # Stability (Watch-TcpState, Get-TcpPortBudget, Test-GoProxyStability)
        'Watch-TcpState'
        'Get-TcpPortBudget'
        'Test-GoProxyStability'
        # Workstation (Test-GoWorkstation, Measure-GoBuild, Test-NetworkUnderLoad)
        'Test-GoWorkstation'
        'Measure-GoBuild'
        'Test-NetworkUnderLoad'
        # Report and metrics
        'ConvertTo-GoNetReport'
        'Export-GoNetReport'
        'ConvertTo-GoNetMetric'
        'Export-GoNetMetric'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Go', 'GOPROXY', 'TCP', 'TIME_WAIT', 'HTTP2', 'Network', 'Linux', 'Windows', 'macOS')
            ProjectUri = ''
        }
    }
}
