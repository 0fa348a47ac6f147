#!/usr/bin/env bash
# Benchmark: ~100k TIME_WAIT sockets in a throwaway network namespace; Get-TcpTimeWait (in the engine) vs
# `ss -tan state time-wait`, plus managed bytes per socket. Needs root and iproute2. Never touches the host's
# tunables: the port range and TIME_WAIT bucket limit are set inside the namespace only.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
dotnet build GoNetTools.sln -c Release -nologo -v quiet -clp:ErrorsOnly
ns="gnt-bench-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
nice -n -15 ip netns exec "$ns" dotnet bench/GoNetTools.Bench/bin/Release/net10.0/GoNetTools.Bench.dll timewait --count "$count"
