#Requires -Version 7.4
# Every duration parameter takes what a user means: a bare number is seconds (PowerShell 7 reads `1s` as the
# Int16 1), text takes Go's units or hh:mm:ss, a [timespan] passes through. The parameters are found at discovery,
# so a new duration parameter is covered without editing this file.
Set-StrictMode -Version Latest

BeforeDiscovery {
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $durationTypes = @([timespan], [System.Nullable[timespan]])
    $script:DurationParameters = foreach ($command in Get-Command -Module GoNetTools -CommandType Cmdlet) {
        foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.ParameterType -in $durationTypes) {
                @{ Command = $command.Name; Parameter = $parameter.Name }
            }
        }
    }
    # What the user types (as PowerShell hands it to the binder) and what it must mean.
    $script:Forms = @(
        @{ Typed = '1s (Int16 1)'; Value = [int16] 1; Seconds = 1 }
        @{ Typed = '5'; Value = 5; Seconds = 5 }
        @{ Typed = '1.5'; Value = 1.5; Seconds = 1.5 }
        @{ Typed = "'5'"; Value = '5'; Seconds = 5 }
        @{ Typed = "'1.5s'"; Value = '1.5s'; Seconds = 1.5 }
        @{ Typed = "'250ms'"; Value = '250ms'; Seconds = 0.25 }
        @{ Typed = "'2m'"; Value = '2m'; Seconds = 120 }
        @{ Typed = "'1h30m'"; Value = '1h30m'; Seconds = 5400 }
        @{ Typed = '00:00:02'; Value = '00:00:02'; Seconds = 2 }
        @{ Typed = '[timespan]'; Value = [timespan]::FromMilliseconds(1500); Seconds = 1.5 }
    )
    $script:Cases = foreach ($p in $script:DurationParameters) {
        foreach ($f in $script:Forms) { $p + $f }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force

    # The transformation PowerShell's binder runs for this parameter.
    function Get-DurationTransformation([string] $Command, [string] $Parameter) {
        (Get-Command $Command).Parameters[$Parameter].Attributes |
            Where-Object { $_.GetType().Name -eq 'DurationTransformationAttribute' }
    }
}

Describe 'Duration parameters' {
    It 'finds the duration parameters (positive control for the enumeration)' {
        $DurationParameters.Count | Should -BeGreaterOrEqual 8
        $DurationParameters.Command | Should -Contain 'Test-GoProxyStability'
    }

    It '<Command> -<Parameter> uses the one DurationTransformationAttribute' -ForEach $DurationParameters {
        Get-DurationTransformation $Command $Parameter | Should -HaveCount 1
    }

    It '<Command> -<Parameter> <Typed> means <Seconds> s' -ForEach $Cases {
        $transform = Get-DurationTransformation $Command $Parameter
        $transform.Transform($ExecutionContext, $Value) | Should -Be ([timespan]::FromSeconds($Seconds))
    }

    It '<Command> -<Parameter> refuses text that is no duration' -ForEach $DurationParameters {
        $transform = Get-DurationTransformation $Command $Parameter
        { $transform.Transform($ExecutionContext, 'soon') } | Should -Throw '*is not a duration*'
    }
}

Describe 'Durations through real parameter binding' {
    It 'Start-GoProxyLab -Latency and -HandshakeDelay <Typed> are <Seconds> s' -ForEach @(
        $Forms | Where-Object { $_.Seconds -le 2 }
    ) {
        $lab = Start-GoProxyLab -SyntheticModules 1 -Latency $Value -HandshakeDelay $Value
        try {
            $lab.Faults.Latency | Should -Be ([timespan]::FromSeconds($Seconds))
            $lab.Faults.HandshakeDelay | Should -Be ([timespan]::FromSeconds($Seconds))
        }
        finally { $lab | Stop-GoProxyLab }
    }

    It 'Start-GoProxyLab -HandshakeDelay 1s, typed as a literal, is one second' {
        # The literal the issue found: in PowerShell 7, 1s is [int16] 1, which used to become one tick.
        $lab = Start-GoProxyLab -SyntheticModules 1 -HandshakeDelay 1s
        try { $lab.Faults.HandshakeDelay | Should -Be ([timespan]::FromSeconds(1)) }
        finally { $lab | Stop-GoProxyLab }
    }

    It 'Get-TcpStatistic -Interval 1s samples for a second' {
        $stat = Get-TcpStatistic -Interval 1s
        $stat.Interval.TotalSeconds | Should -BeGreaterOrEqual 1
        $stat.Interval.TotalSeconds | Should -BeLessThan 30
    }

    It "Watch-TcpState -Interval '250ms' -Duration 1 takes several samples in about a second" {
        $samples = @(Watch-TcpState -Interval '250ms' -Duration 1 -RemotePort 1)
        $samples.Count | Should -BeGreaterOrEqual 2
        $samples.Count | Should -BeLessOrEqual 6
    }
}
