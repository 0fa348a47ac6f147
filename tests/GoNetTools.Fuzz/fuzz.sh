#!/usr/bin/env bash
# Runs every SharpFuzz harness under afl-fuzz, one after the other (never two at once), for a bounded time each,
# and prints execs, exec/s, paths (corpus), crashes and hangs per harness. Not part of CI: CI replays the crashes
# kept in tests/fixtures/fuzz/<target>/ (FuzzRegressionTests).
#
#   bash tests/GoNetTools.Fuzz/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 600 s, every target)
#
# Needs afl++ (apt-get install afl++; scripts/setup.sh installs it) and the .NET SDK. SharpFuzz.CommandLine comes
# from the repository's tool manifest (dotnet-tools.json) through `dotnet tool restore`. Work files go to
# out/fuzz/ in the repository; new crashes are copied to tests/fixtures/fuzz/<target>/ for review.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(tls http2 capture proc netstat backup)
fi
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (apt-get install afl++)" >&2; exit 1; }

work="$PWD/out/fuzz"
bin="$work/bin"
rm -rf "$bin"
mkdir -p "$work"
dotnet tool restore >/dev/null
dotnet publish tests/GoNetTools.Fuzz -c Release -o "$bin" -nologo -v quiet -clp:ErrorsOnly >/dev/null
# Instrument the module's parsers (SharpFuzz rewrites the assembly in place for AFL's coverage map).
dotnet sharpfuzz "$bin/GoNetTools.Cmdlets.dll" >/dev/null

# dotnet itself is not AFL-instrumented; SharpFuzz speaks the forkserver protocol from managed code.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
export DOTNET_TieredCompilation=0 DOTNET_gcServer=0

printf '%-8s %10s %8s %8s %8s %6s %9s\n' target execs exec/s corpus crashes hangs seconds
for target in "${targets[@]}"; do
  out="$work/$target"
  rm -rf "$out"
  start=$(date +%s)
  afl-fuzz -i "tests/GoNetTools.Fuzz/seeds/$target" -o "$out" -t 10000 -m none -V "$seconds" \
    -- dotnet "$bin/GoNetTools.Fuzz.dll" "$target" >"$work/$target.log" 2>&1 || true
  elapsed=$(( $(date +%s) - start ))
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz: $target did not start; see $work/$target.log" >&2
    tail -20 "$work/$target.log" >&2
    continue
  fi
  get() { grep "^$1 " "$stats" | sed 's/.*: *//'; }
  printf '%-8s %10s %8s %8s %8s %6s %9s\n' "$target" "$(get execs_done)" "$(get execs_per_sec)" "$(get corpus_count)" \
    "$(get saved_crashes)" "$(get saved_hangs)" "$elapsed"
  crashes=("$out"/default/crashes/id:*)
  if [ -e "${crashes[0]}" ]; then
    mkdir -p "tests/fixtures/fuzz/$target"
    for c in "${crashes[@]}"; do
      cp "$c" "tests/fixtures/fuzz/$target/crash-$(sha1sum "$c" | cut -c1-12)"
    done
    echo "fuzz: $target: ${#crashes[@]} crash(es) copied to tests/fixtures/fuzz/$target/ (replay uninstrumented: dotnet run --project tests/GoNetTools.Fuzz -c Release -- $target FILE)"
  fi
done
