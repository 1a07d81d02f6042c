#!/usr/bin/env bash
# Ingest load test (bench/README.md, "Ingest"): loggen -> ingest (TCP, TLS) -> embedded Kafka, and loggen -> rsyslog imptcp -> file.
# Usage: bench/ingest-bench.sh [seconds=20] [connections=4]. Targets 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_RUN="${1:-20}"
CONNECTIONS="${2:-4}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d /tmp/ingest-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

command -v loggen >/dev/null || { echo "loggen missing: apt-get install syslog-ng-core" >&2; exit 1; }
# rsyslog conflicts with syslog-ng-core as a Debian package, so its binary is unpacked next to it
RSYSLOG_ROOT="${RSYSLOG_ROOT:-/opt/rsyslog-bench}"
if [[ ! -x "$RSYSLOG_ROOT/usr/sbin/rsyslogd" ]]; then
  apt-get install -y -qq libestr0 libfastjson4 liblognorm5 >/dev/null
  (cd /tmp && apt-get download rsyslog >/dev/null && dpkg-deb -x rsyslog_*.deb "$RSYSLOG_ROOT")
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/ca.key" -out "$WORK/ca.pem" \
  -days 1 -subj "/CN=bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/server.key" -out "$WORK/server.csr" \
  -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
  -out "$WORK/server.pem" -days 1 2>/dev/null

# compiled on its own, so that work in progress elsewhere in bench/ cannot break this run
./mvnw -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="$(cat bench/target/classpath.txt)"
mkdir -p bench/target/ingest-bench-classes
"$JAVA_HOME/bin/javac" --release 21 -d bench/target/ingest-bench-classes -cp "$CP" \
  bench/src/main/java/org/atnabridge/bench/IngestLoadBench.java
exec "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "bench/target/ingest-bench-classes:$CP" \
  -Dlogback.configurationFile=/dev/null \
  org.atnabridge.bench.IngestLoadBench "$SECONDS_PER_RUN" "$CONNECTIONS" "$WORK" \
  "$WORK/server.pem" "$WORK/server.key" "$WORK/ca.pem" \
  "$RSYSLOG_ROOT/usr/sbin/rsyslogd" "$RSYSLOG_ROOT/usr/lib/x86_64-linux-gnu/rsyslog"
