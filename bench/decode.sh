#!/usr/bin/env bash
# PacketDotNet beside the module's span parsers, decoding the same generated capture (default 1,000,000 packets)
# to TCP ports, sequence/ack numbers, flags and payload length. Prints both times, the ratio and allocations.
# Usage: bash bench/decode.sh [packets] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PacketDecodeBench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/PacketDecodeBench/bin/Release/net10.0/PacketDecodeBench.dll "${1:-1000000}" "${2:-3}"
