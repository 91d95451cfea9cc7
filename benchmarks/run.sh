#!/usr/bin/env bash
# Runs ringhttp and its peers through every workload and writes results/latest.md and results/latest.png.
#   benchmarks/run.sh            full suite (3 repetitions, under 20 minutes on 2 CPUs)
#   benchmarks/run.sh --quick    smoke check (1 short repetition each, under 3 minutes): not a measurement
# Further arguments go to the harness: --peers ringhttp,netty  --workloads http,close,ws,slow,footprint,jmh
#   (the default set; add cluster, or give --workloads cluster alone, for broadcasts across instances through Redis)
#   --reps 3  --seconds 5  --policy wait|close
#   --loops 1,2   the HTTP and broadcast workloads once per count of server event loops (default 1: as before);
#                 with 2 loops on 2 CPUs the server runs on both and shares them with the load generators (README)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v taskset >/dev/null || need+=(util-linux)
# The cluster workload (--workloads cluster) shares broadcasts through a redis-server of its own.
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

cp_dir=benchmarks/target/classpath
mkdir -p "$cp_dir"
# Build core + benchmarks and write the runtime classpath of the standalone peers, load client and JMH.
mvn -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath/main.txt
# The Spring peers cannot share a classpath (Boot would find several servers): each gets its own.
for peer in mvc webflux; do
  mvn -B -q -f benchmarks/spring-classpath/$peer/pom.xml dependency:build-classpath \
      -Dmdep.outputFile="$PWD/$cp_dir/$peer.txt"
done

# Limits for 10,000 connections on each side.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin=(taskset -c 0)   # this JVM runs the load generators; peers run on CPU 1 (with --loops 2 and more, see README)
fi
# Hard bounds well above what a run takes here (see README), so a hung peer cannot hold the machine.
limit=1800
for a in "$@"; do [ "$a" = --quick ] && limit=300; done
# The export lets the harness read the peers' heap counters as jstat does.
# AutoBoxCacheMax: JDK 17's epoll selector boxes every ready descriptor above 127, which the load client has 10,000 of.
exec timeout "$limit" "${pin[@]}" java -Xms1g -Xmx1g -XX:+UseG1GC -XX:AutoBoxCacheMax=65536 \
    --add-exports jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED \
    -cp "benchmarks/target/classes:$(cat $cp_dir/main.txt)" dev.ringhttp.bench.Harness --root benchmarks "$@"
