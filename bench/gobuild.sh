#!/usr/bin/env bash
# Benchmark: Measure-GoBuild's cold-build times beside hyperfine timing the same `go build` command in the same
# throwaway-cache setup, in the same run, and the ratio of the two medians (ours / hyperfine's). Rounds alternate
# the order (ours first, then hyperfine first) so a machine that gets busier or quieter during the run does not
# favour either side. Never touches the caller's GOCACHE or GOMODCACHE: hyperfine's runs get the environment
# GoSandbox gives go (src/GoNetTools.Cmdlets/GoModDownload/GoSandbox.cs) under a private directory of their own.
# Usage: bash bench/gobuild.sh [hello-runs] [std-runs] [rounds]   (defaults 10, 3, 2; std-runs 0 skips std)
set -euo pipefail
cd "$(dirname "$0")/.."
hello_runs="${1:-10}"; std_runs="${2:-3}"; rounds="${3:-2}"
command -v hyperfine >/dev/null || { echo "gobuild.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
command -v go >/dev/null || { echo "gobuild.sh: needs go (apt-get install golang-go)" >&2; exit 2; }
dotnet build GoNetTools.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

# The same file system as Measure-GoBuild's private directory (/run/gonettools for root, else the temp folder).
base="${TMPDIR:-/tmp}"
if [ "$(id -u)" = 0 ] && [ -d /run/gonettools ]; then base=/run/gonettools; fi
box="$(mktemp -d "$base/bench-gobuild-XXXXXX")"
trap 'rm -rf "$box"' EXIT
mkdir -p "$box/hello" "$box/work" "$box/tmp" "$box/times"
printf 'module example.com/hello\n\ngo 1.16\n' > "$box/hello/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello, world")\n}\n' > "$box/hello/main.go"
# Before each hello run: a fresh GOCACHE holding only what `go build fmt` put there (Measure-GoBuild's seed);
# before each std run: an empty GOCACHE.
printf 'rm -rf "%s/run-cache" && cp -a "%s/seed-cache" "%s/run-cache"\n' "$box" "$box" "$box" > "$box/reset-hello.sh"
printf 'rm -rf "%s/run-cache"\n' "$box" > "$box/reset-std.sh"

sandboxed() {
  env -u GOWORK HOME="$box" XDG_CACHE_HOME="$box/cache" XDG_CONFIG_HOME="$box/config" GOPATH="$box/gopath" \
    GOMODCACHE="$box/gopath/pkg/mod" GOCACHE="$box/${GOCACHE_NAME:-run-cache}" TMPDIR="$box/tmp" GOTMPDIR="$box/tmp" \
    GOFLAGS=-modcacherw GOTOOLCHAIN=local "$@"
}
(cd "$box/hello" && GOCACHE_NAME=seed-cache sandboxed go build fmt)

ours() { # workload runs round
  ./gonettools -NoProfile -NonInteractive -Command \
    "Measure-GoBuild -Workload $1 -Count $2 -ErrorAction Stop | ForEach-Object { \$_.Times | ForEach-Object { \$_.TotalSeconds.ToString([cultureinfo]::InvariantCulture) } }" \
    > "$box/times/ours-$1-$3.txt"
}
theirs() { # workload runs round
  local folder="$box/hello" command="go build" reset="$box/reset-hello.sh"
  if [ "$1" = Std ]; then folder="$box/work"; command="go build -a std"; reset="$box/reset-std.sh"; fi
  (cd "$folder" && sandboxed hyperfine -N --style none --runs "$2" --prepare "bash $reset" \
    --export-json "$box/times/hyperfine-$1-$3.json" "$command" >/dev/null)
  jq -r '.results[0].times[]' "$box/times/hyperfine-$1-$3.json" > "$box/times/theirs-$1-$3.txt"
}

echo "gobuild.sh: $(go version), $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
workloads=(HelloWorld); runs=("$hello_runs")
if [ "$std_runs" -gt 0 ]; then workloads+=(Std); runs+=("$std_runs"); fi
for i in "${!workloads[@]}"; do
  w="${workloads[$i]}"; n="${runs[$i]}"
  for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then ours "$w" "$n" "$r"; theirs "$w" "$n" "$r"; else theirs "$w" "$n" "$r"; ours "$w" "$n" "$r"; fi
  done
done
echo "gobuild.sh: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$box/times" "${workloads[@]}" <<'EOF'
import glob, statistics, sys
folder, workloads = sys.argv[1], sys.argv[2:]
def times(side, w):
    return sorted(float(t) for f in glob.glob(f"{folder}/{side}-{w}-*.txt") for t in open(f).read().split())
command = {"HelloWorld": "go build (hello-world, seeded GOCACHE)", "Std": "go build -a std (empty GOCACHE)"}
print(f"{'workload':<40} {'tool':<16} {'runs':>4} {'min s':>8} {'median s':>9} {'max s':>8}")
for w in workloads:
    a, b = times("ours", w), times("theirs", w)
    for tool, t in (("Measure-GoBuild", a), ("hyperfine", b)):
        print(f"{command[w]:<40} {tool:<16} {len(t):>4} {t[0]:>8.3f} {statistics.median(t):>9.3f} {t[-1]:>8.3f}")
    print(f"{command[w]:<40} ratio of medians Measure-GoBuild / hyperfine: {statistics.median(a) / statistics.median(b):.3f}")
EOF
