#!/usr/bin/env bash
# Installs what GoNetTools' build, main job and tests need on Debian/Ubuntu, when missing, and builds.
# Run as root (it calls apt-get). Without root, install these yourself:
#   apt-get install -y iproute2 ethtool procps libpcap0.8 tcpdump tshark golang-go nghttp2-client \
#     nginx openssh-server chromium prometheus prometheus-node-exporter afl++ hyperfine
# and the .NET SDK 10 (dotnet) for building. The servers among them (nginx, sshd, prometheus, node_exporter)
# are real peers the tests start themselves on loopback or in their own namespaces; setup never starts them.
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
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
[ -x /usr/sbin/sshd ]          || need+=(openssh-server)
command -v chromium >/dev/null || need+=(chromium)
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-node-exporter >/dev/null || need+=(prometheus-node-exporter)
command -v afl-fuzz >/dev/null || need+=(afl++)
command -v hyperfine >/dev/null || need+=(hyperfine)
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
  # Packages with services (nginx, ssh, prometheus, node_exporter) must not start them on the host's ports:
  # policy-rc.d answering 101 tells invoke-rc.d not to start anything during this install.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" -eq 0 ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; fi
  trap '[ "$had_policy" -eq 0 ] && rm -f "$policy"' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ "$had_policy" -eq 0 ] && rm -f "$policy"
  trap - EXIT
fi
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET SDK 10 (dotnet) is needed to build GoNetTools; install it and run again." >&2
  exit 1
fi

dotnet build GoNetTools.sln -c Release -nologo -v quiet -clp:ErrorsOnly
