#!/usr/bin/env bash
# Operator scale with real-server-shaped objects: time to Ready=True, live heap after a full GC, RSS, threads, GC share.
# Usage: bench/operator-scale/run.sh [mode:count ...]   (default: create:1000 restart:10000)
# OPERATOR_JAR runs another build of the operator (e.g. the one before a change, copied aside, for a before/after table).
# OPERATOR_JVM_FLAGS overrides the operator's JVM flags (default: the image's, with the heap the chart's 512Mi limit gives).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/operator-scale/target"
mkdir -p "$out"
cd "$root"
mvn -q -B -pl operator -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/operator-scale/OperatorScaleBench.java
# The image's entrypoint flags (operator/Dockerfile), with MaxRAMPercentage=75 of 512Mi written out as the heap cap.
image_flags="$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar".*/\1/p' operator/Dockerfile | tr -d '"' | tr ',' ' ' | sed 's/-XX:MaxRAMPercentage=75/-Xmx384m/')"
flags="${OPERATOR_JVM_FLAGS:-$image_flags}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d); operator flags: $flags"
for run in "${@:-create:1000 restart:10000}"; do
  java -Xmx4g -Djava.util.logging.config.file=/dev/null -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out:$cp" \
    OperatorScaleBench "${OPERATOR_JAR:-$root/operator/target/nightshift-operator.jar}" "$root/crds/maintenancejobs.nightshift.io-v1.yml" \
    "$root/bench/operator-scale/fixtures" "${run%%:*}" "${run##*:}" "$flags"
done
