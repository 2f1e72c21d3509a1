#!/usr/bin/env bash
# Noise replay: one seeded alert storm through onloop's routing (simulated time) and through
# Prometheus Alertmanager (real time, durations divided by SPEEDUP), side by side.
#   onloop-bench/routing/run.sh [seed] [problems] [speedup]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if ! command -v prometheus-alertmanager >/dev/null; then
  apt-get update -qq && apt-get install -y -qq prometheus-alertmanager
fi
# Build the bench and its modules in the reactor (no install) and write its runtime classpath.
flock /tmp/onloop-mvn.lock ./mvnw -q -pl onloop-bench -am -DskipTests package \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/runtime.cp -Dmdep.includeScope=runtime
"$JAVA_HOME/bin/java" -cp "onloop-bench/target/classes:$(cat onloop-bench/target/runtime.cp)" \
  io.onloop.bench.routing.NoiseReplayBench "${1:-42}" "${2:-12}" "${3:-60}" "$(command -v prometheus-alertmanager)"
