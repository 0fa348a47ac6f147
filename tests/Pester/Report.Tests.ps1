#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Acceptance spec for ConvertTo-/Export-GoNetReport and ConvertTo-/Export-GoNetMetric on the committed capture
# tests/fixtures/pcap/goproxy-tls-h2c.pcap (4 connections; on the cleartext one RST_STREAM INTERNAL_ERROR and GOAWAY
# NO_ERROR) and on live TCP state: what is written, where it is refused, and what -WhatIf leaves alone.

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
