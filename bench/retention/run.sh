#!/usr/bin/env bash
# Retention benchmark: bare DELETE vs the runner's retention at 1 %, 50 % and 99 % of 2,000,000 rows,
# 5 alternating runs each (bare, runner, bare, runner, ...), medians last.
# Usage: bench/retention/run.sh [java -D options, e.g. -Druns=3 -Dshares=0.01 -Dverbose=true]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/retention/target"
mkdir -p "$out"
cd "$root"
# One reactor build, so the runner's classpath resolves the api module from it; job-runner is built last
# and writes the file last.
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl job-runner -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$out/classpath.txt"
fi
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/retention/RetentionBench.java
# The runner runs as its image runs it: the entrypoint's JVM flags and a class-data-sharing archive made by the
# same training run as job-runner/Dockerfile's.
flags="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
jar="$root/job-runner/target/nightshift-job-runner.jar"
jsa="$out/nightshift-job-runner.jsa"
rm -f "$jsa"
NIGHTSHIFT_JOB_NAME=cds-training NIGHTSHIFT_DATABASE_URL=postgresql://127.0.0.1:1/nightshift NIGHTSHIFT_TERMINATION_LOG=/dev/null \
  NIGHTSHIFT_TASK='{"retention":{"table":"public.system_logs","timestampColumn":"created_at","olderThan":"30d"}}' \
  java -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=error $flags -jar "$jar" run --dry-run >/dev/null || true
test -s "$jsa"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Drunner.jvm="-Xshare:auto -XX:SharedArchiveFile=$jsa $flags" "$@" -cp "$out:$cp" \
  RetentionBench "$jar" "$root/bench/retention/ledger.sql"
