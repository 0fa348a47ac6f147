#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance spec for ConvertTo-/Export-GoNetReport and ConvertTo-/Export-GoNetMetric on the committed capture
# tests/fixtures/pcap/goproxy-tls-h2c.pcap (4 connections; on the cleartext one RST_STREAM INTERNAL_ERROR and GOAWAY
# NO_ERROR) and on live TCP state: what is written, where it is refused, and what -WhatIf leaves alone; and on
# Test-GoProxyStability output that came back from a job (Deserialized.GoNetTools.*), run against a lab with faults.

BeforeAll {
    Set-StrictMode -Version Latest
    Import-Module "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1" -Force
    $script:Fixture = Join-Path $PSScriptRoot '../fixtures/pcap/goproxy-tls-h2c.pcap'
    $script:Capture = @(Get-TcpFlow -Path $script:Fixture) + @(Get-Http2Frame -Path $script:Fixture) + @(Measure-PacketCapture -Path $script:Fixture)
}

Describe 'Export-GoNetReport' {
    It 'draws one bar per flow and places the GOAWAY and RST_STREAM at their capture times' {
        $file = $script:Capture | Export-GoNetReport -Path "$TestDrive/cap.html" -PassThru
        $file.PSObject.TypeNames[0] | Should -Be 'GoNetTools.ReportFile'
        $file.ConnectionBars | Should -Be 4
        $file.TimelineBuckets | Should -Be 0
        $file.Marks | Should -Be 2
        $html = Get-Content -Raw "$TestDrive/cap.html"
        $html | Should -Match "Content-Security-Policy"
        $html | Should -Not -Match '<script[^>]+src='
        $html | Should -Not -Match '<link[^>]+href='
    }

    It 'aggregates into buckets above -MaxConnectionBars' {
        $file = $script:Capture | Export-GoNetReport -Path "$TestDrive/buckets.html" -MaxConnectionBars 2 -PassThru
        $file.ConnectionBars | Should -Be 0
        $file.TimelineBuckets | Should -BeGreaterThan 0
    }

    It 'refuses to replace a file without -Force and replaces it with -Force' {
        Set-Content "$TestDrive/old.html" 'old'
        { $script:Capture | Export-GoNetReport -Path "$TestDrive/old.html" -ErrorAction Stop } | Should -Throw -ErrorId 'OutputFileExists,GoNetTools.Commands.ExportGoNetReportCommand'
        Get-Content -Raw "$TestDrive/old.html" | Should -Be "old`n"
        $script:Capture | Export-GoNetReport -Path "$TestDrive/old.html" -Force
        Get-Content -Raw "$TestDrive/old.html" | Should -Match '<!DOCTYPE html>'
    }

    It 'never writes through a symbolic link' {
        Set-Content "$TestDrive/target.txt" 'precious'
        $null = New-Item -ItemType SymbolicLink -Path "$TestDrive/link.html" -Target "$TestDrive/target.txt"
        { $script:Capture | Export-GoNetReport -Path "$TestDrive/link.html" -Force -ErrorAction Stop } | Should -Throw -ErrorId 'NotARegularFile,GoNetTools.Commands.ExportGoNetReportCommand'
        Get-Content -Raw "$TestDrive/target.txt" | Should -Be "precious`n"
    }

    It 'refuses a folder everyone may write without the sticky bit' {
        $open = New-Item -ItemType Directory "$TestDrive/open"
        & chmod 0777 $open.FullName
        { $script:Capture | Export-GoNetReport -Path "$($open.FullName)/r.html" -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathUnsafe,GoNetTools.Commands.ExportGoNetReportCommand'
        & chmod 1777 $open.FullName
        $script:Capture | Export-GoNetReport -Path "$($open.FullName)/r.html"
        "$($open.FullName)/r.html" | Should -Exist
    }

    It 'writes nothing with -WhatIf' {
        $script:Capture | Export-GoNetReport -Path "$TestDrive/whatif.html" -WhatIf
        "$TestDrive/whatif.html" | Should -Not -Exist
    }

    It 'skips an unknown type with one UnsupportedInput error and stops with NoUsableInput when nothing is left' {
        $html = @(1, 2) + $script:Capture | ConvertTo-GoNetReport -ErrorVariable problems -ErrorAction SilentlyContinue
        $html | Should -Match '<!DOCTYPE html>'
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'UnsupportedInput,GoNetTools.Commands.ConvertToGoNetReportCommand'
        { 'text' | ConvertTo-GoNetReport -ErrorAction Stop } | Should -Throw
        { 'text' | ConvertTo-GoNetReport -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'NoUsableInput,GoNetTools.Commands.ConvertToGoNetReportCommand'
    }
}

Describe 'Output that came back from Start-Job' {
    BeforeAll {
        # The manifest, not the dll: its types.ps1xml sets the serialization depth the job's output keeps.
        $module = (Resolve-Path "$PSScriptRoot/../../out/GoNetTools/GoNetTools.psd1").Path
        # A lab with a GOAWAY after 5 streams and 3 % stream resets, run inside the job: everything crosses the job boundary.
        $script:Job = Start-Job {
            Import-Module $using:module
            $lab = Start-GoProxyLab -SyntheticModules 4 -GoAwayAfterStreams 5 -ResetStreamPercent 3
            try { Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration 4 -Pause 0.1 -Concurrency 4 -SkipCertificateCheck -PassThru }
            finally { $lab | Stop-GoProxyLab -Confirm:$false }
        } | Receive-Job -Wait -AutoRemoveJob
        $script:Result = $script:Job | Where-Object { $_.PSObject.TypeNames[0] -eq 'Deserialized.GoNetTools.GoProxyStabilityResult' }
        $script:Compare = Start-Job {
            Import-Module $using:module
            Test-GoProxyStability -Lab -Duration 2 -Pause 0.1 -Compare
        } | Receive-Job -Wait -AutoRemoveJob
    }

    It 'draws a bar per connection and a mark per connection that had a GOAWAY or RST_STREAM, as from live objects' {
        @($script:Result).Count | Should -Be 1
        $script:Result.Rounds | Should -BeGreaterOrEqual 2
        $records = @($script:Result.ConnectionRecords)
        $records.Count | Should -Be $script:Result.Connections
        $marked = @($records | Where-Object GoAways -gt 0).Count + @($records | Where-Object RstStreams -gt 0).Count
        $marked | Should -BeGreaterThan 0
        Write-Host "    job: $($script:Result.Rounds) rounds, $($records.Count) connections, $marked with GOAWAY or RST_STREAM marks, $($script:Result.Retries) retries, $($script:Result.Failures) failures"
        # The result and the -PassThru records both came back: each connection is drawn once.
        $file = $script:Job | Export-GoNetReport -Path "$TestDrive/job.html" -MaxConnectionBars 5000 -PassThru -ErrorVariable problems
        @($problems).Count | Should -Be 0
        $file.Sources | Should -Be 1
        $file.ConnectionBars | Should -Be $script:Result.Connections
        $file.Marks | Should -Be $marked
        $file.Findings | Should -Be @($script:Result.Findings).Count
        $file.TimeWaitCounts | Should -Be 4
        Get-Content -Raw "$TestDrive/job.html" | Should -Match ([regex]::Escape("TIME_WAIT client side peak / end (measured)</th><td>$($script:Result.TimeWaitPeak) / $($script:Result.TimeWaitEnd)"))
    }

    It 'writes the run''s metrics' {
        $text = $script:Job | ConvertTo-GoNetMetric
        $r = $script:Result
        $proxy = 'proxy="' + [regex]::Escape($r.Proxy) + '"'
        $budget = @($r.GoAwayEvents | Where-Object Kind -eq 'Budget').Count
        $text | Should -Match ('(?m)^gonettools_stability_connections\{' + $proxy + '\} ' + $r.Connections + '$')
        $text | Should -Match ('(?m)^gonettools_stability_retries\{' + $proxy + '\} ' + $r.Retries + '$')
        $text | Should -Match ('(?m)^gonettools_stability_time_wait_sockets\{' + $proxy + ',side="proxy",point="peak"\} ' + $r.ServerTimeWaitPeak + '$')
        $text | Should -Match ('(?m)^gonettools_stability_goaway_connections\{' + $proxy + ',kind="Budget"\} ' + $budget + '$')
        $budget | Should -BeGreaterThan 0
    }

    It 'takes a -Compare result: the variants table, each variant as a run of its own, one healthier gauge' {
        $c = $script:Compare | Where-Object { $_.PSObject.TypeNames[0] -eq 'Deserialized.GoNetTools.GoProxyComparison' }
        @($c.Variants).Count | Should -Be 2
        $file = $c | Export-GoNetReport -Path "$TestDrive/compare.html" -PassThru -WarningVariable lost
        @($lost).Count | Should -Be 0
        $file.Sources | Should -Be 3
        $file.Findings | Should -Be (@($c.Results | ForEach-Object { @($_.Findings).Count }) | Measure-Object -Sum).Sum
        $file.Findings | Should -BeGreaterThan 0 # the HTTP/1.1 variant has Http1Fallback at least
        $html = Get-Content -Raw "$TestDrive/compare.html"
        foreach ($v in $c.Variants) { $html | Should -Match ([regex]::Escape("<h2>Test-GoProxyStability $([System.Net.WebUtility]::HtmlEncode($v.Name)): ")) }
        $healthy = @($c | ConvertTo-GoNetMetric) -split "`n" | Where-Object { $_ -match '^gonettools_stability_comparison_healthier\{' }
        $healthy.Count | Should -Be 2
        @($healthy | Where-Object { $_ -match ' 1$' }).Count | Should -Be ([int]($c.Healthier -ne 'neither'))
    }

    It 'still refuses a deserialized object of a type it does not read' {
        $other = Start-Job { [pscustomobject]@{ Name = 'x' } } | Receive-Job -Wait -AutoRemoveJob
        { $other | ConvertTo-GoNetReport -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedInput,GoNetTools.Commands.ConvertToGoNetReportCommand'
    }
}

Describe 'Export-GoNetMetric' {
    It 'writes TIME_WAIT by remote port and the TCP counters as Prometheus text' {
        $file = @(Get-TcpTimeWait) + @(Get-TcpStatistic) | Export-GoNetMetric -Path "$TestDrive/m.prom" -PassThru
        $file.PSObject.TypeNames[0] | Should -Be 'GoNetTools.MetricsFile'
        $text = Get-Content -Raw "$TestDrive/m.prom"
        $text | Should -Match '(?m)^# TYPE gonettools_tcp_active_opens_total counter$'
        $text | Should -Match '(?m)^gonettools_tcp_time_wait_sockets\{remote_port="other"\} \d+$'
        [int][System.IO.File]::GetUnixFileMode("$TestDrive/m.prom") | Should -Be 420
    }

    It 'writes OpenMetrics with # EOF and the family name without _total on TYPE' {
        $text = Get-TcpStatistic | ConvertTo-GoNetMetric -Format OpenMetrics
        $text | Should -Match '(?m)^# TYPE gonettools_tcp_active_opens counter$'
        $text | Should -Match "# EOF`n$"
    }
}
