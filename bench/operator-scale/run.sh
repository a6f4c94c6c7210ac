#!/usr/bin/env bash
# Operator scale with real-server-shaped objects: time, live heap after a full GC, RSS, threads, GC share.
# Usage: bench/operator-scale/run.sh MODE COUNT ROUNDS [label|jar|flags ...]
#   MODE create or restart; with no operators given: this checkout's jar with the image's JVM flags.
#   e.g. run.sh restart 10000 2 "before|/tmp/before/nightshift-operator.jar|-Xmx384m -XX:+UseSerialGC" "after|operator/target/nightshift-operator.jar|..."
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/operator-scale/target"
mkdir -p "$out"
cd "$root"
mvn -q -B -pl operator -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt"
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/operator-scale/*.java
# The image's entrypoint flags (operator/Dockerfile) in a JVM that sees the chart's 512Mi limit as its memory, as it
# does in the container: the heap starts at 1/64 of it and may grow to MaxRAMPercentage of it.
image_flags="-XX:MaxRAM=512m $(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar".*/\1/p' operator/Dockerfile | tr -d '"' | tr ',' ' ')"
mode="${1:-restart}"; count="${2:-10000}"; rounds="${3:-1}"
shift $(( $# < 3 ? $# : 3 ))
operators=("$@")
[ ${#operators[@]} -gt 0 ] || operators=("this|$root/operator/target/nightshift-operator.jar|$image_flags")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
printf 'operator: %s\n' "${operators[@]}"
java -Xmx6g -Djava.util.logging.config.file=/dev/null -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$out:$cp" \
  OperatorScaleBench "$root/crds/maintenancejobs.nightshift.io-v1.yml" "$root/bench/operator-scale/fixtures" "$mode" "$count" "$rounds" \
  "${operators[@]}"
