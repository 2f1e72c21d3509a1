#!/usr/bin/env bash
# Ingest load benchmark: the same wrk load (one alert per request, varied labels) against
#   1. onloop with its embedded H2 store (durable: 202 only once the events are in its journal on disk),
#   2. onloop with PostgreSQL,
#   3. Prometheus Alertmanager (keeps alerts in memory),
# all on this machine in one run, and prints accepted alerts/s, latency percentiles, what onloop stored during
# the load, each server's CPU per accepted alert, and the ratios to Alertmanager.
# Usage: onloop-bench/ingest/run.sh [duration-seconds] [connections]
# Needs: wrk and prometheus-alertmanager (Debian packages; installed if missing), PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-30}"
CONNECTIONS="${2:-32}"
# The JVM is still compiling (C2 threads: a quarter of its CPU) a minute into the load on two cores; two
# minutes of warm-up measure the steady state a long-running server is in when a storm comes.
WARMUP="${WARMUP:-120}"
# The JVM options the README starts onloop with, and a heap bound so runs compare; set ONLOOP_JAVA_OPTS to measure others.
read -ra ONLOOP_JVM <<< "${ONLOOP_JAVA_OPTS--Xmx1g -XX:G1HeapRegionSize=32m}"
THREADS=2
ONLOOP_PORT=18080
AM_PORT=19093
ADMIN_TOKEN="olt_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need prometheus-alertmanager prometheus-alertmanager
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -f onloop-app/target/onloop.jar ] || ./mvnw -B -q -DskipTests package
JAR=onloop-app/target/onloop.jar

wait_http() { for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "timeout waiting for $1" >&2; return 1; }

# The server's own CPU time (user + system) in seconds, from /proc: wrk's share is not counted.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
# One of onloop's metrics (no labels), as an integer: metric onloop_ingest_backlog_bytes
metric() { curl -fs "http://127.0.0.1:$ONLOOP_PORT/actuator/prometheus" -H "Authorization: Bearer $ADMIN_TOKEN" \
  | awk -v name="$1" '$1 == name {printf "%d", $2}'; }

# Runs wrk; prints "accepted/s p50 p90 p99 errors stored/s cpu-us" (latencies in ms). wrk's Requests/sec
# counts every answer, so it is scaled by the share of 2xx; errors are non-2xx answers plus timeouts,
# which wrk also leaves out of its latency percentiles. stored/s is what onloop stored during the
# measured load (Alertmanager keeps what it accepts: the same as accepted/s); cpu-us is the server
# process's CPU time per accepted alert.
load() { # target url token server-pid
  local cpu0 cpu1 stored0=0 stored1=0
  TARGET="$1" TOKEN="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s onloop-bench/ingest/alerts.lua "$2" >/dev/null
  [ "$1" = onloop ] && stored0="$(metric onloop_ingest_stored_events_total)"
  cpu0="$(cpu_seconds "$4")"
  TARGET="$1" TOKEN="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s onloop-bench/ingest/alerts.lua "$2" > "$WORK/wrk.txt"
  cpu1="$(cpu_seconds "$4")"
  [ "$1" = onloop ] && stored1="$(metric onloop_ingest_stored_events_total)"
  awk -v target="$1" -v secs="$DURATION" -v stored="$((stored1 - stored0))" -v cpu="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{print b-a}')" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ {p50=ms($2)} /^ +90%/ {p90=ms($2)} /^ +99%/ {p99=ms($2)}
    /requests in/ {total=$1}
    /Non-2xx/ {err=$NF}
    /Socket errors/ {timeouts=$NF}
    /Requests\/sec/ {rps=$2}
    END { bad=err+timeouts; ok=(total > 0) ? rps * (total - err) / total : 0
          st=(target == "onloop") ? stored / secs : ok
          printf "%.1f %.2f %.2f %.2f %d %.1f %.0f\n", ok, p50, p90, p99, bad, st, (total - err > 0) ? cpu * 1e6 / (total - err) : 0 }' "$WORK/wrk.txt"
}

