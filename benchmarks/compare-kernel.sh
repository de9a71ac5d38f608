#!/usr/bin/env bash
# ----------------------------------------------------------------------------
# compare-kernel.sh - asyncio4j's kernel next to CPython's asyncio, in one run.
#
# Runs KernelBenchmark (Java) and python/kernel_bench.py (CPython, standard
# library only) on the same workloads, interleaved: every round runs each
# workload once on each side, alternating which side goes first, so that the
# noise of a shared machine lands on both. Each run is a fresh process. Then
# prints the medians over the rounds:
#
#   workload | figure | asyncio4j median | asyncio median | ratio
#
# ratio = asyncio4j / asyncio; every figure is lower-is-better, so a ratio
# below 1 means asyncio4j is faster or smaller.
#
# Usage: benchmarks/compare-kernel.sh [--rounds N] [--yields N] [workload...]
#   workload   sleep100k, parked1m, switch (default: all three)
#   --rounds   interleaved rounds, i.e. measured runs per side (default 5)
#   --yields   sleep(0) calls per task in switch (default 250000, both sides)
#
# Environment: JAVA_OPTS (extra JVM flags), PYTHON (default python3).
# Needs a JDK >= 25 (found by .mvn/find-jdk.sh) and python3 >= 3.8.
# Raw output of every run is kept in benchmarks/target/compare-kernel/.
# ----------------------------------------------------------------------------
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ASYNCIO4J_PROJECT_DIR=$(dirname -- "$here")
export ASYNCIO4J_PROJECT_DIR
# shellcheck source=../.mvn/find-jdk.sh
. "$ASYNCIO4J_PROJECT_DIR/.mvn/find-jdk.sh"

rounds=5
yields=250000
workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
    --yields) yields=${2:?--yields needs a value}; shift 2 ;;
    sleep100k|parked1m|switch) workloads+=("$1"); shift ;;
    -h|--help) sed -n '2,/^# ---/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-kernel.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(sleep100k parked1m switch)
case "$rounds$yields" in *[!0-9]*) echo "compare-kernel.sh: --rounds and --yields take positive integers" >&2; exit 2 ;; esac

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "compare-kernel.sh: $python not found" >&2; exit 1; }

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$ASYNCIO4J_PROJECT_DIR/core/src/main" "$here/src/main" "$here/pom.xml" \
    "$ASYNCIO4J_PROJECT_DIR/core/pom.xml" "$ASYNCIO4J_PROJECT_DIR/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "# building benchmarks/target/benchmarks.jar" >&2
  (cd "$ASYNCIO4J_PROJECT_DIR" && ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests)
fi

logs="$here/target/compare-kernel"
mkdir -p "$logs"
java_log="$logs/asyncio4j.txt"
py_log="$logs/asyncio.txt"
: >"$java_log"
: >"$py_log"

# Warm-up runs inside each process: the JIT needs them; CPython gets the same.
warmups() { case "$1" in parked1m) echo 0 ;; *) echo 2 ;; esac; }

run_java() {
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java --add-opens java.base/java.lang=ALL-UNNAMED -Xmx2g ${JAVA_OPTS:-} -cp "$jar" \
    io.asyncio4j.benchmarks.KernelBenchmark "$1" --reps 1 --warmup "$(warmups "$1")" --yields "$yields" \
    >>"$java_log"
}

run_python() {
  "$python" "$here/python/kernel_bench.py" "$1" --reps 1 --warmup "$(warmups "$1")" --yields "$yields" >>"$py_log"
}

{
  echo "# machine: $(nproc) cpus, $(uname -sr), load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  echo "# java: $(java -version 2>&1 | head -n 1)"
  echo "# python: $("$python" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
} | tee "$logs/machine.txt"

for ((r = 1; r <= rounds; r++)); do
  for w in "${workloads[@]}"; do
    echo "# round $r/$rounds: $w" >&2
    if ((r % 2)); then run_java "$w"; run_python "$w"; else run_python "$w"; run_java "$w"; fi
  done
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" | tee -a "$logs/machine.txt"

# value KIND WORKLOAD FIGURE FILE -> one value per matching line (kind: run, or warmup 1/ = first run in the process)
values() {
  awk -v kind="$1" -v w="$3" -v fig="$4" '
    $1 == kind && $2 == w && (kind != "warmup" || $3 ~ /^1\//) {
      for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == fig) print kv[2] }
    }' "$2"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() { # KIND WORKLOAD FIGURE LABEL
  local j p ratio
  j=$(values "$1" "$java_log" "$2" "$3" | median)
  p=$(values "$1" "$py_log" "$2" "$3" | median)
  ratio=$(awk -v a="$j" -v b="$p" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.3f\n", a / b }')
  printf '%-10s | %-34s | %16s | %14s | %8s\n' "$2" "$4" "$j" "$p" "$ratio"
}

echo
echo "medians of $rounds interleaved rounds; ratio = asyncio4j / asyncio (lower is better for every figure)"
printf '%-10s | %-34s | %16s | %14s | %8s\n' workload figure "asyncio4j median" "asyncio median" ratio
printf '%s\n' "-----------|------------------------------------|------------------|----------------|---------"
for w in "${workloads[@]}"; do
  case "$w" in
    sleep100k)
      row run sleep100k wall_ms "wall_ms (warm)"
      row run sleep100k loop_cpu_ms "loop_cpu_ms (warm)"
      row warmup sleep100k wall_ms "wall_ms (first run in the process)"
      row warmup sleep100k loop_cpu_ms "loop_cpu_ms (first run)"
      ;;
    parked1m)
      row run parked1m heap_bytes_per_task "heap_bytes_per_task"
      row run parked1m heap_used_mb "heap_used_mb"
      row run parked1m rss_bytes_per_task "rss_bytes_per_task"
      row run parked1m create_ms "create_ms (1M tasks, first run)"
      row run parked1m release_ms "release_ms (1M tasks, first run)"
      ;;
    switch)
      row run switch ns_per_switch "ns_per_switch"
      ;;
  esac
done
echo
echo "raw output: $logs/"
