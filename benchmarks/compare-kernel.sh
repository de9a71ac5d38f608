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

# shellcheck source=interleaved.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/interleaved.sh"

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

interleaved_start compare-kernel
interleaved_rounds "$rounds" "${workloads[@]}"
interleaved_header 10 "$rounds"
for w in "${workloads[@]}"; do
  case "$w" in
    sleep100k)
      interleaved_row 10 run sleep100k wall_ms "wall_ms (warm)"
      interleaved_row 10 run sleep100k loop_cpu_ms "loop_cpu_ms (warm)"
      interleaved_row 10 warmup sleep100k wall_ms "wall_ms (first run in the process)"
      interleaved_row 10 warmup sleep100k loop_cpu_ms "loop_cpu_ms (first run)"
      ;;
    parked1m)
      interleaved_row 10 run parked1m heap_bytes_per_task "heap_bytes_per_task"
      interleaved_row 10 run parked1m heap_used_mb "heap_used_mb"
      interleaved_row 10 run parked1m rss_bytes_per_task "rss_bytes_per_task"
      interleaved_row 10 run parked1m create_ms "create_ms (1M tasks, first run)"
      interleaved_row 10 run parked1m release_ms "release_ms (1M tasks, first run)"
      ;;
    switch)
      interleaved_row 10 run switch ns_per_switch "ns_per_switch"
      ;;
  esac
done
echo
echo "raw output: $logs/"
