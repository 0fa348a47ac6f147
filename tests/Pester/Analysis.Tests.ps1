#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance spec for the capture-analysis cmdlets: Get-TcpFlow, Get-TlsHandshake, Get-Http2Frame,
# Measure-PacketCapture. Reads the committed fixture tests/fixtures/pcap/goproxy-tls-h2c.pcap: three TLS 1.3
# connections (proxy.golang.org x2, sum.golang.org; the client closes first) and one cleartext HTTP/2
# connection on port 8080 (3 requests, RST_STREAM INTERNAL_ERROR on stream 3, GOAWAY NO_ERROR last=5; the
# server closes first).

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $script:Fixture = Join-Path $PSScriptRoot '../fixtures/pcap/goproxy-tls-h2c.pcap'
}

Describe 'Get-TcpFlow' {
    It 'returns one flow per TCP connection with the SYN sender as client' {
        $flows = @(Get-TcpFlow -Path $script:Fixture)
        $flows.Count | Should -Be 4
        $flows | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'GoNetTools.TcpFlow' }
        ($flows | Where-Object ServerPort -eq 443).Count | Should -Be 3
        $flows | ForEach-Object { $_.ClientAddress | Should -Be '10.0.0.2' }
    }

    It 'names the side that holds TIME_WAIT' {
        $flows = Get-TcpFlow -Path $script:Fixture
        @($flows | Where-Object TimeWaitHolder -eq 'Client').Count | Should -Be 3
        ($flows | Where-Object ServerPort -eq 8080).TimeWaitHolder | Should -Be 'Server'
    }

    It 'reports the TLS offer and says TLS 1.3 hides the ALPN choice' {
        $tls = Get-TcpFlow -Path $script:Fixture -ServerPort 443 | Select-Object -First 1
        $tls.TlsVersion | Should -Be 'TLS 1.3'
        $tls.AlpnOffered | Should -Be @('h2', 'http/1.1')
        $tls.AlpnSelected | Should -BeNullOrEmpty
        $tls.AlpnNote | Should -Match 'encrypted'
    }

    It 'summarises cleartext HTTP/2 endings on the flow' {
        $h2 = Get-TcpFlow -Path $script:Fixture -ServerPort 8080
        $h2.Protocol | Should -Be 'Http2'
        $h2.Http2Streams | Should -Be 3
        $h2.GoAway.LastStreamId | Should -Be 5
        $h2.GoAway.ErrorCode | Should -Be 'NoError'
        $h2.RstStreams[0].ErrorCode | Should -Be 'InternalError'
    }

    It 'takes files from Get-ChildItem' {
        $dir = Split-Path $script:Fixture
        @(Get-ChildItem $dir -Filter 'goproxy-*.pcap' | Get-TcpFlow).Count | Should -Be 4
    }

    It 'resolves relative -LiteralPath against the current location' {
        Push-Location (Split-Path $script:Fixture)
        try {
            @(Get-TcpFlow -LiteralPath 'goproxy-tls-h2c.pcap').Count | Should -Be 4
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'Get-TlsHandshake' {
    It 'returns each ClientHello with SNI and offered ALPN' {
        $hellos = @(Get-TlsHandshake -Path $script:Fixture)
        $hellos.Count | Should -Be 3
        ($hellos | Group-Object Sni | Where-Object Name -eq 'proxy.golang.org').Count | Should -Be 2
        $hellos | ForEach-Object { $_.OfferedVersions | Should -Contain 'TLS 1.3' }
        $hellos | ForEach-Object { $_.HandshakeDuration | Should -Not -BeNullOrEmpty }
    }

    It 'filters by SNI with wildcards' {
        @(Get-TlsHandshake -Path $script:Fixture -Sni 'sum.*').Count | Should -Be 1
    }
}

Describe 'Get-Http2Frame' {
    It 'decodes GOAWAY and RST_STREAM' {
        $goAway = Get-Http2Frame -Path $script:Fixture -Type GoAway
        $goAway.LastStreamId | Should -Be 5
        $goAway.ErrorCode | Should -Be 'NoError'
        $goAway.DebugData | Should -Be 'max streams'
        (Get-Http2Frame -Path $script:Fixture -Type RstStream).ErrorCode | Should -Be 'InternalError'
    }

    It 'decodes SETTINGS by name' {
        $settings = Get-Http2Frame -Path $script:Fixture -Type Settings | Where-Object Direction -eq 'ServerToClient'
        $settings.Settings[0].Name | Should -Be 'MAX_CONCURRENT_STREAMS'
        $settings.Settings[0].Value | Should -Be 100
    }
}

Describe 'Measure-PacketCapture' {
    BeforeAll {
        $script:Summary = Measure-PacketCapture -Path $script:Fixture
    }

    It 'counts connections, handshakes and TIME_WAIT holders' {
        $script:Summary.PSObject.TypeNames[0] | Should -Be 'GoNetTools.CaptureSummary'
        $script:Summary.Connections | Should -Be 4
        $script:Summary.TlsHandshakes | Should -Be 3
        ($script:Summary.TlsHandshakesBySni | Where-Object Sni -eq 'proxy.golang.org').Count | Should -Be 2
        $script:Summary.TimeWaitOnClient | Should -Be 3
        $script:Summary.TimeWaitOnServer | Should -Be 1
    }

    It 'tallies GOAWAY and RST_STREAM by code and the visible reuse' {
        ($script:Summary.GoAways | Where-Object ErrorCode -eq 'NoError').Count | Should -Be 1
        ($script:Summary.RstStreams | Where-Object ErrorCode -eq 'InternalError').Count | Should -Be 1
        $script:Summary.ConnectionReuse | Should -Be 3
    }

    It 'renders its default view' {
        ($script:Summary | Out-String) | Should -Match 'TIME_WAIT held by'
    }
}

Describe 'Errors and odd files' {
    It 'reports a missing file as CaptureFileNotFound and keeps going' {
        $result = Get-TcpFlow -LiteralPath (Join-Path $TestDrive 'missing.pcap'), $script:Fixture -ErrorVariable problems -ErrorAction SilentlyContinue
        @($result).Count | Should -Be 4
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileNotFound*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a file that is not a capture with InvalidData' {
        $notes = Join-Path $TestDrive 'notes.pcap'
        Set-Content -Path $notes -Value 'not a capture'
        { Measure-PacketCapture -Path $notes -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCaptureFile,GoNetTools.Commands.MeasurePacketCaptureCommand'
    }

    It 'reads a truncated file as far as it goes and warns' {
        $cut = Join-Path $TestDrive 'cut.pcap'
        $bytes = [System.IO.File]::ReadAllBytes($script:Fixture)
        [System.IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 31)])
        $flows = Get-TcpFlow -Path $cut -WarningVariable warned -WarningAction SilentlyContinue
        @($flows).Count | Should -Be 4
        $warned | Should -Match 'truncated'
    }
}
