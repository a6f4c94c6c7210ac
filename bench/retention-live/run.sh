#!/usr/bin/env bash
# Live retention benchmark: writer (2,000 rows/s over 4 connections) and dashboard reader, baseline, during the
# runner's retention of 1,000,000 old rows, and during one bare DELETE of them; WAL and dead tuples.
# Usage: bench/retention-live/run.sh [java -D options, e.g. -Dold=300000 -Drate=1000 -Dbaseline=10]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/retention-live/target"
mkdir -p "$out"
cd "$root"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl job-runner -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$out/classpath.txt"
fi
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/retention-live/LiveBench.java
# As the image runs the runner: the entrypoint's flags and a class-data-sharing archive (see bench/retention/run.sh).
flags="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
jar="$root/job-runner/target/nightshift-job-runner.jar"
jsa="$out/nightshift-job-runner.jsa"
rm -f "$jsa"
NIGHTSHIFT_JOB_NAME=cds-training NIGHTSHIFT_DATABASE_URL=postgresql://127.0.0.1:1/nightshift NIGHTSHIFT_TERMINATION_LOG=/dev/null \
  NIGHTSHIFT_TASK='{"retention":{"table":"public.system_logs","timestampColumn":"created_at","olderThan":"30d"}}' \
  java -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=error $flags -jar "$jar" run --dry-run >/dev/null || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" -cp "$out:$cp" LiveBench "$jar" "-Xshare:auto -XX:SharedArchiveFile=$jsa $flags" \
  "$root/bench/retention/ledger.sql"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
