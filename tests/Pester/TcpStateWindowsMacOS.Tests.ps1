#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance specs for the Windows (GetExtendedTcpTable, GetTcpStatisticsEx2) and macOS (netstat) TCP-state
# back-ends, against the OS's own tool: Get-NetTCPConnection on Windows, netstat on macOS. Linux is covered by
# the xunit suite, which compares with ss and nstat inside network namespaces. All traffic stays on loopback.

BeforeDiscovery {
    $script:OnWindowsOrMac = $IsWindows -or $IsMacOS
    $script:HasIPv6 = [System.Net.Sockets.Socket]::OSSupportsIPv6
}

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force

    # Opens $Count connections to a loopback listener and closes each client first, so every client socket ends
    # in TIME_WAIT (the side that sends the first FIN waits). Returns the open listener and the client ports.
    function New-LoopbackTimeWait {
        param([Parameter(Mandatory)][ipaddress] $Address, [int] $Count = 20)
        $listener = [System.Net.Sockets.TcpListener]::new($Address, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $clientPorts = [System.Collections.Generic.List[int]]::new()
        for ($i = 0; $i -lt $Count; $i++) {
            $client = [System.Net.Sockets.TcpClient]::new($Address.AddressFamily)
            $client.Connect($Address, $port)
            $server = $listener.AcceptTcpClient()
            $clientPorts.Add($client.Client.LocalEndPoint.Port)
            $client.Close()
            # Let the client's FIN arrive before the server closes, so the server's side is the passive close.
            $null = $server.Client.Poll(2000000, [System.Net.Sockets.SelectMode]::SelectRead)
            $server.Close()
        }
        [pscustomobject]@{ Listener = $listener; Port = $port; ClientPorts = $clientPorts.ToArray() }
    }

    # The TIME_WAIT rows towards the lab's port, once all of them have appeared (a FIN may still be in flight).
    function Wait-LabTimeWait {
        param([Parameter(Mandatory)] $Lab)
        $deadline = [datetime]::UtcNow.AddSeconds(10)
        do {
            $rows = @(Get-TcpTimeWait -RemotePort $Lab.Port)
            if ($rows.Count -ge $Lab.ClientPorts.Count) { break }
            Start-Sleep -Milliseconds 100
        } while ([datetime]::UtcNow -lt $deadline)
        , $rows
    }
}

