#!/usr/bin/env bash
# The main job on a fresh machine: set up, build, and test a lab GOPROXY's stability through the gonettools host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./gonettools -c 'Test-GoProxyStability -Lab'
