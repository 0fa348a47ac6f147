#Requires -Version 7.4
# Pester 5 acceptance spec for the workstation cmdlets. Test-GoWorkstation reads the fixture trees of
# tests/fixtures/workstation/linux through the $GoNetToolsSystemRoot hook (nothing is written there). Measure-GoBuild
# and Test-NetworkUnderLoad run live and short with the go on PATH (Debian's golang-go on CI): in this process, and
# through Start-Job (a second pwsh; the objects come back serialized and keep their view). The "user's" GOCACHE and
# GOMODCACHE are folders of $TestDrive named by the environment, as go reads them; they must come out unchanged.
Set-StrictMode -Version Latest

BeforeDiscovery {
    $script:HasGo = [bool] (Get-Command go -CommandType Application -ErrorAction SilentlyContinue)
    $script:Trees = @(
        @{ Tree = 'throttling-laptop'; Codes = 'FirmwareUpdatePending,RunningHot,ThrottlingSeen'; Verdict = 'Limited' }
        @{ Tree = 'numa-server'; Codes = 'NicIrqOffNode,PcieLinkDowngraded'; Verdict = 'Limited' }
        @{ Tree = 'emmc-laptop'; Codes = 'MemoryBelowFloor,StorageLowFree,StorageNotNvme'; Verdict = 'Limited' }
        @{ Tree = 'healthy'; Codes = ''; Verdict = 'Fit' }
        @{ Tree = 'vm-recorded'; Codes = ''; Verdict = 'Fit' }
    )
}

BeforeAll {
    $script:Manifest = (Resolve-Path "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1").Path
    Import-Module $script:Manifest -Force
    $script:Fixtures = (Resolve-Path "$PSScriptRoot/../fixtures/workstation/linux").Path

    # The labels of a rendered list view, or the header of a table view: what does not depend on the values.
    function Get-ViewShape($InputObject) {
        $lines = ($InputObject | Out-String -Width 250) -split "`r?`n"
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s*-{2,}[-\s]*$') { $lines[$i - 1].Trim() -replace '\s+', ' ' }
            elseif ($lines[$i] -match '^(\S[^:]*?)\s+:(\s|$)') { $Matches[1] }
        }
    }

    # Every file and folder below a root: size, mtime and content hash (folders: mtime).
    function Get-TreeSnapshot([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -Force | Sort-Object FullName | ForEach-Object {
            $relative = [IO.Path]::GetRelativePath($Root, $_.FullName)
            if ($_.PSIsContainer) { "$relative/ $($_.LastWriteTimeUtc.Ticks)" }
            else { "$relative $($_.Length) $($_.LastWriteTimeUtc.Ticks) $((Get-FileHash -LiteralPath $_.FullName).Hash)" }
        }
    }
}

AfterAll {
    Remove-Variable -Scope Global -Name GoNetToolsSystemRoot -ErrorAction Ignore
    Get-GoProxyLab | Stop-GoProxyLab
}

