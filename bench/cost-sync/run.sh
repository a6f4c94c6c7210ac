#!/usr/bin/env bash
# deepgramCostSync: concurrency 16 vs 1 against a stub answering in 50 ms.
# Usage: bench/cost-sync/run.sh [rows] [maxRequestsPerSecond]   (default 10000 rows, cap 300/s)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/cost-sync/target"
mkdir -p "$out"
cd "$root"
mvn -q -B -pl job-runner -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/cost-sync/CostSyncBench.java
# A copy of the runner, so that a build during the (long) run cannot replace the jar under it.
rm -rf "$out/runner" && mkdir -p "$out/runner" && cp -r job-runner/target/nightshift-job-runner.jar job-runner/target/lib "$out/runner/"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out:$cp" CostSyncBench "$out/runner/nightshift-job-runner.jar" \
  "${1:-10000}" "${2:-300}"
