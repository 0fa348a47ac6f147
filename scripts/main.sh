#!/usr/bin/env bash
# The main job on a fresh machine: set up, build, and report TCP TIME_WAIT through the gonettools host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./gonettools 'Get-TcpStatistic; Get-TcpTimeWait'
