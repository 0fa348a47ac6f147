#Requires -Modules Pester
# Pester 5 acceptance spec for Watch-TcpState, Get-TcpPortBudget and Test-GoProxyStability.
# Traffic stays on loopback: every stability run targets a lab GOPROXY this spec starts.
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $script:FixtureRoot = Join-Path $PSScriptRoot '../fixtures/portbudget/linux'
}

Describe 'Get-TcpPortBudget' {
    Context 'on the recorded Linux fixture' -Skip:(-not $IsLinux) {
        BeforeAll { $GoNetToolsSystemRoot = $script:FixtureRoot }
        AfterAll { Remove-Variable GoNetToolsSystemRoot -ErrorAction SilentlyContinue }

        It 'subtracts reserved ports inside the range' {
            $b = Get-TcpPortBudget
            $b.RangeSize | Should -Be 28232
            $b.ReservedPorts | Should -Be 10
            $b.UsablePorts | Should -Be 28222
        }

        It 'counts the sockets toward one destination by state' {
            $b = Get-TcpPortBudget -RemoteAddress 10.0.0.5 -RemotePort 443
            $b.InUse | Should -Be 5
            $b.TimeWait | Should -Be 3
            $b.InUseByState['CloseWait'] | Should -Be 1
            $b.TimeWaitSeconds | Should -Be 60
            $b.SustainableConnectionsPerSecond | Should -Be ([Math]::Round(28217 / 60, 2))
        }

        It 'refuses an address that is not one' {
            { Get-TcpPortBudget -RemoteAddress 10.0.0.300 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddressFilter*'
        }
    }
}

Describe 'Watch-TcpState' {
    It 'writes one sample per tick until -Duration' -Skip:(-not $IsLinux) {
        $GoNetToolsSystemRoot = $script:FixtureRoot
        $samples = @(Watch-TcpState -Interval 00:00:00.2 -Duration 00:00:00.5 -RemoteAddress 10.0.0.5 -RemotePort 443)
        $samples.Count | Should -Be 3
        $samples[0].TimeWait | Should -Be 3
        $samples[0].TimeWaitGrowthPerSecond | Should -BeNullOrEmpty
        $samples[1].TimeWaitGrowthPerSecond | Should -Be 0
    }

    It 'refuses a zero interval' {
        { Watch-TcpState -Interval 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidInterval*'
    }
}

Describe 'Test-GoProxyStability' {
    Context 'against lab GOPROXYs' {
        It 'calls a healthy HTTP/2 lab Stable with one connection' {
            $r = Test-GoProxyStability -Lab -Duration 00:00:04
            $r.Verdict | Should -Be 'Stable'
            $r.Connections | Should -Be 1
            $r.NegotiatedProtocol | Should -Be 'h2=1'
            @($r.Findings | Where-Object Severity -ne 'Info').Count | Should -Be 0
            @(Get-GoProxyLab).Count | Should -Be 0
        }

        It 'finds churn and TIME_WAIT growth with HTTP/1.1 and Connection: close' {
            $lab = Start-GoProxyLab -Http1Only -CloseAfterRequests 1
            try {
                $env:SSL_CERT_FILE = $lab.CertificatePath
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 00:00:05 -Concurrency 8 -HttpVersion 1.1
                $r.Verdict | Should -Be 'Degraded'
                $r.Findings.Code | Should -Contain 'ConnectionChurn'
                $r.Findings.Code | Should -Contain 'TimeWaitGrowth'
                ($r.Findings | Where-Object Code -eq 'TimeWaitGrowth').Evidence['TimeWaitPeak'] | Should -Be $r.TimeWaitPeak
                $r.Connections | Should -Be $lab.Statistics.Connections
            }
            finally {
                Remove-Item env:SSL_CERT_FILE -ErrorAction SilentlyContinue
                $lab | Stop-GoProxyLab -Confirm:$false
            }
        }

        It 'calls GOAWAY after a stream budget informational' {
            $lab = Start-GoProxyLab -GoAwayAfterStreams 100 -Latency 00:00:00.002
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 00:00:05 -Concurrency 2 -SkipCertificateCheck
                $r.Verdict | Should -Be 'Stable'
                ($r.Findings | Where-Object Code -eq 'GoAwayBudget').Severity | Should -Be 'Info'
                $r.GoAways | Should -BeGreaterOrEqual 2
                # Equal, but for a GOAWAY the lab wrote in the last moment after the client stopped reading.
                $lab.Statistics.GoAwaysSent - $r.GoAways | Should -BeIn @(0, 1, 2)
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'calls 20% stream resets Unstable, with the count the lab sent' {
            $lab = Start-GoProxyLab -ResetStreamPercent 20
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 00:00:04 -Concurrency 2 -SkipCertificateCheck
                $r.Verdict | Should -Be 'Unstable'
                ($r.Findings | Where-Object Code -eq 'StreamResets').Severity | Should -Be 'Error'
                $r.RstStreams | Should -Be $lab.Statistics.RstStreamsSent
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'reports a slow TLS handshake' {
            $lab = Start-GoProxyLab -HandshakeDelay 00:00:09
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 00:00:12 -Concurrency 2 -SkipCertificateCheck
                $r.Findings.Code | Should -Contain 'TlsHandshakeSlow'
                $r.TlsHandshakeP95.TotalSeconds | Should -BeGreaterOrEqual 8.9
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }
    }

    Context 'bad input' {
        It 'reports an unreachable proxy quickly' {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $took = Measure-Command {
                { Test-GoProxyStability -Proxy "https://127.0.0.1:$port" -Module example.com/m -Duration 00:00:20 -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ProxyUnreachable*'
            }
            $took.TotalSeconds | Should -BeLessThan 10
        }

        It 'refuses a go.mod that is not one' {
            Set-Content -Path "$TestDrive/go.mod" -Value 'not a go.mod'
            { Test-GoProxyStability -Proxy https://127.0.0.1:9 -GoMod "$TestDrive/go.mod" -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGoMod*'
        }

        It 'refuses a missing go.mod' {
            { Test-GoProxyStability -Proxy https://127.0.0.1:9 -GoMod "$TestDrive/missing/go.mod" -ErrorAction Stop } | Should -Throw -ErrorId 'GoModNotFound*'
        }

        It 'refuses an unknown adapter' {
            { Test-GoProxyStability -Proxy https://127.0.0.1:9 -Module example.com/m -Adapter no-such-nic0 -ErrorAction Stop } | Should -Throw -ErrorId 'AdapterNotFound*'
        }

        It 'refuses a URL that is not http(s)' {
            { Test-GoProxyStability -Proxy ftp://example.com -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProxy*'
        }
    }
}
