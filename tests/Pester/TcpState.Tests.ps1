#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance specs for the TCP-state cmdlets, for pwsh 7.4+ with Pester 5. Run by ./build.ps1 -Test.

BeforeAll {
    Set-StrictMode -Version Latest
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/GoNetTools/GoNetTools.psd1'
    Import-Module $script:ModulePath -Force
    $script:Fixtures = Join-Path $PSScriptRoot '../fixtures/tcpstate/linux'
}

AfterAll {
    Remove-Module GoNetTools -ErrorAction SilentlyContinue
}

Describe 'Get-TcpConnection' {
    It 'refuses a port above 65535 at parameter binding' {
        { Get-TcpConnection -LocalPort 70000 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,GoNetTools.Commands.GetTcpConnectionCommand'
    }

    It 'refuses an address that is neither an IP nor a CIDR prefix' {
        { Get-TcpConnection -RemoteAddress 'proxy.example' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAddressFilter,GoNetTools.Commands.GetTcpConnectionCommand'
    }

    It 'returns nothing and no error when nothing matches' {
        $errors = @()
        $rows = @(Get-TcpConnection -State Established -RemotePort 1 -ErrorVariable errors)
        $rows.Count | Should -Be 0
        $errors.Count | Should -Be 0
    }

    It 'finds a listening socket of this process' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $row = Get-TcpConnection -State Listen -LocalPort $port
            $row | Should -HaveCount 1
            $row.PSObject.TypeNames[0] | Should -Be 'GoNetTools.TcpConnection'
            if ($IsLinux -or $IsWindows) { $row.OwningProcess | Should -Be $PID }
        }
        finally {
            $listener.Stop()
        }
    }
}

Describe 'Get-TcpTimeWait on a recorded Linux tree' -Skip:(-not $IsLinux) {
    BeforeAll {
        # Test hook: read proc/ under a fixture tree instead of /proc.
        $GoNetToolsSystemRoot = Join-Path $script:Fixtures 'proc-recorded'
    }

    It 'lists the six TIME_WAIT sockets of the recording' {
        $rows = Get-TcpTimeWait
        $rows | Should -HaveCount 6
        $rows.State | Sort-Object -Unique | Should -Be 'TimeWait'
        $rows.OwningProcess | Where-Object { $null -ne $_ } | Should -BeNullOrEmpty
    }

    It 'groups by remote port as users type it' {
        $groups = Get-TcpTimeWait | Group-Object RemotePort | Sort-Object Name
        $groups.Name | Should -Be @('8080', '8443')
        $groups.ForEach('Count') | Should -Be @(3, 3)
    }

    It 'filters by CIDR prefix and family' {
        Get-TcpTimeWait -RemoteAddress 127.0.0.0/8 | Should -HaveCount 3
        Get-TcpTimeWait -AddressFamily IPv6 | Should -HaveCount 3
    }

    It 'formats with the ByRemote view' {
        $text = Get-TcpTimeWait | Sort-Object RemoteAddress, RemotePort | Format-Table -View ByRemote | Out-String
        $text | Should -Match 'Remote: 127\.0\.0\.1:8080'
        $text | Should -Match 'Remote: \[::1\]:8443'
    }
}

Describe 'Malformed source data' -Skip:(-not $IsLinux) {
    It 'skips a malformed /proc line with a warning naming it' {
        $GoNetToolsSystemRoot = Join-Path $script:Fixtures 'proc-malformed'
        $rows = Get-TcpConnection -AddressFamily IPv4 -WarningVariable warnings -WarningAction SilentlyContinue
        $rows | Should -HaveCount 9
        $warnings | Should -HaveCount 2
        $warnings[0].Message | Should -Match 'proc/net/tcp'
    }
}

Describe 'Get-TcpStatistic' {
    It 'returns one typed object with raw counters' {
        $stat = Get-TcpStatistic
        $stat.PSObject.TypeNames[0] | Should -Be 'GoNetTools.TcpStatistic'
        $stat.Raw.Count | Should -BeGreaterThan 0
    }

    It 'refuses a zero interval' {
        { Get-TcpStatistic -Interval 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidInterval,GoNetTools.Commands.GetTcpStatisticCommand'
    }

    It 'gives deltas and per-second rates over an interval' {
        $stat = Get-TcpStatistic -Interval 00:00:01
        $stat.Interval.TotalSeconds | Should -BeGreaterOrEqual 1
        $stat.Rates | Should -Not -BeNullOrEmpty
    }
}

Describe 'Help' {
    It 'has a synopsis and at least two examples for <_>' -ForEach @('Get-TcpConnection', 'Get-TcpTimeWait', 'Get-TcpStatistic') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}
