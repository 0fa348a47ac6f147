#Requires -Version 7.4
<#
.SYNOPSIS
    Builds GoNetTools, stages the importable module at out/GoNetTools, and runs the tests.
.DESCRIPTION
    dotnet build stages out/GoNetTools (manifest stamped with the version from Directory.Build.props,
    format file, assemblies, MAML help generated from docs/help). -Test runs the xunit suite and, where
    Pester 5 is installed, the acceptance specs in tests/Pester against the staged module.
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
        dotnet test tests/GoNetTools.Tests/GoNetTools.Tests.csproj -c $Configuration --no-build -nologo
        if ($LASTEXITCODE) { throw "xunit tests failed ($LASTEXITCODE)" }

        $pester = Get-Module Pester -ListAvailable | Where-Object Version -ge ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
        if ($pester) {
            Import-Module $pester
            $config = New-PesterConfiguration
            $config.Run.Path = Join-Path $PSScriptRoot tests/Pester
            $config.Run.Exit = $false
            $config.Run.Throw = $true
            $config.Output.Verbosity = 'Detailed'
            Invoke-Pester -Configuration $config
        }
        else {
            Write-Warning 'Pester 5 is not installed: skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
        }
    }
}
finally {
    Pop-Location
}
