# shellcheck shell=bash
# ----------------------------------------------------------------------------
# interleaved.sh - what compare-kernel.sh and compare-sync.sh share: sourced,
# not run. Each of them runs one JMH-free benchmark program of this module and
# its CPython twin in benchmarks/python on the same workloads, interleaved, a
# fresh process per run, and prints medians and ratios.
#
# The sourcing script defines run_java WORKLOAD and run_python WORKLOAD (each
# appends its program's text lines to "$java_log" / "$py_log"), then calls:
#   interleaved_start NAME   logs in benchmarks/target/NAME/, the jar built
#                            when the sources are newer, the machine's header
#   interleaved_rounds N W.. N rounds; each runs every workload once per side,
#                            alternating which side goes first
#   interleaved_row WIDTH KIND WORKLOAD FIGURE LABEL
#                            one table row: the medians of FIGURE on both sides
#                            and their ratio (KIND: run, or warmup = the first
#                            run in each process)
# ----------------------------------------------------------------------------

here=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ASYNCIO4J_PROJECT_DIR=$(dirname -- "$here")
export ASYNCIO4J_PROJECT_DIR
# shellcheck source=../.mvn/find-jdk.sh
. "$ASYNCIO4J_PROJECT_DIR/.mvn/find-jdk.sh"

python=${PYTHON:-python3}
jar="$here/target/benchmarks.jar"

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }

interleaved_start() {
  command -v "$python" >/dev/null || { echo "$1.sh: $python not found" >&2; exit 1; }
  if [ ! -f "$jar" ] || [ -n "$(find "$ASYNCIO4J_PROJECT_DIR/core/src/main" "$here/src/main" "$here/pom.xml" \
      "$ASYNCIO4J_PROJECT_DIR/core/pom.xml" "$ASYNCIO4J_PROJECT_DIR/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "# building benchmarks/target/benchmarks.jar" >&2
    (cd "$ASYNCIO4J_PROJECT_DIR" && ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests)
  fi
  logs="$here/target/$1"
  mkdir -p "$logs"
  java_log="$logs/asyncio4j.txt"
  py_log="$logs/asyncio.txt"
  : >"$java_log"
  : >"$py_log"
  {
    echo "# machine: $(nproc) cpus, $(uname -sr), load average at start: $(loadavg)"
    echo "# java: $(java -version 2>&1 | head -n 1)"
    echo "# python: $("$python" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"
  } | tee "$logs/machine.txt"
}

interleaved_rounds() {
  local rounds=$1 r w
  shift
  for ((r = 1; r <= rounds; r++)); do
    echo "# round $r/$rounds (load average $(loadavg))" >&2
    for w in "$@"; do
      if ((r % 2)); then run_java "$w"; run_python "$w"; else run_python "$w"; run_java "$w"; fi
    done
  done
  echo "# load average at end: $(loadavg)" | tee -a "$logs/machine.txt"
}

# values KIND FILE WORKLOAD FIGURE -> the figure of each matching line (warmup: the first run in each process)
values() {
  awk -v kind="$1" -v w="$3" -v fig="$4" '
    $1 == kind && $2 == w && (kind != "warmup" || $3 ~ /^1\//) {
      for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == fig) print kv[2] }
    }' "$2"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

interleaved_row() { # WIDTH KIND WORKLOAD FIGURE LABEL
  local j p ratio
  j=$(values "$2" "$java_log" "$3" "$4" | median)
  p=$(values "$2" "$py_log" "$3" "$4" | median)
  ratio=$(awk -v a="$j" -v b="$p" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.3f\n", a / b }')
  printf "%-${1}s | %-34s | %16s | %14s | %8s\n" "$3" "${5:-$4}" "$j" "$p" "$ratio"
}

interleaved_header() { # WIDTH ROUNDS
  echo
  echo "medians of $2 interleaved rounds; ratio = asyncio4j / asyncio (lower is better for every figure)"
  printf "%-${1}s | %-34s | %16s | %14s | %8s\n" workload figure "asyncio4j median" "asyncio median" ratio
  printf "%-${1}s-|------------------------------------|------------------|----------------|---------\n" "" | tr ' ' '-'
}
