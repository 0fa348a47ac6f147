# Makes docs/report/example.html (and its screenshot, docs/report/example.png) from real runs: a lab GOPROXY with a
# GOAWAY budget (5 streams: each replay round spreads over several connections) and stream resets over HTTP/2, then
# the same lab driven over HTTP/1.1 without idle connections (churn), with Watch-TcpState sampling the lab's port all
# along. Run from the repository root after a build:
#   ./gonettools -NoProfile -File scripts/example-report.ps1
# The screenshot (960 px wide, findings, TIME_WAIT and the first timeline):
#   chromium --headless --hide-scrollbars --force-device-scale-factor=0.75 --window-size=1280,2950 --screenshot=docs/report/example.png docs/report/example.html
param([string] $OutDir = 'docs/report', [double] $Seconds = 4)
$ErrorActionPreference = 'Stop'
$lab = Start-GoProxyLab -SyntheticModules 4 -GoAwayAfterStreams 5 -ResetStreamPercent 3
try {
    $port = ([uri]$lab.Url).Port
    $runs = 'watch', 'h2', 'churn' | ForEach-Object -ThrottleLimit 3 -Parallel {
        $lab = $using:lab; $s = $using:Seconds
        switch ($_) {
            'watch' { Watch-TcpState -Interval 0.5 -Duration (2 * $s + 4) -RemotePort $using:port }
            'h2' { Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration $s -Pause 0.1 -Concurrency 4 -SkipCertificateCheck -PassThru }
            'churn' {
                Start-Sleep -Seconds ($s + 1)
                Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Duration $s -Pause 0.1 -Concurrency 4 -HttpVersion 1.1 -MaxIdleConnectionsPerHost 0 -SkipCertificateCheck -PassThru
            }
        }
    }
}
finally { $lab | Stop-GoProxyLab }
$null = New-Item -ItemType Directory -Force $OutDir
$runs | Export-GoNetReport -Path (Join-Path $OutDir 'example.html') -Title 'GoNetTools example: lab with GOAWAY budget, resets and HTTP/1.1 churn' -MaxConnectionBars 150 -Force -PassThru
