#!/usr/bin/env bash
# Operator scale: time until N MaintenanceJobs all have their CronJob and Ready=True, and the operator's peak RSS.
# Usage: bench/operator-scale/run.sh [N ...]   (default: 1000 10000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/operator-scale/target"
mkdir -p "$out"
cd "$root"
mvn -q -B -pl operator -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/operator-scale/OperatorScaleBench.java
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
for n in "${@:-1000 10000}"; do
  java -Xmx2g -Djava.util.logging.config.file=/dev/null -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out:$cp" \
    OperatorScaleBench "$root/operator/target/nightshift-operator.jar" "$root/crds/maintenancejobs.nightshift.io-v1.yml" "$n"
done