Describe 'Test-GoWorkstation on the fixture trees' -Skip:(-not $IsLinux) {
    AfterEach { Remove-Variable -Scope Global -Name GoNetToolsSystemRoot -ErrorAction Ignore }

    It '<Tree> gives exactly the findings it was built for: <Codes>' -ForEach $Trees {
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures $Tree
        $report = Test-GoWorkstation -NoProbe -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $report.PSObject.TypeNames[0] | Should -Be 'GoNetTools.WorkstationReport'
        (@($report.Findings | ForEach-Object Code | Sort-Object) -join ',') | Should -Be $Codes
        $report.Verdict | Should -Be $Verdict
        $report.Source | Should -Be $global:GoNetToolsSystemRoot
        foreach ($finding in $report.Findings) {
            $finding.Evidence.Count | Should -BeGreaterThan 0 -Because "$($finding.Code) names the figure measured"
            $finding.Rule | Should -Not -BeNullOrEmpty -Because "$($finding.Code) names the fact behind it"
            $finding.Recommendation | Should -Not -BeNullOrEmpty
        }
    }

    It 'the healthy tree is silent because its figures pass, not for want of them: two changed in a copy fire their rules' {
        # cp -a keeps the sysfs symlinks that Copy-Item would flatten.
        & cp -a (Join-Path $Fixtures 'healthy') (Join-Path $TestDrive 'healthy-changed')
        $root = Join-Path $TestDrive 'healthy-changed'
        $maxWidth = Get-ChildItem -Path (Join-Path $root 'sys/devices') -Recurse -Filter max_link_width | Where-Object FullName -Like '*0000:06:00.0*'
        Set-Content -LiteralPath $maxWidth.FullName '4'
        (Get-Content (Join-Path $root 'proc/meminfo')) -replace '^MemTotal:\s+\d+ kB', 'MemTotal:        8041552 kB' | Set-Content (Join-Path $root 'proc/meminfo')
        $global:GoNetToolsSystemRoot = $root
        $report = Test-GoWorkstation -NoProbe
        (@($report.Findings | ForEach-Object Code | Sort-Object) -join ',') | Should -Be 'MemoryBelowFloor,PcieLinkDowngraded'
        ($report.Findings | Where-Object Code -EQ PcieLinkDowngraded).Message | Should -Match 'x1 5 GT/s; it supports x4 5 GT/s'
    }

    It 'names the figures of the NUMA server: an x8 NIC trained at x4 on node 1, its interrupts on node 0' {
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'numa-server'
        $report = Test-GoWorkstation -NoProbe
        $nic = $report.Adapters | Where-Object Name -EQ 'eth0'
        ($nic.PcieLinkWidth, $nic.PcieMaxLinkWidth, $nic.NumaNode) | Should -Be @(4, 8, 1)
        ($report.Findings | Where-Object Code -EQ 'PcieLinkDowngraded').Message | Should -Match 'x4 .*x8'
        $offNode = $report.Findings | Where-Object Code -EQ 'NicIrqOffNode'
        $offNode.Evidence['AdapterNumaNode'] | Should -Be 1
        $offNode.Evidence['CpuNumaNodes'] | Should -Be '0'
        ($report | Out-String -Width 200) | Should -Match 'PcieLinkDowngraded'
    }

    It 'Get-NicAdapter and Get-NicInterrupt show the PCIe link and the NUMA nodes' {
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'numa-server'
        (Get-NicAdapter -Name eth0).PcieLinkWidth | Should -Be 4
        $irqs = @(Get-NicInterrupt -Adapter eth0)
        $irqs.Count | Should -Be 17
        $irqs | ForEach-Object { $_.OffNode | Should -BeTrue }
        (Get-NicInterrupt -Adapter eth0 | Out-String -Width 200) | Should -Match '0 \(nic 1\)'
        # Negative control: the desktop's interrupts are not off-node.
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'healthy'
        $desktop = @(Get-NicInterrupt)
        $desktop.Count | Should -BeGreaterThan 0
        $desktop | ForEach-Object { $_.OffNode | Should -Not -BeTrue }
    }

    It 'the recorded VM says what it does not expose, with the reason, and raises no error' {
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'vm-recorded'
        $report = Test-GoWorkstation -NoProbe -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $report.Cpu.TemperatureC | Should -BeNullOrEmpty
        ($report.NotExposed | ForEach-Object Item) | Should -Contain 'CPU temperature'
        ($report.NotExposed | ForEach-Object Item) | Should -Contain 'PCIe link of eth0'
        $report.NotExposed | ForEach-Object { $_.Reason | Should -Not -BeNullOrEmpty }
        $text = $report | Out-String -Width 200
        $text | Should -Match 'NotExposed\s+: CPU frequency'
        $text | Should -Match 'FirmwareUpdates\s+: not known here' -Because 'no fwupd is not the same as nothing pending'
        # Control: the desktop's fwupd answered and had nothing to offer.
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'healthy'
        (Test-GoWorkstation -NoProbe | Out-String -Width 200) | Should -Match 'FirmwareUpdates\s+: none pending'
    }
}

