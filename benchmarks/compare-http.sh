#!/usr/bin/env bash
# ----------------------------------------------------------------------------
# compare-http.sh - ClientSession's requests per second next to wrk's, on the
# same local nginx (issue 5's third figure).
#
# Starts nginx in the foreground ("daemon off", under this script's control)
# with a minimal configuration of its own in a temporary directory, listening
# on 127.0.0.1 only and serving one 1 KiB static file; then runs, for each
# round, `wrk -t2 -c256 -d<seconds>s` and `HttpBenchmark rps` (256 tasks,
# limit and limitPerHost 256, one warm-up run then one measured run of
# <seconds> each), alternating which goes first; prints the medians; stops
# nginx and removes the directory.
#
# Usage: benchmarks/compare-http.sh [--rounds N] [--seconds N] [--concurrency N]
#   defaults: 3 rounds, 10 s per run, concurrency 256
#
# Needs nginx and wrk on the PATH (Debian: apt-get install nginx wrk), a JDK
# >= 25 (found by .mvn/find-jdk.sh) and benchmarks/target/benchmarks.jar
# (./mvnw -B -ntp -pl benchmarks -am package -DskipTests).
# Raw output of every run is kept in benchmarks/target/compare-http/.
# ----------------------------------------------------------------------------
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ASYNCIO4J_PROJECT_DIR=$(dirname -- "$here")
export ASYNCIO4J_PROJECT_DIR
# shellcheck source=../.mvn/find-jdk.sh
. "$ASYNCIO4J_PROJECT_DIR/.mvn/find-jdk.sh"

rounds=3
seconds=10
concurrency=256
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--seconds N] [--concurrency N]" >&2; exit 2 ;;
  esac
done

nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$nginx_bin" ] || { echo "nginx not found (apt-get install nginx)" >&2; exit 1; }
jar="$here/target/benchmarks.jar"
[ -f "$jar" ] || { echo "missing $jar: ./mvnw -B -ntp -pl benchmarks -am package -DskipTests" >&2; exit 1; }

out="$here/target/compare-http"
mkdir -p "$out"
dir=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$dir/www" "$dir/logs"
head -c 1024 /dev/zero | tr '\0' 'a' > "$dir/www/1k.txt"
cat > "$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  server {
    listen 127.0.0.1:$port backlog=4096;
    root $dir/www;
  }
}
CONF
chmod -R a+rX "$dir" # nginx started as root serves as "nobody"
"$nginx_bin" -p "$dir" -c "$dir/nginx.conf" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; rm -rf "$dir"' EXIT
url="http://127.0.0.1:$port/1k.txt"
for _ in $(seq 50); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$url" || { echo "nginx does not serve $url" >&2; exit 1; }

echo "# $(uname -srm) | $(nproc) cpus | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///') worker_processes 1 | wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') | load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

run_wrk() {
  wrk -t2 -c"$concurrency" -d"${seconds}s" "$url" > "$out/wrk-$1.txt"
  if grep -q 'Non-2xx' "$out/wrk-$1.txt"; then echo "wrk saw non-2xx answers: $out/wrk-$1.txt" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$out/wrk-$1.txt"
}
run_java() {
  "$JAVA_HOME/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$jar" \
    io.asyncio4j.benchmarks.HttpBenchmark rps --url "$url" --concurrency "$concurrency" --seconds "$seconds" \
    --warmup 1 --reps 1 > "$out/java-$1.txt" 2>&1
  awk '/^run rps/ {for (i = 1; i <= NF; i++) if ($i ~ /^req_per_s=/) {sub("req_per_s=", "", $i); print $i}}' "$out/java-$1.txt"
}

w=(); j=()
for r in $(seq "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then a=$(run_wrk "$r"); b=$(run_java "$r"); else b=$(run_java "$r"); a=$(run_wrk "$r"); fi
  w+=("$a"); j+=("$b")
  echo "round $r/$rounds wrk_req_per_s=$a asyncio4j_req_per_s=$b load=$(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
mw=$(median "${w[@]}"); mj=$(median "${j[@]}")
echo "median wrk_req_per_s=$mw asyncio4j_req_per_s=$mj ratio=$(awk -v a="$mj" -v b="$mw" 'BEGIN {printf "%.2f", a / b}')"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