start_onloop() { # name extra-args...  (runs in this shell so PIDS is kept)
  local name="$1"; shift
  "$JAVA_HOME/bin/java" "${ONLOOP_JVM[@]}" -jar "$JAR" --server.port=$ONLOOP_PORT --onloop.data-dir="$WORK/$name" \
    --onloop.bootstrap.admin-token="$ADMIN_TOKEN" "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$ONLOOP_PORT/actuator/health"
}
create_source() { # prints the new alertmanager source's token
  curl -fs -X POST "http://127.0.0.1:$ONLOOP_PORT/api/v1/sources" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"format":"alertmanager","name":"bench"}' \
    | sed -E 's/.*"token" *: *"([^"]+)".*/\1/'
}
# After a load: how much was accepted but not yet stored, and how long storing it took.
drain() { # name
  local t0 backlog first
  first="$(metric onloop_ingest_backlog_bytes)"; t0=$(date +%s.%N); backlog="$first"
  while [ "${backlog:-0}" -gt 0 ]; do sleep 0.5; backlog="$(metric onloop_ingest_backlog_bytes)"; done
  drains+=("$1: backlog when the load stopped $(awk -v b="$first" 'BEGIN{printf "%.1f", b/1048576}') MiB, all stored $(awk -v t="$t0" -v n="$(date +%s.%N)" 'BEGIN{printf "%.1f", n-t}') s later")
}
stop_last() { local p="${PIDS[-1]}"; kill "$p"; wait "$p" 2>/dev/null || true; unset 'PIDS[-1]'; }

results=()
drains=()
echo "load: wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up then ${DURATION}s measured, one alert per request; onloop: java ${ONLOOP_JVM[*]}" >&2

start_onloop h2
SOURCE_TOKEN="$(create_source)"
results+=("onloop (H2, durable) $(load onloop "http://127.0.0.1:$ONLOOP_PORT/api/v1/ingest/alertmanager" "$SOURCE_TOKEN" "${PIDS[-1]}")")
drain "onloop (H2)"
stop_last

psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS onloop_bench" -c "CREATE DATABASE onloop_bench" >/dev/null
start_onloop pg --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/onloop_bench --spring.datasource.username=postgres
SOURCE_TOKEN="$(create_source)"
results+=("onloop (PostgreSQL, durable) $(load onloop "http://127.0.0.1:$ONLOOP_PORT/api/v1/ingest/alertmanager" "$SOURCE_TOKEN" "${PIDS[-1]}")")
drain "onloop (PostgreSQL)"
stop_last
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS onloop_bench" >/dev/null

cat > "$WORK/am.yml" <<'YML'
route: { receiver: blackhole, group_by: [alertname] }
receivers: [ { name: blackhole } ]
YML
prometheus-alertmanager --config.file="$WORK/am.yml" --storage.path="$WORK/am" \
  --web.listen-address=127.0.0.1:$AM_PORT --cluster.listen-address= > "$WORK/am.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$AM_PORT/-/ready"
results+=("Alertmanager $(prometheus-alertmanager --version 2>&1 | awk 'NR==1{print $3}') (in memory) $(load alertmanager "http://127.0.0.1:$AM_PORT/api/v2/alerts" "" "${PIDS[-1]}")")
stop_last

am_rps="$(echo "${results[2]}" | awk '{print $(NF-6)}')"
am_cpu="$(echo "${results[2]}" | awk '{print $NF}')"
printf '\n| target | accepted/s | vs Alertmanager | stored/s during the load | p50 ms | p90 ms | p99 ms | non-2xx + timeouts | server CPU µs per alert | vs Alertmanager |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for r in "${results[@]}"; do
  echo "$r" | awk -v am="$am_rps" -v amcpu="$am_cpu" '{ n=NF; name=""; for (i=1;i<=n-7;i++) name=name (i>1?" ":"") $i;
    printf "| %s | %.0f | %.2f× | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %.2f× |\n", name, $(n-6), (am > 0 ? $(n-6)/am : 0),
      $(n-1), $(n-5), $(n-4), $(n-3), $(n-2), $n, (amcpu > 0 ? $n/amcpu : 0) }'
done
echo
printf '%s\n' "${drains[@]}"
echo "(accepted = in onloop's journal on disk; stored = grouped into incidents and committed to the database)"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); date: $(date -u +%F)"
