#!/usr/bin/env bash
# All tests on a fresh machine: set up (OS packages, build), then every xunit test, including the ones that
# drive the real engine inside network namespaces they create. Ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

results="$(mktemp -d)"
status=0
dotnet test tests/GoNetTools.Tests/GoNetTools.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" --logger "console;verbosity=minimal" || status=$?

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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
