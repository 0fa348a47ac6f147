#!/usr/bin/env bash
# Installs what GoNetTools' build, main job and tests need on Debian/Ubuntu, when missing, and builds.
# Run as root (it calls apt-get). Without root, install these yourself:
#   apt-get install -y iproute2 ethtool procps libpcap0.8 tcpdump tshark golang-go nghttp2-client
# and the .NET SDK 10 (dotnet) for building.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v ip >/dev/null       || need+=(iproute2)
command -v ss >/dev/null       || need+=(iproute2)
command -v ethtool >/dev/null  || need+=(ethtool)
command -v sysctl >/dev/null   || need+=(procps)
command -v tcpdump >/dev/null  || need+=(tcpdump)
command -v tshark >/dev/null   || need+=(tshark)
command -v go >/dev/null       || need+=(golang-go)
command -v h2load >/dev/null   || need+=(nghttp2-client)
ldconfig -p 2>/dev/null | grep -q 'libpcap.so' || need+=(libpcap0.8)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${need[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no, tests run as root.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET SDK 10 (dotnet) is needed to build GoNetTools; install it and run again." >&2
  exit 1
fi

dotnet build GoNetTools.sln -c Release -nologo -v quiet -clp:ErrorsOnly
