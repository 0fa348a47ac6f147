#Requires -Version 7.4
<#
.SYNOPSIS
    Builds GoNetTools, stages the importable module at out/GoNetTools, and runs the tests.
.DESCRIPTION
    dotnet build stages out/GoNetTools (manifest stamped with the version from Directory.Build.props,
    format and types files, assemblies, MAML help generated from docs/help), the gonettools pwsh at out/pwsh,
    and Pester 5.7.1 from NuGet at out/test/Pester. -Test runs the xunit suite, then the Pester specs in
    tests/Pester under this pwsh with that Pester, and prints one "N passed, N failed, N skipped" line for both,
    as scripts/test.sh does under out/pwsh/gonettools.
.EXAMPLE
    ./build.ps1 ; Import-Module ./out/GoNetTools
.EXAMPLE
    ./build.ps1 -Configuration Release -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test,
    [switch] $Clean
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    if ($Clean -and (Test-Path out)) { Remove-Item out -Recurse -Force }
    dotnet build GoNetTools.sln -c $Configuration -nologo
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)" }
    Write-Host "Module staged at $(Join-Path $PSScriptRoot out/GoNetTools)"

    if ($Test) {
        $results = Join-Path ([System.IO.Path]::GetTempPath()) "gonettools-test-$PID"
        dotnet test tests/GoNetTools.Tests/GoNetTools.Tests.csproj -c $Configuration --no-build -nologo `
            --logger 'trx;LogFileName=results.trx' --results-directory $results --logger 'console;verbosity=minimal'
        $xunitExit = $LASTEXITCODE
        $trx = [xml] (Get-Content -Raw (Join-Path $results 'results.trx'))
        $counters = $trx.TestRun.ResultSummary.Counters
        $xunit = @{ Passed = [int] $counters.passed; Failed = [int] $counters.failed; Skipped = [int] $counters.total - [int] $counters.executed }

        # Pester in a child pwsh, so the specs' Import-Module -Force and global test hooks stay out of this session.
        $countsPath = Join-Path $results 'pester-counts'
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        & $pwsh -NoProfile -NonInteractive -Command "& '$PSScriptRoot/tests/Pester/Invoke-PesterSpecs.ps1' -CountsPath '$countsPath'; exit `$LASTEXITCODE"
        $pesterExit = $LASTEXITCODE
        $p = (Test-Path $countsPath) ? (Get-Content $countsPath).Split(' ') : @(0, 1, 0)
        $passed = $xunit.Passed + [int] $p[0]; $failed = $xunit.Failed + [int] $p[1]; $skipped = $xunit.Skipped + [int] $p[2]
        Remove-Item -Recurse -Force $results -ErrorAction Ignore
        "$passed passed, $failed failed, $skipped skipped"
        if ($xunitExit -or $pesterExit -or $failed) { throw "tests failed (xunit exit $xunitExit, Pester exit $pesterExit)" }
    }
}
finally {
    Pop-Location
}
