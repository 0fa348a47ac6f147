#!/usr/bin/env bash
# Runs the GOPROXY client benchmark through the gonettools host (build first: dotnet build GoNetTools.sln -c Release).
# Usage: bench/goproxy.sh [duration-seconds] [concurrency] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"; conc="${2:-$(nproc)}"; rounds="${3:-3}"
./gonettools -c "& ./bench/Compare-GoProxyClient.ps1 -Duration ([TimeSpan]::FromSeconds($secs)) -Concurrency $conc -Rounds $rounds"
