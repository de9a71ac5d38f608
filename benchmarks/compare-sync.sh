#!/usr/bin/env bash
# ----------------------------------------------------------------------------
# compare-sync.sh - asyncio4j's sync primitives next to CPython's asyncio.
#
# Runs SyncBenchmark (Java) and python/sync_bench.py (CPython, standard
# library only) on the same workloads, interleaved: every round runs each
# workload once on each side, alternating which side goes first, so that the
# noise of a shared machine lands on both. Each run is a fresh process that
# does its warm-up runs, then one measured run. Then prints the medians over
# the rounds:
#
#   workload | figure | asyncio4j median | asyncio median | ratio
#
# ratio = asyncio4j / asyncio; every figure is lower-is-better, so a ratio
# below 1 means asyncio4j is faster.
#
# Usage: benchmarks/compare-sync.sh [--rounds N] [--warmup N] [workload...]
#   workload   sem_pingpong sem_fanout sem_uncontended queue_pingpong
#              queue_fanout queue_uncontended, or sem / queue (default: all six)
#   --rounds   interleaved rounds, i.e. measured runs per side (default 5)
#   --warmup   unmeasured runs in each process before the measured one
#              (default 5, both sides)
#
# Environment: JAVA_OPTS (extra JVM flags), PYTHON (default python3).
# Needs a JDK >= 25 (found by .mvn/find-jdk.sh) and python3 >= 3.8.
# Raw output of every run is kept in benchmarks/target/compare-sync/.
# ----------------------------------------------------------------------------
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ASYNCIO4J_PROJECT_DIR=$(dirname -- "$here")
export ASYNCIO4J_PROJECT_DIR
# shellcheck source=../.mvn/find-jdk.sh
. "$ASYNCIO4J_PROJECT_DIR/.mvn/find-jdk.sh"

sem=(sem_pingpong sem_fanout sem_uncontended)
queue=(queue_pingpong queue_fanout queue_uncontended)
rounds=5
warmup=5
workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs a value}; shift 2 ;;
    sem) workloads+=("${sem[@]}"); shift ;;
    queue) workloads+=("${queue[@]}"); shift ;;
    all) workloads+=("${sem[@]}" "${queue[@]}"); shift ;;
    sem_pingpong|sem_fanout|sem_uncontended|queue_pingpong|queue_fanout|queue_uncontended) workloads+=("$1"); shift ;;
    -h|--help) sed -n '2,/^# ---/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-sync.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=("${sem[@]}" "${queue[@]}")
case "$rounds" in ''|*[!0-9]*|0) echo "compare-sync.sh: --rounds takes a positive integer" >&2; exit 2 ;; esac
case "$warmup" in ''|*[!0-9]*) echo "compare-sync.sh: --warmup takes an integer >= 0" >&2; exit 2 ;; esac

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "compare-sync.sh: $python not found" >&2; exit 1; }

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$ASYNCIO4J_PROJECT_DIR/core/src/main" "$here/src/main" "$here/pom.xml" \
    "$ASYNCIO4J_PROJECT_DIR/core/pom.xml" "$ASYNCIO4J_PROJECT_DIR/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "# building benchmarks/target/benchmarks.jar" >&2
  (cd "$ASYNCIO4J_PROJECT_DIR" && ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests)
fi

logs="$here/target/compare-sync"
mkdir -p "$logs"
java_log="$logs/asyncio4j.txt"
py_log="$logs/asyncio.txt"
: >"$java_log"
: >"$py_log"

run_java() {
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java --add-opens java.base/java.lang=ALL-UNNAMED -Xmx2g ${JAVA_OPTS:-} -cp "$jar" \
    io.asyncio4j.benchmarks.SyncBenchmark "$1" --reps 1 --warmup "$warmup" >>"$java_log"
}

run_python() {
  "$python" "$here/python/sync_bench.py" "$1" --reps 1 --warmup "$warmup" >>"$py_log"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }

{
  echo "# machine: $(nproc) cpus, $(uname -sr), load average at start: $(loadavg)"
  echo "# java: $(java -version 2>&1 | head -n 1)"
  echo "# python: $("$python" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
} | tee "$logs/machine.txt"

for ((r = 1; r <= rounds; r++)); do
  echo "# round $r/$rounds (load average $(loadavg))" >&2
  for w in "${workloads[@]}"; do
    if ((r % 2)); then run_java "$w"; run_python "$w"; else run_python "$w"; run_java "$w"; fi
  done
done
echo "# load average at end: $(loadavg)" | tee -a "$logs/machine.txt"

# values FILE WORKLOAD FIGURE -> the figure of every measured run of the workload
values() {
  awk -v w="$2" -v fig="$3" '
    $1 == "run" && $2 == w {
      for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == fig) print kv[2] }
    }' "$1"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() { # WORKLOAD FIGURE
  local j p ratio
  j=$(values "$java_log" "$1" "$2" | median)
  p=$(values "$py_log" "$1" "$2" | median)
  ratio=$(awk -v a="$j" -v b="$p" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.3f\n", a / b }')
  printf '%-17s | %-14s | %16s | %14s | %8s\n' "$1" "$2" "$j" "$p" "$ratio"
}

echo
echo "medians of $rounds interleaved rounds; ratio = asyncio4j / asyncio (lower is better for every figure)"
printf '%-17s | %-14s | %16s | %14s | %8s\n' workload figure "asyncio4j median" "asyncio median" ratio
printf '%s\n' "------------------|----------------|------------------|----------------|---------"
for w in "${workloads[@]}"; do
  case "$w" in
    *_pingpong) row "$w" ns_per_handoff ;;
    queue_fanout) row "$w" ns_per_item ;;
    *) row "$w" ns_per_op ;;
  esac
  row "$w" loop_cpu_ms
done
echo
echo "raw output: $logs/"
