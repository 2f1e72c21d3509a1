#!/usr/bin/env bash
# Sign-in flood: what a stream of Basic sign-ins with made-up user names (each one new, so the per-name
# throttle never stops them, and each costing an Argon2 check) does to everything else on the server.
# For each jar: ingest alone, then ingest while the flood runs, and a few API calls with a token meanwhile.
# Usage: onloop-bench/signin-flood/run.sh [jar ...]   (default: onloop-app/target/onloop.jar)
# Needs: wrk (Debian package; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ $# -gt 0 ] || { [ -f onloop-app/target/onloop.jar ] || ./mvnw -B -q -DskipTests package; set -- onloop-app/target/onloop.jar; }
PORT=18080
read -ra JAVA_OPTS <<< "${ONLOOP_JAVA_OPTS--Xmx1g -XX:G1HeapRegionSize=32m}" # as ingest/run.sh
ADMIN_TOKEN="olt_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK="$(mktemp -d)"
SERVER=
cleanup() {
  pkill -P $$ wrk 2>/dev/null || true
  [ -z "$SERVER" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

one_run() { # jar, flood (0|1)
  local dir="$WORK/run-$RANDOM"; mkdir -p "$dir"
  "$JAVA_HOME/bin/java" "${JAVA_OPTS[@]}" -jar "$1" --server.port=$PORT --onloop.data-dir="$dir/data" \
    --onloop.bootstrap.admin-token="$ADMIN_TOKEN" > "$dir/server.log" 2>&1 &
  SERVER=$!
  local up=
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health" && { up=1; break; }; sleep 0.5; done
  [ -n "$up" ] || { echo "onloop did not start; its log:" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
  local token
  token=$(curl -fs -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \
    -d '{"name":"am","format":"alertmanager"}' "http://127.0.0.1:$PORT/api/v1/sources" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  local url="http://127.0.0.1:$PORT/api/v1/ingest/alertmanager" flood=
  TARGET=onloop TOKEN=$token wrk -t1 -c8 -d30s -s onloop-bench/ingest/alerts.lua "$url" > /dev/null # warm-up
  if [ "$2" = 1 ]; then
    wrk -t1 -c200 -d45s --timeout 30s -s onloop-bench/signin-flood/guesses.lua "http://127.0.0.1:$PORT" > "$dir/flood.txt" 2>&1 &
    flood=$!
    sleep 5
  fi
  TARGET=onloop TOKEN=$token wrk -t1 -c8 -d30s --latency -s onloop-bench/ingest/alerts.lua "$url" > "$dir/ingest.txt" 2>&1 &
  local load=$!
  sleep 10
  for _ in 1 2 3 4 5; do
    curl -s -o /dev/null -w "%{http_code}/%{time_total}s " -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$PORT/api/v1/incidents" >> "$dir/api.txt"; sleep 2
  done
  wait $load
  [ -z "$flood" ] || wait $flood
  printf '%-40s flood=%s  ingest %s/s (p50 %s, p99 %s)  API with a token: %s' "$1" "$2" \
    "$(awk '/Requests\/sec/ {print $2}' "$dir/ingest.txt")" "$(awk '$1 == "50%" {print $2}' "$dir/ingest.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$dir/ingest.txt")" "$(cat "$dir/api.txt")"
  [ -z "$flood" ] && echo || echo " sign-ins: $(awk '/Requests\/sec/ {print $2}' "$dir/flood.txt")/s," \
    "$(sed -n 's/^answers by status: //p' "$dir/flood.txt")"
  kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=
}

for jar in "$@"; do
  one_run "$jar" 0
  one_run "$jar" 1
done
