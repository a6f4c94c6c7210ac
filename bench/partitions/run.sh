#!/usr/bin/env bash
# partitions: 366 daily partitions made by pg_partman's create_parent and by one run of the partitions task, on the
# same PostgreSQL 15 server (Debian's, with its postgresql-15-partman: pg_partman 4.7.2), 5 alternating runs each.
# Usage: bench/partitions/run.sh [java -D options, e.g. -Druns=3 -Dverbose=true]
# Needs: apt-get install -y postgresql-15 postgresql-15-partman. As root, the server runs as user nobody.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/partitions/target"
bin=/usr/lib/postgresql/15/bin
mkdir -p "$out"
cd "$root"
test -x "$bin/initdb" || { echo "PostgreSQL 15 is not installed: apt-get install -y postgresql-15 postgresql-15-partman" >&2; exit 1; }
test -f /usr/share/postgresql/15/extension/pg_partman.control || { echo "pg_partman is not installed: apt-get install -y postgresql-15-partman" >&2; exit 1; }
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl job-runner -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$out/classpath.txt"
fi
cp="$(cat "$out/classpath.txt")"
javac -d "$out" -cp "$cp" bench/partitions/PartitionsBench.java
# A copy of the runner, so that a build meanwhile cannot replace the jar under the runs.
rm -rf "$out/runner" && mkdir -p "$out/runner" && cp -r job-runner/target/nightshift-job-runner.jar job-runner/target/lib "$out/runner/"

# A server of its own in a temporary folder, with its default settings (fsync on), as a non-root user.
data="$(mktemp -d /tmp/nightshift-partitions-bench.XXXXXX)"
as=(); if [ "$(id -u)" = 0 ]; then chown nobody "$data"; as=(runuser -u nobody --); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$data/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$data/pg" -o "-p $port -k $data -c listen_addresses=127.0.0.1" -l "$data/log" -w start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$data/pg" -m fast stop >/dev/null; rm -rf "$data"' EXIT
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE bench"
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d bench -c "CREATE SCHEMA partman; CREATE EXTENSION pg_partman SCHEMA partman"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "server: $("$bin/postgres" --version), pg_partman $(psql -X -At -h 127.0.0.1 -p "$port" -U postgres -d bench -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'")"
# The runner runs as its image runs it (the entrypoint's JVM flags).
java -Drunner.jvm="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData" "$@" \
  -cp "$out:$cp" PartitionsBench "$out/runner/nightshift-job-runner.jar" "$port"
