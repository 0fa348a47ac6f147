# Benchmark: requests per second our GOPROXY client (Test-GoProxyStability -Stress, its load-test mode) sustains
# against the lab, beside h2load (nghttp2-client) against the same lab with the same URLs, connection count and
# concurrency. The default replay is paced like cmd/go and is not a throughput test; -Stress is.
# Prints both rates and their ratio. Run through the gonettools host (bench/goproxy.sh) or pwsh with the module.
param(
    [TimeSpan] $Duration = '00:00:10',
    [int] $Concurrency = [Environment]::ProcessorCount,
    [int] $Rounds = 3
)
$ErrorActionPreference = 'Stop'
$h2load = @(Get-Command h2load -CommandType Application -ErrorAction SilentlyContinue)[0]
if (-not $h2load) { throw 'h2load is missing: apt-get install nghttp2-client (scripts/setup.sh installs it).' }

$lab = Start-GoProxyLab
try {
    # The URLs cmd/go asks for, for every module@version in the lab's catalog, in its order (no @v/list: the versions are given).
    $base = $lab.Url.TrimEnd('/')
    $urls = foreach ($m in $lab.Modules) {
        $path, $version = $m.Split('@')
        $escaped = [regex]::Replace($path, '[A-Z]', { param($c) '!' + $c.Value.ToLowerInvariant() })
        "$base/$escaped/@v/$version.info"; "$base/$escaped/@v/$version.mod"; "$base/$escaped/@v/$version.zip"
    }
    $urlFile = [IO.Path]::GetTempFileName()
    [IO.File]::WriteAllLines($urlFile, [string[]]$urls)
    $env:SSL_CERT_FILE = $lab.CertificatePath

    # Warm-up, discarded: JIT for our client and the lab's first requests.
    $null = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Stress -Duration '00:00:03' -Concurrency $Concurrency
    $ours = @(); $theirs = @()
    for ($round = 1; $round -le $Rounds; $round++) {
        $r = Test-GoProxyStability -Proxy $lab.Url -Module $lab.Modules -Stress -Duration $Duration -Concurrency $Concurrency
        if ($r.Failures -gt 0 -or $r.Connections -ne 1) { throw "our run was not clean: $($r.Failures) failures, $($r.Connections) connections" }
        $ours += $r.RequestsPerSecond
        # One HTTP/2 connection with $Concurrency streams in flight, for the same time.
        $text = & $h2load.Source -c 1 -m $Concurrency -D ([int]$Duration.TotalSeconds) --warm-up-time=1 -i $urlFile 2>&1 | ForEach-Object { "$_" }
        $text = $text -join "`n"
        $rate = [regex]::Match($text, 'finished in [^,]+, ([0-9.]+) req/s')
        $ok = [regex]::Match($text, 'requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed')
        if (-not $rate.Success -or [int]$ok.Groups[2].Value -gt 0) { throw "h2load did not finish cleanly:`n$text" }
        $theirs += [double]$rate.Groups[1].Value
        '{0}: GoNetTools {1:N0} req/s, h2load {2:N0} req/s' -f $round, $ours[-1], $theirs[-1]
    }
    # Median of the rounds: the box also runs the lab, so single rounds vary.
    $oursBest = ([double[]]$ours | ForEach-Object { $_ }); [Array]::Sort($oursBest); $oursBest = $oursBest[[int][Math]::Floor($oursBest.Count / 2)]
    $theirsBest = ([double[]]$theirs | ForEach-Object { $_ }); [Array]::Sort($theirsBest); $theirsBest = $theirsBest[[int][Math]::Floor($theirsBest.Count / 2)]
    ''
    'Concurrency {0}, {1:0} s per run, median of {2}, lab {3} ({4} modules)' -f $Concurrency, $Duration.TotalSeconds, $Rounds, $lab.Url, $lab.Modules.Count
    'GoNetTools client : {0,10:N0} req/s' -f $oursBest
    'h2load            : {0,10:N0} req/s' -f $theirsBest
    'ratio (ours/h2load): {0:0.00}' -f ($oursBest / $theirsBest)
}
finally {
    [Environment]::SetEnvironmentVariable('SSL_CERT_FILE', $null)
    if ($urlFile) { [IO.File]::Delete($urlFile) }
    $lab | Stop-GoProxyLab -Confirm:$false
}
