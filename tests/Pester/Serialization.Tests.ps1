#Requires -Version 7.4
# Objects that travel: every GoNetTools output type (found at discovery from the cmdlets' OutputType, so a new
# type is covered the day it is added: it fails here until OutputSamples.ps1 makes one) survives serialization
# with its view. Three ways out of the process: PowerShell's serializer at remoting depth, a real Start-Job (a
# second pwsh process; under gonettools that is out/pwsh/pwsh), and ForEach-Object -Parallel runspaces. The SSH
# fleet (Invoke-Command -HostName across three network namespaces) is the xunit test FleetTests.
# Linux and root: the samples capture on lo and read fixture trees, as CI does.
Set-StrictMode -Version Latest

BeforeDiscovery {
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $script:OutputTypes = Get-Command -Module GoNetTools -CommandType Cmdlet |
        ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -like 'GoNetTools.*' } | Sort-Object -Unique |
        ForEach-Object { @{ Type = $_ } }
}

BeforeAll {
    $script:Manifest = (Resolve-Path "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1").Path
    Import-Module $script:Manifest -Force
    $script:SamplesScript = (Resolve-Path "$PSScriptRoot/OutputSamples.ps1").Path
    $script:Fixtures = (Resolve-Path "$PSScriptRoot/../fixtures").Path
    . $script:SamplesScript

    # The lines of a rendered view that do not depend on the values: table headers and rules, list labels.
    function Get-ViewShape([Parameter(ValueFromPipeline)] $InputObject) {
        begin { $all = [System.Collections.Generic.List[object]]::new() }
        process { $all.Add($InputObject) }
        end {
            $lines = ($all | Out-String -Width 250) -split "`r?`n"
            for ($i = 0; $i -lt $lines.Count; $i++) {
                $line = $lines[$i]
                if ($line -match '^\s*-{2,}[-\s]*$') { ($lines[$i - 1].Trim() -replace '\s+', ' '); 'rule' }
                elseif ($line -match '^(\S[^:]*?)\s+:(\s|$)') { $Matches[1] }
            }
        }
    }

    function Test-Primitive($Value) {
        $null -eq $Value -or $Value -is [string] -or $Value -is [ValueType]
    }

    # The same samples made in a job (a second process; objects come back through PowerShell's serializer) while
    # this process makes its own.
    $jobWork = (New-Item -ItemType Directory (Join-Path $TestDrive 'job')).FullName
    $job = Start-Job -ScriptBlock {
        param($Manifest, $SamplesScript, $Fixtures, $WorkDir)
        Import-Module $Manifest
        . $SamplesScript
        $samples = Get-GoNetToolsOutputSample -Fixtures $Fixtures -WorkDir $WorkDir
        foreach ($entry in $samples.GetEnumerator()) { $entry.Value }
    } -ArgumentList $Manifest, $SamplesScript, $Fixtures, $jobWork
    $work = New-Item -ItemType Directory (Join-Path $TestDrive 'local')
    $script:Local = Get-GoNetToolsOutputSample -Fixtures $Fixtures -WorkDir $work.FullName
    $received = $job | Receive-Job -Wait -AutoRemoveJob
    $script:FromJob = @{}
    foreach ($object in $received) {
        $name = $object.PSObject.TypeNames[0] -replace '^Deserialized\.', ''
        if (-not $FromJob.ContainsKey($name)) { $FromJob[$name] = $object }
    }
}

AfterAll {
    Get-GoProxyLab | Stop-GoProxyLab
}

Describe 'Every output type travels with its view' {
    It 'enumerates the output types (positive control)' {
        $OutputTypes.Count | Should -BeGreaterOrEqual 20
        $OutputTypes.Type | Should -Contain 'GoNetTools.TcpConnection'
    }

    It '<Type>: OutputSamples.ps1 makes one' -ForEach $OutputTypes {
        $Local[$Type] | Should -Not -BeNullOrEmpty -Because 'every output type needs a sample in tests/Pester/OutputSamples.ps1'
        @($Local[$Type])[0].PSObject.TypeNames[0] | Should -Be $Type
    }

    It '<Type>: a serializer round trip renders exactly like the live object' -ForEach $OutputTypes {
        $live = @($Local[$Type])[0]
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
        $copy.PSObject.TypeNames[0] | Should -Be "Deserialized.$Type"
        ($copy | Out-String -Width 250) | Should -Be ($live | Out-String -Width 250)
    }

    It '<Type>: no property flattens to a string on the way' -ForEach $OutputTypes {
        $live = @($Local[$Type])[0]
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
        foreach ($property in $live.PSObject.Properties) {
            $value = $property.Value
            $arrived = $copy.PSObject.Properties[$property.Name].Value
            if ($value -is [enum]) {
                $arrived | Should -BeOfType [string] -Because "$Type.$($property.Name) is an enum: it travels as its name"
                $arrived | Should -Be $value.ToString()
            }
            elseif (Test-Primitive $value) {
                "$arrived" | Should -Be "$value" -Because "$Type.$($property.Name) is a primitive"
            }
            elseif ($value -is [System.Collections.IEnumerable] -and $value -isnot [System.Collections.IDictionary]) {
                @($arrived).Count | Should -Be @($value).Count -Because "$Type.$($property.Name) keeps its items"
                foreach ($item in @($arrived)) {
                    if (-not (Test-Primitive @($value)[0])) { $item | Should -Not -BeOfType [string] -Because "$Type.$($property.Name) items stay objects" }
                }
            }
            else {
                $arrived | Should -Not -BeOfType [string] -Because "$Type.$($property.Name) stays an object"
            }
        }
    }

    It '<Type>: comes back from Start-Job as Deserialized.<Type> with the same view' -ForEach $OutputTypes {
        $FromJob.ContainsKey($Type) | Should -BeTrue -Because 'the job makes the same samples'
        $FromJob[$Type].PSObject.TypeNames[0] | Should -Be "Deserialized.$Type"
        $shape = @(Get-ViewShape $FromJob[$Type])
        $shape | Should -Not -BeNullOrEmpty
        $shape | Should -Be @(Get-ViewShape @($Local[$Type])[0])
    }
}

Describe 'ForEach-Object -Parallel' {
    It 'runs the module in each runspace and hands back typed objects' {
        $manifest = $Manifest
        $stats = @(1..2 | ForEach-Object -Parallel { Import-Module $using:manifest; Get-TcpStatistic } -ThrottleLimit 2)
        $stats.Count | Should -Be 2
        $stats | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'GoNetTools.TcpStatistic' }
        @(Get-ViewShape $stats[0]) | Should -Be @(Get-ViewShape (Get-TcpStatistic))
    }
}
