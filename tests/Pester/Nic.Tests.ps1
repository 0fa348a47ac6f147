#Requires -Version 7.4
# Pester 5 acceptance spec for the NIC cmdlets. Reads the fixture trees under tests/fixtures/nic; writes only into
# copies of them under $TestDrive. Live parts read this machine's adapters and never change them.
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $script:Fixtures = Join-Path $PSScriptRoot '../fixtures/nic'
    function Copy-NicFixture([string] $Name) {
        $target = Join-Path $TestDrive $Name
        if (Test-Path $target) { Remove-Item $target -Recurse -Force }
        # cp -a keeps the sysfs symlinks (device, driver, class/net) that Copy-Item would flatten.
        & cp -a (Join-Path $script:Fixtures $Name) $TestDrive
        $target
    }
}

AfterAll {
    Remove-Variable -Name GoNetToolsSystemRoot -Scope Global -ErrorAction Ignore
}

Describe 'Get-NicAdapter' -Skip:(-not $IsLinux) {
    BeforeAll { $global:GoNetToolsSystemRoot = Join-Path $script:Fixtures 'server' }

    It 'lists every adapter of the fixture with its kind' {
        $adapters = Get-NicAdapter
        $adapters.Name | Should -Be @('lo', 'eth0', 'eth1', 'ens1f0np0', 'docker0', 'veth3f2a1b0', 'wg0')
        ($adapters | Where-Object Name -eq 'docker0').Kind | Should -Be 'Bridge'
        $adapters[0].PSObject.TypeNames[0] | Should -Be 'GoNetTools.NicAdapter'
    }

    It 'reports driver, bus and channels of the ixgbe port' {
        $eth0 = Get-NicAdapter -Name eth0
        $eth0.Driver | Should -Be 'ixgbe'
        $eth0.BusInfo | Should -Be '0000:03:00.0'
        $eth0.CombinedChannels | Should -Be 8
        $eth0.MaxCombinedChannels | Should -Be 63
        $eth0.RssIndirectionEntries | Should -Be 128
    }

    It 'resolves wildcards and the Ethernet alias' {
        (Get-NicAdapter -Name 'eth*').Name | Should -Be @('eth0', 'eth1')
        (Get-NicAdapter -Name Ethernet).Name | Should -Be 'eth0'
        Get-NicAdapter -Name 'wl*' | Should -BeNullOrEmpty
    }

    It 'filters physical adapters' {
        (Get-NicAdapter -Physical).Name | Should -Be @('eth0', 'eth1', 'ens1f0np0')
    }

    It 'writes AdapterNotFound for an unknown name' {
        { Get-NicAdapter -Name nope -ErrorAction Stop } | Should -Throw -ErrorId 'AdapterNotFound,GoNetTools.Commands.GetNicAdapterCommand'
    }

    It 'finds the Wi-Fi adapter on the laptop fixture' {
        $global:GoNetToolsSystemRoot = Join-Path $script:Fixtures 'laptop'
        (Get-NicAdapter -Name Wi-Fi).Name | Should -Be 'wlp0s20f3'
        { Get-NicAdapter -Name Ethernet -ErrorAction Stop } | Should -Throw -ErrorId 'AdapterNotFound,GoNetTools.Commands.GetNicAdapterCommand'
    }
}

