#Requires -Version 7.4
# Pester 5 acceptance specs for the tunable cmdlets (Get/Set/Test/Undo-TcpTuning, Get-TcpTuningBackup).
# Linux only, as root: live changes happen inside a network namespace the spec creates (ip netns), where
# every net.* tunable is the namespace's own; the boot configuration and backups go to $TestDrive through
# GONETTOOLS_CONFIGROOT. Commands that change tunables run in `ip netns exec`, through the gonettools host.
Set-StrictMode -Version Latest

BeforeDiscovery {
    # The live specs need Linux, root (ip netns) and the built gonettools host.
    $script:CanUseNamespaces = $IsLinux -and (Test-Path "$PSScriptRoot/../../out/pwsh/gonettools") -and
        ((& id -u) -eq '0')
}

BeforeAll {
    $script:Manifest = "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1"
    Import-Module $script:Manifest -Force
    $script:GoNetToolsHost = (Resolve-Path "$PSScriptRoot/../../out/pwsh/gonettools").Path

    function Invoke-InNamespace {
        param([string] $Namespace, [string] $Script, [string] $ConfigRoot)
        & ip netns exec $Namespace env "GONETTOOLS_MODULE=$script:Manifest" "GONETTOOLS_CONFIGROOT=$ConfigRoot" $script:GoNetToolsHost -NoProfile -Command $Script
    }

    function Get-NamespaceSysctl {
        param([string] $Namespace, [string] $Key)
        (& ip netns exec $Namespace sysctl -n $Key) -replace '\s+', ' '
    }
}