Describe 'TCP state on Windows and macOS' -Skip:(-not $OnWindowsOrMac) {
    Context 'TIME_WAIT over IPv4 loopback' {
        BeforeAll {
            $script:lab = New-LoopbackTimeWait -Address ([ipaddress]::Loopback) -Count 20
            $script:rows = Wait-LabTimeWait -Lab $lab
        }
        AfterAll { $lab.Listener.Stop() }

        It 'lists exactly the client ports that closed first' {
            $rows.Count | Should -Be 20
            ($rows.LocalPort | Sort-Object) | Should -Be ($lab.ClientPorts | Sort-Object)
        }

        It 'reports IPv4 loopback endpoints and the TimeWait state' {
            $rows | ForEach-Object {
                $_.RemoteAddress | Should -Be '127.0.0.1'
                $_.LocalAddress | Should -Be '127.0.0.1'
                $_.AddressFamily | Should -Be 'IPv4'
                $_.State | Should -Be 'TimeWait'
                $_ | Should -BeOfType 'GoNetTools.TcpConnection'
            }
        }

        It 'gives TIME_WAIT sockets no owning process' {
            $rows | ForEach-Object { $_.OwningProcess | Should -BeNullOrEmpty }
        }

        It 'agrees with Get-NetTCPConnection' -Skip:(-not $IsWindows) {
            $theirs = @(Get-NetTCPConnection -State TimeWait -RemotePort $lab.Port -ErrorAction SilentlyContinue)
            ($rows.LocalPort | Sort-Object) | Should -Be ($theirs.LocalPort | Sort-Object)
        }

        It 'agrees with netstat' -Skip:(-not $IsMacOS) {
            $pattern = "^tcp4\s+\d+\s+\d+\s+127\.0\.0\.1\.(\d+)\s+127\.0\.0\.1\.$($lab.Port)\s+TIME_WAIT"
            $theirs = foreach ($line in (netstat -an -p tcp)) { if ($line -match $pattern) { [int]$Matches[1] } }
            ($rows.LocalPort | Sort-Object) | Should -Be ($theirs | Sort-Object)
        }

        It 'filters by CIDR prefix, state and family' {
            @(Get-TcpTimeWait -RemotePort $lab.Port -RemoteAddress 127.0.0.0/8).Count | Should -Be 20
            @(Get-TcpTimeWait -RemotePort $lab.Port -RemoteAddress 10.0.0.0/8).Count | Should -Be 0
            @(Get-TcpTimeWait -RemotePort $lab.Port -AddressFamily IPv6).Count | Should -Be 0
            @(Get-TcpConnection -State TimeWait -RemotePort $lab.Port).Count | Should -Be 20
            @(Get-TcpConnection -State Established -RemotePort $lab.Port).Count | Should -Be 0
        }

        It 'counts the population in Get-TcpStatistic' {
            (Get-TcpStatistic).TimeWaitCount | Should -BeGreaterOrEqual 20
        }
    }

    Context 'TIME_WAIT over IPv6 loopback' -Skip:(-not $HasIPv6) {
        BeforeAll {
            $script:lab6 = New-LoopbackTimeWait -Address ([ipaddress]::IPv6Loopback) -Count 10
            $script:rows6 = Wait-LabTimeWait -Lab $lab6
        }
        AfterAll { $lab6.Listener.Stop() }

        It 'lists the IPv6 client ports with ::1 endpoints' {
            ($rows6.LocalPort | Sort-Object) | Should -Be ($lab6.ClientPorts | Sort-Object)
            $rows6 | ForEach-Object {
                $_.RemoteAddress | Should -Be '::1'
                $_.AddressFamily | Should -Be 'IPv6'
            }
        }

        It 'leaves them out of an IPv4-only query' {
            @(Get-TcpTimeWait -RemotePort $lab6.Port -AddressFamily IPv4).Count | Should -Be 0
        }
    }

    Context 'Listening sockets and their owner' {
        BeforeAll {
            $script:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $listener.Start()
            $script:port = $listener.LocalEndpoint.Port
        }
        AfterAll { $listener.Stop() }

        It 'names this PowerShell process as the owner of its listener' {
            $row = @(Get-TcpConnection -State Listen -LocalPort $port)
            $row.Count | Should -Be 1
            $row[0].OwningProcess | Should -Be $PID
            # macOS netstat shortens long names; the real name starts with what it prints.
            (Get-Process -Id $PID).ProcessName | Should -BeLike "$($row[0].ProcessName)*"
        }

        It 'finds the listener by -OwningProcess' {
            @(Get-TcpConnection -OwningProcess $PID -LocalPort $port).Count | Should -Be 1
        }
    }

    Context 'Counters' {
        It 'returns typed counters, with null where the OS keeps no such counter' {
            $stat = Get-TcpStatistic
            $stat | Should -BeOfType 'GoNetTools.TcpStatistic'
            $stat.Scope | Should -Be 'host'
            $stat.OutSegs | Should -BeGreaterThan 0
            $stat.Raw.Count | Should -BeGreaterThan 5
            $stat.TimeWaitEntries | Should -BeNullOrEmpty
            if ($null -ne $stat.RetransmitRate) { $stat.RetransmitRate | Should -BeLessOrEqual 1 }
        }

        It 'counts our own connection attempts' {
            $before = Get-TcpStatistic
            $lab = New-LoopbackTimeWait -Address ([ipaddress]::Loopback) -Count 5
            $lab.Listener.Stop()
            $after = Get-TcpStatistic
            # Both ends are ours: 5 connect() calls and 5 accepts, plus whatever else the machine did meanwhile.
            ($after.ActiveOpens - $before.ActiveOpens) | Should -BeGreaterOrEqual 5
            ($after.PassiveOpens - $before.PassiveOpens) | Should -BeGreaterOrEqual 5
        }

        It 'reports deltas and rates with -Interval' {
            $delta = Get-TcpStatistic -Interval 00:00:01
            $delta.Interval | Should -BeGreaterThan ([timespan]::Zero)
            $delta.Rates | Should -Not -BeNullOrEmpty
            $delta.ActiveOpens | Should -BeGreaterOrEqual 0
        }
    }
}