Describe 'Get-NicQueue and Get-NicInterrupt' -Skip:(-not $IsLinux) {
    BeforeAll { $global:GoNetToolsSystemRoot = Join-Path $script:Fixtures 'vm' }

    It 'maps every virtio vector to its adapter and queue' {
        $irqs = Get-NicInterrupt -Adapter ens3
        $irqs.Count | Should -Be 9
        ($irqs | Where-Object Name -eq 'virtio0-input.2').Queue | Should -Be 2
        ($irqs | Where-Object Name -eq 'virtio0-output.3').QueueType | Should -Be 'Tx'
        $irqs.Irq | Should -Not -Contain 34
    }

    It 'joins queues with their interrupt and XPS CPUs' {
        $tx = Get-NicQueue -Adapter ens3 -Direction Tx
        $tx.Count | Should -Be 4
        $tx[1].Irq | Should -Be 28
        $tx[1].XpsCpus | Should -Be @(1)
    }

    It 'refuses a bad interval' {
        { Get-NicInterrupt -Interval ([TimeSpan]::Zero) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidInterval,GoNetTools.Commands.GetNicInterruptCommand'
    }

    It 'warns when irqbalance will move an interrupt' {
        $global:GoNetToolsSystemRoot = Join-Path $script:Fixtures 'server'
        $null = Get-NicInterrupt -Adapter eth0 -Irq 45 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'irqbalance'
    }
}

Describe 'Set-NicInterruptAffinity' -Skip:(-not $IsLinux) {
    BeforeEach {
        $script:Root = Copy-NicFixture 'server'
        $global:GoNetToolsSystemRoot = $script:Root
        $script:AffinityFile = Join-Path $script:Root 'proc/irq/45/smp_affinity_list'
    }

    It 'writes smp_affinity_list' {
        $result = Set-NicInterruptAffinity -Irq 45 -Cpu 2, 3 -PassThru -Confirm:$false -WarningAction SilentlyContinue
        (Get-Content $script:AffinityFile) | Should -Be '2-3'
        $result.AffinityList | Should -Be @(2, 3)
    }

    It 'writes nothing with -WhatIf' {
        Set-NicInterruptAffinity -Irq 45 -Cpu 2, 3 -WhatIf
        (Get-Content $script:AffinityFile) | Should -Be '0'
    }

    It 'refuses an empty CPU set before writing' {
        { Set-NicInterruptAffinity -Irq 45 -Cpu @() -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCpuSet,GoNetTools.Commands.SetNicInterruptAffinityCommand'
        (Get-Content $script:AffinityFile) | Should -Be '0'
    }

    It 'refuses an offline CPU' {
        $err = $null
        Set-NicInterruptAffinity -Irq 45 -Cpu 64 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-Content $script:AffinityFile) | Should -Be '0'
    }
}

Describe 'Set-NicQueue' -Skip:(-not $IsLinux) {
    BeforeEach {
        $script:Root = Copy-NicFixture 'vm'
        $global:GoNetToolsSystemRoot = $script:Root
        $script:RpsFile = Join-Path $script:Root 'sys/class/net/ens3/queues/rx-1/rps_cpus'
    }

    It 'writes the RPS mask' {
        Set-NicQueue -Adapter ens3 -Index 1 -RpsCpus 2, 3 -Confirm:$false
        (Get-Content $script:RpsFile) | Should -Be 'c'
    }

    It 'writes nothing with -WhatIf' {
        Set-NicQueue -Adapter ens3 -Index 1 -RpsCpus 2, 3 -WhatIf
        (Get-Content $script:RpsFile) | Should -Be '00000000'
    }

    It 'reports a queue that does not exist' {
        { Set-NicQueue -Adapter ens3 -Index 9 -RpsCpus 1 -ErrorAction Stop } | Should -Throw -ErrorId 'NicQueueNotFound,GoNetTools.Commands.SetNicQueueCommand'
    }
}

Describe 'Live adapters' -Skip:(-not $IsLinux -or -not (Test-Path /sys/class/net/eth0) -or -not (Get-Command ethtool -ErrorAction Ignore)) {
    BeforeAll { Remove-Variable -Name GoNetToolsSystemRoot -Scope Global -ErrorAction Ignore }

    It 'reports the driver and bus ethtool -i reports for eth0' {
        $info = ethtool -i eth0
        $driver = ($info | Where-Object { $_ -like 'driver:*' }) -replace '^driver:\s*', ''
        $bus = ($info | Where-Object { $_ -like 'bus-info:*' }) -replace '^bus-info:\s*', ''
        $eth0 = Get-NicAdapter -Name eth0
        $eth0.Driver | Should -Be $driver
        if ($bus) { $eth0.BusInfo | Should -Be $bus } else { $eth0.BusInfo | Should -BeNullOrEmpty }
    }
}
