#!/usr/bin/env bash
# Measure-PacketCapture vs `tshark -q -z conv,tcp` on a generated capture (default 1,000,000 packets of
# synthetic TLS connections). Prints both times (wall and CPU), the ratio and both peak memories.
# Usage: bash bench/analysis.sh [packets]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build GoNetTools.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/GoNetTools.AnalysisBench/bin/Release/net10.0/GoNetTools.AnalysisBench.dll "${1:-1000000}"