Describe 'Tunable catalog and validation (in-process, on a fixture root)' -Skip:(-not $IsLinux) {
    BeforeAll {
        $script:Fixture = Join-Path $TestDrive 'root'
        Copy-Item -Recurse "$PSScriptRoot/../fixtures/tuning/linux-root" $script:Fixture
        $global:GoNetToolsSystemRoot = $script:Fixture
        $global:GoNetToolsConfigRoot = $script:Fixture
    }
    AfterAll {
        Remove-Variable -Scope Global -Name GoNetToolsSystemRoot, GoNetToolsConfigRoot -ErrorAction SilentlyContinue
    }

    It 'lists every Linux tunable with its documented effect' {
        $all = Get-TcpTuning
        $all.Count | Should -Be 10
        ($all | Where-Object Name -EQ 'FinWait2Timeout').Description | Should -Match 'does NOT change TIME_WAIT'
        ($all | Where-Object Name -EQ 'TimeWaitReuse').Source | Should -Match 'ip-sysctl'
    }

    It 'compares with a profile' {
        $reuse = Get-TcpTuning -Name TimeWaitReuse -Profile GoDev
        $reuse.ProfileValue | Should -Be '1'
        $reuse.Compliant | Should -BeFalse
    }

    It 'refuses a path as -Name before touching anything' -ForEach @(
        @{ Name = '../../etc/passwd' }, @{ Name = '/proc/sys/net/ipv4/tcp_tw_reuse' }, @{ Name = 'net.ipv4.tcp_tw_recycle' }
    ) {
        { Set-TcpTuning -Name $Name -Value 1 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownTunable,GoNetTools.Commands.SetTcpTuningCommand'
        Get-Content "$script:Fixture/proc/sys/net/ipv4/tcp_tw_reuse" | Should -Be '2'
    }

    It 'refuses a port range with same-parity ends' {
        { Set-TcpTuning -Name LocalPortRange -Value 10000, 60000 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTunableValue,GoNetTools.Commands.SetTcpTuningCommand'
    }

    It 'never lowers tcp_max_tw_buckets' {
        { Set-TcpTuning -Name MaxTimeWaitBuckets -Value 1024 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTunableValue,GoNetTools.Commands.SetTcpTuningCommand'
    }

    It 'refuses an unknown profile' {
        { Set-TcpTuning -Profile Turbo -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownTuningProfile,GoNetTools.Commands.SetTcpTuningCommand'
    }

    It 'completes tunable names and profiles' {
        $line = 'Set-TcpTuning -Profile Go'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'GoDev'
        $line = 'Get-TcpTuning -Name LocalP'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'LocalPortRange'
    }

    It 'finds a tcp_tw_recycle line with its file and line' {
        Set-Content "$script:Fixture/etc/sysctl.d/99-legacy.conf" "# old advice`nnet.ipv4.tcp_tw_recycle = 1"
        $finding = Test-TcpTuning | Where-Object Rule -EQ 'RecycleConfigured'
        $finding.Evidence | Should -Be '/etc/sysctl.d/99-legacy.conf:2: net.ipv4.tcp_tw_recycle = 1'
        Test-TcpTuning -Quiet | Should -BeFalse
    }
}

Describe 'Set/Undo inside a fresh network namespace' -Skip:(-not $script:CanUseNamespaces) {
    BeforeEach {
        $script:Ns = "gnt-pester-$PID-$(Get-Random)"
        & ip netns add $script:Ns
        $script:Config = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $script:Config | Out-Null
        $script:HostReuse = Get-Content /proc/sys/net/ipv4/tcp_tw_reuse
    }
    AfterEach {
        & ip netns delete $script:Ns
        Get-Content /proc/sys/net/ipv4/tcp_tw_reuse | Should -Be $script:HostReuse
    }

    It '-WhatIf changes nothing' {
        $before = & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.'
        Invoke-InNamespace $script:Ns 'Set-TcpTuning -Profile GoDev -Persist -WhatIf' $script:Config | Should -Match 'What if'
        & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.' | Should -Be $before
        Get-ChildItem $script:Config | Should -BeNullOrEmpty
    }

    It 'applies GoDev, then Undo-TcpTuning -Latest restores the exact values' {
        $before = & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.'
        Invoke-InNamespace $script:Ns 'Set-TcpTuning -Profile GoDev -Confirm:$false' $script:Config | Out-Null
        Get-NamespaceSysctl $script:Ns net.ipv4.tcp_tw_reuse | Should -Be '1'
        Get-NamespaceSysctl $script:Ns net.ipv4.ip_local_port_range | Should -Be '10240 65535'
        Invoke-InNamespace $script:Ns 'Undo-TcpTuning -Latest -Confirm:$false' $script:Config | Out-Null
        & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.' | Should -Be $before
    }

    It 'leaves all five at their old values when the third write fails' {
        & ip netns exec $script:Ns sysctl -w net.ipv4.tcp_timestamps=0 | Out-Null
        $before = & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.'
        $out = Invoke-InNamespace $script:Ns '$GoNetToolsTuningFailAt = 3; try { Set-TcpTuning -Profile GoDev -Confirm:$false -ErrorAction Stop | Out-Null } catch { $_.FullyQualifiedErrorId }' $script:Config
        $out | Should -Contain 'TunableWriteFailed,GoNetTools.Commands.SetTcpTuningCommand'
        & ip netns exec $script:Ns sysctl -a -r '^net\.(ipv4|core)\.' | Should -Be $before
    }

    It '-Persist writes a file sysctl -p accepts' {
        Invoke-InNamespace $script:Ns 'Set-TcpTuning -Profile GoDev -Persist -Confirm:$false' $script:Config | Out-Null
        $file = Join-Path $script:Config 'etc/sysctl.d/90-gonettools.conf'
        $file | Should -Exist
        $fresh = "$script:Ns-b"
        & ip netns add $fresh
        try {
            & ip netns exec $fresh sysctl -p $file | Out-Null
            $LASTEXITCODE | Should -Be 0
            Get-NamespaceSysctl $fresh net.ipv4.tcp_fin_timeout | Should -Be '30'
        } finally {
            & ip netns delete $fresh
        }
    }
}
