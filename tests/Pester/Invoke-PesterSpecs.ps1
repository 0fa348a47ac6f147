#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester 5 specs in tests/Pester against the staged module and reports the counts.
.DESCRIPTION
    Used by scripts/test.sh (under out/pwsh/gonettools, with the Pester 5.7.1 the build restores from NuGet into
    out/test/Pester) and by build.ps1 -Test (under your own pwsh). Writes "passed failed skipped" to -CountsPath.
    A container that fails to load and a failing BeforeAll/AfterAll count as failures; tests Pester did not run
    count as skipped. Exits 1 when anything failed.
.EXAMPLE
    ./out/pwsh/gonettools -NoProfile -File tests/Pester/Invoke-PesterSpecs.ps1 -CountsPath /tmp/pester-counts
#>
[CmdletBinding()]
param(
    # Pester.psd1 to import; by default out/test/Pester (restored from NuGet by the build).
    [string] $PesterManifest = (Join-Path $PSScriptRoot '../../out/test/Pester/Pester.psd1'),
    # Where to write "passed failed skipped".
    [string] $CountsPath,
    # Spec files or folders; all of tests/Pester by default.
    [string[]] $Path = @($PSScriptRoot),
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Detailed'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if (-not (Test-Path $PesterManifest)) {
    throw "Pester not found at $PesterManifest. Build first (dotnet build GoNetTools.sln restores Pester 5.7.1 into out/test/Pester)."
}
Import-Module $PesterManifest -Force
$pester = Get-Module Pester
if ($pester.Version -lt [version] '5.0') { throw "Pester 5 is needed; $PesterManifest is $($pester.Version)." }

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$skipped = $result.SkippedCount + $result.NotRunCount
Write-Host "Pester $($pester.Version): passed $($result.PassedCount), failed $failed, skipped $skipped ($($result.Duration.TotalSeconds.ToString('0')) s)"
if ($CountsPath) {
    Set-Content -LiteralPath $CountsPath -Value "$($result.PassedCount) $failed $skipped"
}
if ($failed -gt 0) { exit 1 }
