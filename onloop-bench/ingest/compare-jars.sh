#!/usr/bin/env bash
# Side by side: two or more builds of onloop (H2, the embedded default), or one build with different JVM options,
# under run.sh's load, alternating.
#
#   onloop-bench/ingest/compare-jars.sh [rounds] A.jar B.jar ...     # e.g. 2 /tmp/before.jar onloop-app/target/onloop.jar
#   onloop-bench/ingest/compare-jars.sh 3 "onloop.jar -Xmx1g" "onloop.jar -Xmx1g -XX:G1HeapRegionSize=32m"
#
# An argument is a jar (a path without spaces) and the JVM options to start it with; without options,
# ONLOOP_JAVA_OPTS (default: those the README starts onloop with, and -Xmx1g; set it empty for none).
# Each round starts each jar in turn on a fresh data directory, puts wrk -t2 -c32 with alerts.lua on it for
# WARMUP (120) + 30 s, and over the last 30 s prints what it accepted, stored and rejected (503) per second, the
# backlog (accepted, not yet stored) at the end, and the server process's CPU time (user + system, from /proc:
# wrk's is not counted) per accepted alert. One machine's noise moves the same jar by ±20% between runs
# (docs/benchmarks.md), so compare rounds, not single runs. STORE=postgresql runs each on a fresh PostgreSQL database
# (onloop_compare, on 127.0.0.1:5432 as postgres) instead of embedded H2.
set -euo pipefail
ROUNDS=2
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then ROUNDS="$1"; shift; fi
[ "$#" -ge 2 ] || { echo "usage: $0 [rounds] 'A.jar [JVM options]' 'B.jar [JVM options]' ..." >&2; exit 2; }
ONLOOP_JAVA_OPTS="${ONLOOP_JAVA_OPTS--Xmx1g -XX:G1HeapRegionSize=32m}"
RUNS=()
for r in "$@"; do  # each as "/absolute/path.jar options...", the options given or the default ones
  read -ra words <<< "$r"
  [ "${#words[@]}" -gt 0 ] || { echo "an empty argument: give a jar" >&2; exit 2; }
  [ "${#words[@]}" -gt 1 ] || read -ra words <<< "${words[0]} $ONLOOP_JAVA_OPTS"
  words[0]="$(realpath "${words[0]}")"
  RUNS+=("${words[*]}")
done
cd "$(dirname "$0")/../.."
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WARMUP="${WARMUP:-120}"
PORT=18080
TOKEN=olt_compare-jars-admin-token
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }

SERVER=""; LOAD=""; WORK=""
# stops the load and the server of the current run, whether it ended or failed
cleanup() { [ -z "$LOAD" ] || kill "$LOAD" 2>/dev/null || true; [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true; [ -z "$WORK" ] || rm -rf "$WORK"; SERVER=""; LOAD=""; WORK=""; }
trap cleanup EXIT

run() { # "/path/to.jar [JVM options]"
  local work pid st wrk a0 s0 c0 r0 a1 s1 c1 r1 b1 jar opts
  read -ra opts <<< "$1"
  jar="${opts[0]}"; opts=("${opts[@]:1}")
  if curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1; then
    echo "port $PORT is taken: another server would be measured" >&2; exit 1
  fi
  work="$(mktemp -d)"; WORK="$work"
  local store=()
  if [ "${STORE:-h2}" = postgresql ]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS onloop_compare WITH (FORCE)" \
      -c "CREATE DATABASE onloop_compare" >/dev/null
    store=(--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/onloop_compare --spring.datasource.username=postgres)
  fi
  "$JAVA_HOME/bin/java" "${opts[@]}" -jar "$jar" --server.port=$PORT --onloop.data-dir="$work/data" \
    --onloop.bootstrap.admin-token=$TOKEN ${store[@]+"${store[@]}"} > "$work/server.log" 2>&1 &
  pid=$!; SERVER="$pid"
  for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 1; done
  curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { echo "$jar did not start: $work/server.log" >&2; exit 1; }
  st="$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/sources" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"format":"alertmanager","name":"bench"}' | sed -E 's/.*"token" *: *"([^"]+)".*/\1/')"
  metric() { curl -fs "http://127.0.0.1:$PORT/actuator/prometheus" -H "Authorization: Bearer $TOKEN" \
    | awk -v n="$1" 'index($1, n) == 1 {s += $2} END {printf "%d", s}'; }
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  TARGET=onloop TOKEN="$st" wrk -t2 -c32 -d"$((WARMUP + 35))s" -s onloop-bench/ingest/alerts.lua \
    "http://127.0.0.1:$PORT/api/v1/ingest/alertmanager" > "$work/wrk.txt" &
  wrk=$!; LOAD="$wrk"
  sleep "$WARMUP"
  a0="$(metric onloop_ingest_events_total)"; s0="$(metric onloop_ingest_stored_events_total)"; c0="$(cpu)"
  r0="$(metric onloop_ingest_rejected_total)"
  sleep 30
  a1="$(metric onloop_ingest_events_total)"; s1="$(metric onloop_ingest_stored_events_total)"; c1="$(cpu)"
  r1="$(metric onloop_ingest_rejected_total)"; b1="$(metric onloop_ingest_backlog_bytes)"
  cleanup
  awk -v j="$1" -v a=$((a1 - a0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v r=$((r1 - r0)) -v b="$b1" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s: accepted %.0f/s, stored %.0f/s, rejected %.0f/s, backlog %.0f MiB at the end, %.0f µs server CPU per accepted alert\n", j, a / 30, s / 30, r / 30, b / 1048576, (a > 0 ? c * 1e6 / hz / a : 0) }'
}

echo "$(nproc) cores, $(uname -sr), $(date -u +%FT%TZ); ${STORE:-h2}; ${WARMUP}s warm-up, 30 s measured" >&2
for _ in $(seq "$ROUNDS"); do
  for r in "${RUNS[@]}"; do run "$r"; done
done
if [ "${STORE:-h2}" = postgresql ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS onloop_compare WITH (FORCE)" >/dev/null
fi
