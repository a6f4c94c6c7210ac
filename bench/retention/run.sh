#!/usr/bin/env bash
# Retention benchmark: bare DELETE vs the runner's retention at 1 %, 50 % and 99 % of 2,000,000 rows.
# Usage: bench/retention/run.sh   (from anywhere; builds the runner first)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/retention/target"
mkdir -p "$out"
cd "$root"
# One reactor build, so the runner's classpath resolves the api module from it; job-runner is built last
# and writes the file last.
mvn -q -B -pl job-runner -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/retention/RetentionBench.java
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out:$cp" RetentionBench "$root/job-runner/target/nightshift-job-runner.jar" "$root/bench/retention/ledger.sql"
