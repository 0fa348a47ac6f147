#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance specs for Measure-GoModDownload, for pwsh 7.4+ with Pester 5, run as root (capturing on lo).
# Needs the go tool (golang-go), libpcap and tshark; the contexts that run go are skipped without go.

BeforeDiscovery {
    # -Skip is decided at discovery: skipped only where go or tshark is missing (scripts/setup.sh installs both).
    $script:HasGo = [bool] (Get-Command go -CommandType Application -ErrorAction SilentlyContinue)
    $script:HasTshark = [bool] (Get-Command tshark -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    Set-StrictMode -Version Latest
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/GoNetTools/GoNetTools.psd1'
    Import-Module $script:ModulePath -Force
}

AfterAll {
    Get-GoProxyLab | Stop-GoProxyLab
    Remove-Module GoNetTools -ErrorAction SilentlyContinue
}

Describe 'Measure-GoModDownload' {
    Context 'with a lab started for the run' -Skip:(-not $script:HasGo) {
        BeforeAll {
            $script:pcap = Join-Path $TestDrive 'lab.pcap'
            $script:m = Measure-GoModDownload -Lab -KeepCapture $script:pcap
            $script:port = ([uri] $script:m.Proxy).Port
        }

        It 'downloads the whole lab catalog' {
            $script:m.Succeeded | Should -BeTrue
            $script:m.Modules.Count | Should -Be 16
            $script:m.LabStatistics.RequestsByKind['zip'] | Should -Be 16
        }

        It 'counts the requests the lab served' {
            $script:m.Requests | Should -Be $script:m.LabStatistics.Requests
            $script:m.RequestsPerConnection | Should -Be ([math]::Round($script:m.Requests / $script:m.Connections, 2))
        }

        It 'counts the ClientHellos and connections tshark sees' -Skip:(-not $script:HasTshark) {
            $hellos = @(tshark -n -r $script:pcap -d "tcp.port==$($script:port),tls" -Y 'tls.handshake.type==1')
            $script:m.TlsHandshakes | Should -Be $hellos.Count
            $conversations = @(tshark -n -q -z conv,tcp -r $script:pcap | Where-Object { $_ -match '<->' })
            $script:m.Connections | Should -Be $conversations.Count
        }

        It 'keeps the capture and says where' {
            $script:m.CapturePath | Should -Be $script:pcap
            $script:pcap | Should -Exist
        }

        It 'leaves no lab running' {
            Get-GoProxyLab | Where-Object Url -EQ $script:m.Proxy | Should -BeNullOrEmpty
        }
    }

    Context 'with a lab piped in' -Skip:(-not $script:HasGo) {
        It 'uses the lab faults and leaves it running' {
            $lab = Start-GoProxyLab -Cleartext -SyntheticModules 3 -GoAwayAfterStreams 2
            try {
                $m = $lab | Measure-GoModDownload
                $m.Succeeded | Should -BeTrue
                $m.TlsHandshakes | Should -Be 0
                $m.Connections | Should -Be $m.LabStatistics.Connections
                ($m.GoAways | ForEach-Object Count | Measure-Object -Sum).Sum + 0 | Should -Be $m.LabStatistics.GoAwaysSent
                $lab.State | Should -Be 'Running'
            }
            finally {
                Stop-GoProxyLab $lab
            }
        }
    }

    Context 'errors' {
        It 'reports a missing go tool as ObjectNotFound' {
            $GoNetToolsGoPath = '/nonexistent/bin/go'
            { Measure-GoModDownload -Lab -ErrorAction Stop } | Should -Throw -ErrorId 'GoToolNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }

        It 'reports a missing go.mod' {
            { Measure-GoModDownload -Lab -GoMod (Join-Path $TestDrive 'none/go.mod') -ErrorAction Stop } |
                Should -Throw -ErrorId 'GoModNotFound,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }

        It 'reports a file that is not a go.mod' {
            $bad = Join-Path $TestDrive 'bad.mod'
            Set-Content -Path $bad -Value 'hello'
            { Measure-GoModDownload -Lab -GoMod $bad -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidGoMod,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }

        It 'rejects a module without a version' {
            { Measure-GoModDownload -Proxy http://127.0.0.1:1 -Module golang.org/x/text -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidModule,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }

        It 'refuses <Proxy> with the GOPROXY parser Test-GoProxyStability uses' -ForEach @(
            @{ Proxy = 'ftp://x' }, @{ Proxy = 'not a url' }, @{ Proxy = 'off' }
        ) {
            { Measure-GoModDownload -Proxy $Proxy -Module example.test/x@v1.0.0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidProxy,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }

        It 'still returns the measurement when go fails' -Skip:(-not $script:HasGo) {
            $m = Measure-GoModDownload -Proxy http://127.0.0.1:1 -Module example.test/x@v1.0.0 -ErrorVariable err -ErrorAction SilentlyContinue
            $m.Succeeded | Should -BeFalse
            $m.ErrorTail -join "`n" | Should -Match 'connection refused'
            $err[0].FullyQualifiedErrorId | Should -Be 'GoModDownloadFailed,GoNetTools.Commands.MeasureGoModDownloadCommand'
        }
    }
}
