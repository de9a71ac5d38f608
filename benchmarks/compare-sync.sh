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

# shellcheck source=interleaved.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/interleaved.sh"

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

run_java() {
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  java --add-opens java.base/java.lang=ALL-UNNAMED -Xmx2g ${JAVA_OPTS:-} -cp "$jar" \
    io.asyncio4j.benchmarks.SyncBenchmark "$1" --reps 1 --warmup "$warmup" >>"$java_log"
}

run_python() {
  "$python" "$here/python/sync_bench.py" "$1" --reps 1 --warmup "$warmup" >>"$py_log"
}

interleaved_start compare-sync
interleaved_rounds "$rounds" "${workloads[@]}"
interleaved_header 17 "$rounds"
for w in "${workloads[@]}"; do
  case "$w" in
    *_pingpong) interleaved_row 17 run "$w" ns_per_handoff ;;
    queue_fanout) interleaved_row 17 run "$w" ns_per_item ;;
    *) interleaved_row 17 run "$w" ns_per_op ;;
  esac
  interleaved_row 17 run "$w" loop_cpu_ms
done
echo
echo "raw output: $logs/"