Describe 'Measure-GoBuild, Test-GoWorkstation and Test-NetworkUnderLoad live' -Skip:(-not $HasGo) {
    BeforeAll {
        # The user's caches as the environment names them, with real content: a build through them and a module file.
        $script:Saved = @{ GOCACHE = $env:GOCACHE; GOMODCACHE = $env:GOMODCACHE }
        $env:GOCACHE = (New-Item -ItemType Directory (Join-Path $TestDrive 'user/go-build')).FullName
        $env:GOMODCACHE = (New-Item -ItemType Directory (Join-Path $TestDrive 'user/mod')).FullName
        Set-Content (Join-Path $env:GOMODCACHE 'downloaded-over-hours.txt') 'keep me'
        $script:Hello = (New-Item -ItemType Directory (Join-Path $TestDrive 'user/hello')).FullName
        Set-Content (Join-Path $Hello 'go.mod') "module example.com/hello`n`ngo 1.16"
        Set-Content (Join-Path $Hello 'main.go') "package main`n`nimport `"fmt`"`n`nfunc main() { fmt.Println(1) }"
        Push-Location $Hello
        try { go build -o (Join-Path $TestDrive 'hello.bin') . } finally { Pop-Location }
        $script:CacheBefore = @(Get-TreeSnapshot $env:GOCACHE) -join "`n"
        $script:ModBefore = @(Get-TreeSnapshot $env:GOMODCACHE) -join "`n"

        # The same cmdlets in a second process, while this one measures its own (their objects come back serialized).
        $script:Job = Start-Job -ScriptBlock {
            param($Manifest)
            Import-Module $Manifest
            Measure-GoBuild -Count 1
            Test-NetworkUnderLoad -Load Compile -Duration 3 -Windows 3
        } -ArgumentList $Manifest

        # Here: through a PowerShell instance, so the progress records can be read too.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$Manifest'; Measure-GoBuild -Workload HelloWorld -Package errors -Count 2; Test-GoWorkstation")
            $output = @($ps.Invoke())
            $script:Builds = @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'GoNetTools.GoBuildMeasurement' })
            $script:Report = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'GoNetTools.WorkstationReport' }
            $script:Progress = @($ps.Streams.Progress)
            $script:RunErrors = @($ps.Streams.Error)
        }
        finally { $ps.Dispose() }
        $script:FromJob = @($Job | Receive-Job -Wait)
        $script:JobProgress = @($Job.ChildJobs[0].Progress)
        $Job | Remove-Job
    }

    AfterAll {
        $env:GOCACHE = $Saved.GOCACHE
        $env:GOMODCACHE = $Saved.GOMODCACHE
    }

    It 'Measure-GoBuild times hello-world and the package with plausible figures' {
        $RunErrors | Should -BeNullOrEmpty
        $Builds.Count | Should -Be 2
        $hello, $errorsPackage = $Builds
        ($hello.Workload, $hello.Command, $hello.Runs) | Should -Be @('HelloWorld', 'go build', 2)
        ($errorsPackage.Workload, $errorsPackage.Command, $errorsPackage.Verdict) | Should -Be @('errors', 'go build -a errors', 'NotJudged')
        $hello.GoVersion | Should -Be ((go version) -replace '^go version ', '')
        foreach ($b in $Builds) {
            $b.Min.TotalSeconds | Should -BeGreaterThan 0.01
            $b.Min | Should -BeLessOrEqual $b.Median
            $b.Median | Should -BeLessOrEqual $b.Max
            $b.Max.TotalSeconds | Should -BeLessThan 120
        }
        $hello.Verdict | Should -BeIn @('Good', 'Fair', 'Slow')
        $hello.VerdictReason | Should -Match 'Rule of thumb'
        # -a errors compiles the runtime too: longer than the hello package and its link.
        $errorsPackage.Median | Should -BeGreaterThan $hello.Median
    }

    It 'reports progress while it works, and completes it' {
        $Progress | Where-Object { $_.Activity -like 'Measure-GoBuild*' -and $_.StatusDescription -match 'run \d of 2' } | Should -Not -BeNullOrEmpty
        $Progress | Where-Object { $_.Activity -eq 'Test-GoWorkstation' -and $_.StatusDescription -match 'go list -deps std' } | Should -Not -BeNullOrEmpty
        $Progress | Where-Object { $_.Activity -eq 'Test-GoWorkstation' } | Select-Object -Last 1 | ForEach-Object RecordType | Should -Be 'Completed'
        # From the job's child: Test-NetworkUnderLoad counts down each phase.
        $JobProgress | Where-Object { $_.Activity -eq 'Test-NetworkUnderLoad' -and $_.StatusDescription -match '^baseline: \d+ s left' } | Should -Not -BeNullOrEmpty
        $JobProgress | Where-Object { $_.Activity -eq 'Test-NetworkUnderLoad' -and $_.StatusDescription -match '^load: \d+ s left' } | Should -Not -BeNullOrEmpty
    }

    It 'Test-GoWorkstation reads the storage behind the GOCACHE and GOMODCACHE go names, and probes go list' {
        ($Report.Storage | Where-Object Role -EQ 'GOCACHE').Path | Should -Be $env:GOCACHE
        ($Report.Storage | Where-Object Role -EQ 'GOMODCACHE').Path | Should -Be $env:GOMODCACHE
        $Report.Memory.ProbeCommand | Should -Be 'go list -deps std'
        $Report.Memory.ProbeDuration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $Report.Memory.ProbeSwapIns | Should -BeGreaterOrEqual 0
    }

    It 'leaves the user''s GOCACHE and GOMODCACHE exactly as they were' {
        $CacheBefore | Should -Match 'go-build|[0-9a-f]{2}/' -Because 'the user cache has real content (positive control)'
        (@(Get-TreeSnapshot $env:GOCACHE) -join "`n") | Should -Be $CacheBefore
        (@(Get-TreeSnapshot $env:GOMODCACHE) -join "`n") | Should -Be $ModBefore
        # Positive control: a build that does use them shows in the snapshot.
        Set-Content (Join-Path $Hello 'main.go') "package main`n`nimport `"fmt`"`n`nfunc main() { fmt.Println(2) }"
        Push-Location $Hello
        try { go build -o (Join-Path $TestDrive 'hello.bin') . } finally { Pop-Location }
        (@(Get-TreeSnapshot $env:GOCACHE) -join "`n") | Should -Not -Be $CacheBefore
    }

    It 'a GoBuildMeasurement from Start-Job keeps its view' {
        $copy = $FromJob | Where-Object { $_.PSObject.TypeNames[0] -eq 'Deserialized.GoNetTools.GoBuildMeasurement' }
        $copy | Should -Not -BeNullOrEmpty
        $copy.Runs | Should -Be 1
        $copy.Median.TotalSeconds | Should -BeGreaterThan 0
        @(Get-ViewShape $copy) | Should -Be @(Get-ViewShape $Builds[0])
        ($copy | Out-String -Width 200) | Should -Match 'Times\s+: 1 runs: min'
    }

    It 'a NetworkLoadResult from Start-Job keeps baseline and load side by side' {
        $copy = $FromJob | Where-Object { $_.PSObject.TypeNames[0] -eq 'Deserialized.GoNetTools.NetworkLoadResult' }
        $copy | Should -Not -BeNullOrEmpty
        $copy.Baseline.ProbesSent | Should -BeGreaterThan 100
        $copy.UnderLoad.ProbesSent | Should -BeGreaterThan 100
        $copy.CompileRunsStarted | Should -BeGreaterOrEqual 1
        $copy.DownloadRunsFinished | Should -Be 0
        $copy.LabUrl | Should -BeNullOrEmpty
        @($copy.Chain).Count | Should -Be 4
        $text = $copy | Out-String -Width 200
        $text | Should -Match 'Probes\s+: baseline \d+ sent, \d+ lost, .* \| load \d+ sent'
        $text | Should -Match 'LatencyP99Ms'
        @(Get-ViewShape $copy) | Should -Contain 'Chain'
        ($copy.Baseline, $copy.UnderLoad | Out-String -Width 200) | Should -Match 'baseline.*\n.*load'
    }
}

