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
        It 'calls a healthy HTTP/2 lab Stable, one connection per round, 3 requests per module version' {
            $r = Test-GoProxyStability -Lab -Rounds 2 -Pause '0.2s'
            $r.Verdict | Should -Be 'Stable'
            $r.Mode | Should -Be 'Replay'
            $r.Rounds | Should -Be 2
            $r.Connections | Should -Be 2
            $r.NegotiatedProtocol | Should -Be 'h2=2'
            $r.RequestsPerRound | Should -Be (3 * $r.Modules.Count)
            $r.RequestsByKind.Contains('list') | Should -BeFalse
            @($r.Findings | Where-Object Severity -ne 'Info').Count | Should -Be 0
            @(Get-GoProxyLab).Count | Should -Be 0
        }

        It 'counts a churning lab''s TIME_WAIT as the lab''s, not ours' {
            $lab = Start-GoProxyLab -Http1Only -CloseAfterRequests 1
            try {
                $env:SSL_CERT_FILE = $lab.CertificatePath
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 2 -Concurrency 8 -HttpVersion 1.1
                $r.Findings.Code | Should -Contain 'ConnectionChurn'
                $r.Findings.Code | Should -Not -Contain 'TimeWaitGrowth'
                $r.ServerTimeWaitPeak | Should -BeGreaterThan 0
                # Rounds run to their end, so no request is in flight when the lab is read: the counts are equal. (A run
                # cut by -Duration may leave a connection the lab accepted while ours was still being set up.)
                $r.Connections | Should -Be $lab.Statistics.Connections
                ($r.ClosedByServer + $r.ClosedByClient + $r.ClosedAborted) | Should -Be $r.Connections
            }
            finally {
                Remove-Item env:SSL_CERT_FILE -ErrorAction SilentlyContinue
                $lab | Stop-GoProxyLab -Confirm:$false
            }
        }

        It 'calls a repeating GOAWAY budget informational, with the requests per connection' {
            $lab = Start-GoProxyLab -SyntheticModules 20 -GoAwayAfterStreams 100
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 2 -Concurrency 1 -SkipCertificateCheck
                $r.Verdict | Should -Be 'Stable'
                $budget = $r.Findings | Where-Object Code -eq 'GoAwayBudget'
                $budget | Should -Not -BeNullOrEmpty -Because ('the GOAWAYs were: ' + ($r.GoAwayEvents -join '; '))
                $budget.Severity | Should -Be 'Info'
                $budget.Evidence['RequestsPerConnection'] | Should -Be 100
                @($r.GoAwayEvents).Count | Should -Be 2
                # Every GOAWAY the lab wrote while we listened reached us; one it wrote after our FIN (counted apart by
                # the lab) may or may not have: Kestrel writes it as the client closes at the end of a round.
                $stats = $lab.Statistics
                $r.GoAways | Should -BeLessOrEqual $stats.GoAwaysSent
                $r.GoAways | Should -BeGreaterOrEqual ($stats.GoAwaysSent - $stats.GoAwaysAfterClientClosed)
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'calls a reload''s two-step GOAWAY a graceful shutdown, not a budget' {
            $lab = Start-GoProxyLab -SyntheticModules 20 -ReloadAfterRequests 50
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 1 -SkipCertificateCheck
                $r.Findings.Code | Should -Contain 'GoAwayShutdown'
                $r.Findings.Code | Should -Not -Contain 'GoAwayBudget'
                $e = @($r.GoAwayEvents)
                $e.Count | Should -Be 1
                $e[0].Kind | Should -Be 'Shutdown'
                # Kestrel sends the two-step GOAWAY (2^31-1 first) while a stream is open, else one with the last stream
                # (99 after 50 requests), as nginx and Go's server do: either way one reload, not a repeating budget.
                ($e[0].FirstLastStreamId -eq [int]::MaxValue -or ($e[0].Frames -eq 1 -and $e[0].LastStreamId -eq 99)) | Should -BeTrue
                # The reload came with the 50th request; the 51st may have been on its way before the GOAWAY arrived.
                $e[0].RequestsCarried | Should -BeIn @(50, 51)
                $r.Requests | Should -Be $lab.Statistics.Requests
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'calls 20% stream resets Unstable, each failure an RST_STREAM the lab sent' {
            $lab = Start-GoProxyLab -ResetStreamPercent 20
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 2 -Concurrency 2 -SkipCertificateCheck
                $r.Verdict | Should -Be 'Unstable'
                ($r.Findings | Where-Object Code -eq 'StreamResets').Severity | Should -Be 'Error'
                $r.RstStreams | Should -Be $lab.Statistics.RstStreamsSent
                $r.FailuresByType['StreamReset'] | Should -Be $r.RstStreams
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'honours Retry-After' {
            $lab = Start-GoProxyLab -SyntheticModules 20 -TooManyRequestsEvery 40 -RetryAfter '1s'
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 1 -Concurrency 4 -SkipCertificateCheck
                $r.StatusCodes['429'] | Should -Be $lab.Statistics.Throttled
                $lab.Statistics.RequestsDuringRetryAfter | Should -BeLessOrEqual (3 * $lab.Statistics.Throttled)
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'reports a slow TLS handshake' {
            $lab = Start-GoProxyLab -HandshakeDelay '9s'
            try {
                $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Rounds 1 -Concurrency 2 -SkipCertificateCheck
                $r.Findings.Code | Should -Contain 'TlsHandshakeSlow'
                $r.TlsHandshakeP95.TotalSeconds | Should -BeGreaterOrEqual 8.9
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }

        It 'compares HTTP/2 with HTTP/1.1 side by side' {
            $c = Test-GoProxyStability -Lab -Compare -Rounds 1
            $c.PSObject.TypeNames[0] | Should -Be 'GoNetTools.GoProxyComparison'
            $c.Variants.HttpVersion | Should -Be @('2', '1.1')
            $c.Reason | Should -Not -BeNullOrEmpty
        }

        It 'shows the plan with -WhatIf and sends nothing' {
            $lab = Start-GoProxyLab
            try {
                Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -WhatIf | Should -BeNullOrEmpty
                $lab.Statistics.Requests | Should -Be 0
            }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        }
    }

    Context 'bad input' {
        It 'reports an unreachable proxy quickly' {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $took = Measure-Command {
                { Test-GoProxyStability -Proxy "https://127.0.0.1:$port" -Module example.com/m@v1.0.0 -Duration '20s' -ErrorAction Stop } |
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

        It 'refuses <Proxy>, which is no GOPROXY value' -ForEach @(
            @{ Proxy = 'ftp://example.com' }, @{ Proxy = 'not a url' }, @{ Proxy = 'file:///srv/goproxy' }, @{ Proxy = 'direct' }
        ) {
            { Test-GoProxyStability -Proxy $Proxy -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProxy*'
        }
    }
}
