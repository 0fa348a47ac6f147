#!/usr/bin/env bash
# All tests on a fresh machine: set up (OS packages, build: the module, the gonettools pwsh at out/pwsh, Pester
# 5.7.1 from NuGet), then every xunit test, including the ones that drive the real engine inside network
# namespaces they create, then the Pester specs in tests/Pester under that pwsh. Ends with one
# "N passed, N failed, N skipped" line counting both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# CI runs as root with every tool installed: a missing requirement fails (Infrastructure/Requires.cs) instead of skipping.
export GONETTOOLS_REQUIRE_ALL=1

results="$(mktemp -d)"
status=0
xunit_start=$SECONDS
dotnet test tests/GoNetTools.Tests/GoNetTools.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" --logger "console;verbosity=minimal" || status=$?
echo "test: xunit took $(( SECONDS - xunit_start )) s"

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "test: no results file; dotnet test exited $status" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
skipped=$(( total - executed ))
echo "test: xunit: passed $passed, failed $failed, skipped $skipped"

# The Pester 5 specs, under the pwsh the build made (out/pwsh) with the Pester 5.7.1 it restored from NuGet.
pester_start=$SECONDS
pester_counts="$results/pester-counts"
pester_status=0
./out/pwsh/gonettools -NoProfile -NonInteractive -Command \
  "& ./tests/Pester/Invoke-PesterSpecs.ps1 -CountsPath '$pester_counts'; exit \$LASTEXITCODE" || pester_status=$?
echo "test: Pester took $(( SECONDS - pester_start )) s"
if [ -s "$pester_counts" ]; then
  read -r p_passed p_failed p_skipped < "$pester_counts"
else
  echo "test: Pester wrote no counts; it exited $pester_status" >&2
  p_passed=0; p_failed=1; p_skipped=0
fi
[ "$pester_status" -eq 0 ] || [ "$p_failed" -gt 0 ] || p_failed=1

passed=$(( passed + p_passed )); failed=$(( failed + p_failed )); skipped=$(( skipped + p_skipped ))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