Describe 'Tab completion' {
    It 'completes <Line>' -ForEach @(
        @{ Line = 'Measure-GoBuild -Workload '; Expected = 'HelloWorld,Std' }
        @{ Line = 'Test-NetworkUnderLoad -Load '; Expected = 'Compile,Download' }
    ) {
        ((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText -join ',') | Should -Be $Expected
    }

    It 'completes -Adapter from the adapters here' -Skip:(-not $IsLinux) {
        $global:GoNetToolsSystemRoot = Join-Path $Fixtures 'numa-server'
        try {
            $line = 'Test-NetworkUnderLoad -Adapter e'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'eth0'
        }
        finally { Remove-Variable -Scope Global -Name GoNetToolsSystemRoot }
    }

    It 'completes -Package from the standard library' -Skip:(-not $HasGo) {
        $line = 'Measure-GoBuild -Package net/ht'
        $found = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $found | Should -Contain 'net/http'
        $found | Should -Contain 'net/http/httptest'
        $found | ForEach-Object { $_ | Should -BeLike 'net/ht*' }
    }
}

Describe 'Errors' {
    It 'refuses a -Package go would read as a flag' {
        { Measure-GoBuild -Package '-toolexec=/bin/true' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGoPackage,GoNetTools.Commands.MeasureGoBuildCommand'
    }

    It 'refuses a sample interval out of range' {
        { Measure-GoBuild -SampleInterval 10ms -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidInterval,GoNetTools.Commands.MeasureGoBuildCommand'
    }

    It 'reports a missing go as GoToolNotFound (ObjectNotFound)' {
        $GoNetToolsGoPath = '/nonexistent/bin/go'
        $err = { Measure-GoBuild -Count 1 -ErrorAction Stop } | Should -Throw -ErrorId 'GoToolNotFound,GoNetTools.Commands.MeasureGoBuildCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Test-NetworkUnderLoad -ErrorAction Stop } | Should -Throw -ErrorId 'GoToolNotFound,GoNetTools.Commands.TestNetworkUnderLoadCommand'
        { Test-GoWorkstation -IncludeBuild -ErrorAction Stop } | Should -Throw -ErrorId 'GoToolNotFound,GoNetTools.Commands.TestGoWorkstationCommand'
    }

    It 'Test-GoWorkstation without go still checks the machine and says what it could not' {
        $GoNetToolsGoPath = '/nonexistent/bin/go'
        $report = Test-GoWorkstation -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        ($report.NotExposed | ForEach-Object Item) | Should -Contain 'go env'
        ($report.NotExposed | ForEach-Object Item) | Should -Contain 'swap-ins under go list -deps std'
        $report.Storage.Role | Should -Be @('GOCACHE', 'GOMODCACHE')
    }

    It 'refuses a phase under 3 s and a target that does not resolve' {
        { Test-NetworkUnderLoad -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDuration,GoNetTools.Commands.TestNetworkUnderLoadCommand'
        { Test-NetworkUnderLoad -Target no-such-host.invalid -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProbeTarget,GoNetTools.Commands.TestNetworkUnderLoadCommand'
    }
}
