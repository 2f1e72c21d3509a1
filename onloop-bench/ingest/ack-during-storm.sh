#!/usr/bin/env bash
# How long a person's acknowledge takes while onloop (H2, the embedded default) is under run.sh's load: wrk -t2 -c32
# with alerts.lua for WARMUP (60) + 75 s; from WARMUP on, every 3 s, POST /api/v1/incidents/{id}/acknowledge on a
# random open incident, timed by curl. Prints each answer and time, then the median and the slowest.
#
#   onloop-bench/ingest/ack-during-storm.sh onloop-app/target/onloop.jar [JVM options]
#
# JVM options default to ONLOOP_JAVA_OPTS, as in run.sh (-Xmx1g -XX:G1HeapRegionSize=32m).
set -euo pipefail
[ "$#" -ge 1 ] || { echo "usage: $0 onloop.jar [JVM options]" >&2; exit 2; }
JAR="$(realpath "$1")"; shift
if [ "$#" -gt 0 ]; then OPTS=("$@"); else read -ra OPTS <<< "${ONLOOP_JAVA_OPTS--Xmx1g -XX:G1HeapRegionSize=32m}"; fi
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WARMUP="${WARMUP:-60}"
PORT=18080
TOKEN=olt_ack-during-storm-admin-token
API="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
if curl -fs "$API/actuator/health" >/dev/null 2>&1; then echo "port $PORT is taken" >&2; exit 1; fi

WORK="$(mktemp -d)"; SERVER=""; LOAD=""
cleanup() { [ -z "$LOAD" ] || kill "$LOAD" 2>/dev/null || true; [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$JAVA_HOME/bin/java" "${OPTS[@]}" -jar "$JAR" --server.port=$PORT --onloop.data-dir="$WORK/data" \
  --onloop.bootstrap.admin-token=$TOKEN > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do curl -fs "$API/actuator/health" >/dev/null && break; sleep 1; done
curl -fs "$API/actuator/health" >/dev/null || { echo "$JAR did not start: $WORK/server.log" >&2; exit 1; }
st="$(curl -fs -X POST "$API/api/v1/sources" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"format":"alertmanager","name":"bench"}' | sed -E 's/.*"token" *: *"([^"]+)".*/\1/')"
TARGET=onloop TOKEN="$st" wrk -t2 -c32 -d"$((WARMUP + 75))s" -s onloop-bench/ingest/alerts.lua \
  "$API/api/v1/ingest/alertmanager" > "$WORK/wrk.txt" &
LOAD=$!
sleep "$WARMUP"
for _ in $(seq 25); do
  id="$(curl -fs "$API/api/v1/incidents?status=open&limit=50" -H "Authorization: Bearer $TOKEN" \
    | python3 -c 'import sys, json, random; items = json.load(sys.stdin)["items"]; print(random.choice(items)["id"] if items else "")')"
  if [ -n "$id" ]; then
    curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -X POST "$API/api/v1/incidents/$id/acknowledge" \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' | tee -a "$WORK/acks.txt"
  fi
  sleep 3
done
sort -k2 -n "$WORK/acks.txt" | awk '{ t[NR] = $2; if ($1 != 200) bad++ }
  END { printf "%d acknowledges, %d not 200; median %.2f s, slowest %.2f s\n", NR, bad, t[int((NR + 1) / 2)], t[NR] }'
