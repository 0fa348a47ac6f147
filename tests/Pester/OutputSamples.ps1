# One real object of every GoNetTools output type, made by the cmdlet that outputs it. Dot-source this file and
# call Get-GoNetToolsOutputSample: the serialization specs run it in this process and inside a job, and compare.
# Fixture-driven where the module allows (tuning and NIC trees copied to a temp folder, the committed pcap);
# live only on loopback (a listener, a capture of a port nobody uses, a lab GOPROXY). Needs Linux and root, as CI.

function Get-GoNetToolsOutputSample {
    [CmdletBinding()]
    param(
        # tests/fixtures of this repository.
        [Parameter(Mandatory)] [string] $Fixtures,
        # A private temp folder: fixture copies and the capture file go there.
        [Parameter(Mandatory)] [string] $WorkDir
    )
    $ErrorActionPreference = 'Stop'
    $samples = [ordered]@{}
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try {
        $port = $listener.LocalEndpoint.Port
        $samples['GoNetTools.TcpConnection'] = Get-TcpConnection -State Listen -LocalPort $port
        $samples['GoNetTools.TcpStateSample'] = Watch-TcpState -Interval '250ms' -Duration '600ms' -RemotePort $port | Select-Object -First 1
        $samples['GoNetTools.TcpPortBudget'] = Get-TcpPortBudget -RemotePort $port
        $samples['GoNetTools.TcpStatistic'] = Get-TcpStatistic
    }
    finally { $listener.Stop() }

    $tuningRoot = Join-Path $WorkDir 'tuning-root'
    Copy-Item -Recurse (Join-Path $Fixtures 'tuning/linux-root') $tuningRoot
    $global:GoNetToolsSystemRoot = $tuningRoot
    $global:GoNetToolsConfigRoot = $tuningRoot
    try {
        $samples['GoNetTools.TcpTunable'] = Get-TcpTuning -Name TimeWaitReuse -Profile GoDev
        Set-Content (Join-Path $tuningRoot 'etc/sysctl.d/99-legacy.conf') "# old advice`nnet.ipv4.tcp_tw_recycle = 1"
        $samples['GoNetTools.TcpTuningFinding'] = Test-TcpTuning | Select-Object -First 1
        $samples['GoNetTools.TcpTuningChange'] = Set-TcpTuning -Name TimeWaitReuse -Value 1 -Confirm:$false -PassThru
        $samples['GoNetTools.TcpTuningBackup'] = Get-TcpTuningBackup | Select-Object -First 1

        # cp -a keeps the sysfs symlinks that Copy-Item would flatten.
        & cp -a (Join-Path $Fixtures 'nic/vm') (Join-Path $WorkDir 'nic-vm')
        $global:GoNetToolsSystemRoot = Join-Path $WorkDir 'nic-vm'
        $samples['GoNetTools.NicAdapter'] = Get-NicAdapter -Name ens3
        $samples['GoNetTools.NicQueue'] = Get-NicQueue -Adapter ens3 | Select-Object -First 1
        $samples['GoNetTools.NicInterrupt'] = Get-NicInterrupt -Adapter ens3 | Select-Object -First 1

        & cp -a (Join-Path $Fixtures 'workstation/linux/throttling-laptop') (Join-Path $WorkDir 'laptop')
        $global:GoNetToolsSystemRoot = Join-Path $WorkDir 'laptop'
        $samples['GoNetTools.WorkstationReport'] = Test-GoWorkstation -NoProbe
    }
    finally {
        Remove-Variable -Scope Global -Name GoNetToolsSystemRoot, GoNetToolsConfigRoot -ErrorAction Ignore
    }

    $pcap = Join-Path $Fixtures 'pcap/goproxy-tls-h2c.pcap'
    $samples['GoNetTools.TcpFlow'] = Get-TcpFlow -Path $pcap | Select-Object -First 1
    $samples['GoNetTools.TlsHandshake'] = Get-TlsHandshake -Path $pcap | Select-Object -First 1
    $samples['GoNetTools.Http2Frame'] = Get-Http2Frame -Path $pcap | Where-Object Type -EQ 'GoAway' | Select-Object -First 1
    $samples['GoNetTools.CaptureSummary'] = Measure-PacketCapture -Path $pcap

    $session = Start-PacketCapture -Adapter lo -Filter 'udp port 9' -Path (Join-Path $WorkDir 'sample.pcap')
    $samples['GoNetTools.CaptureSession'] = $session | Stop-PacketCapture

    $lab = Start-GoProxyLab -SyntheticModules 2
    try {
        $samples['GoNetTools.GoProxyLab'] = Get-GoProxyLab -Id $lab.Id
        $run = @(Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 1 -Concurrency 2 -SkipCertificateCheck -PassThru)
        $samples['GoNetTools.GoProxyStabilityResult'] = $run | Where-Object { $_.PSObject.TypeNames[0] -eq 'GoNetTools.GoProxyStabilityResult' }
        $samples['GoNetTools.GoProxyConnection'] = $run | Where-Object { $_.PSObject.TypeNames[0] -eq 'GoNetTools.GoProxyConnection' } | Select-Object -First 1
        $samples['GoNetTools.GoProxyComparison'] = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Compare -Rounds 1 -SkipCertificateCheck
        $samples['GoNetTools.GoModDownloadMeasurement'] = $lab | Measure-GoModDownload
        $samples['GoNetTools.ReportFile'] = $run | Export-GoNetReport -Path (Join-Path $WorkDir 'report.html') -PassThru
        $samples['GoNetTools.MetricsFile'] = $run | Export-GoNetMetric -Path (Join-Path $WorkDir 'metrics.prom') -PassThru
    }
    finally { $lab | Stop-GoProxyLab }

    # Live and short: one cold hello-world build; the network under a download load (its own lab) for 3 s per phase.
    $samples['GoNetTools.GoBuildMeasurement'] = Measure-GoBuild -Count 1
    $samples['GoNetTools.NetworkLoadResult'] = Test-NetworkUnderLoad -Load Download -Duration 3 -Windows 3
    $samples
}
