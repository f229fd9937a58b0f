#!/usr/bin/env bash
# Pagewire's benchmark suite (see docs/BENCHMARKS.md). Builds bench/ with the library's sources
# from this working tree, then runs:
#
#   bench/run.sh rpc  [--rounds 3 --secs 10 --warmup 5 --conns 64 ...]   end-to-end RPC, Pagewire vs baseline
#   bench/run.sh push [--rounds 3 --ns 1000,5000 --modes comet,sse ...]  push fan-out, Pagewire vs baseline
#   bench/run.sh cluster [--rounds 2 --ns 1000,9000 ...]                 several nodes on Redis against one in memory
#   bench/run.sh jmh  [JMH options, e.g. RpcBench -f 2]                  JMH hot-path benchmarks
#   bench/run.sh jfr  FILE.jfr [PATTERN]                                 where a JFR recording's CPU samples went
#
# Loopback only (127.0.0.1); every run is bounded in time and stops by itself; servers are
# separate JVMs started and stopped by the driver through their process handles. Results go to
# bench/results/<date>-<time>-<what>.txt; server logs to bench/target/bench-logs/ (not kept).
# SKIP_BUILD=1 reuses bench/target/pagewire-bench.jar.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-}
case "$what" in rpc|push|cluster|jmh|jfr) shift ;; *) echo "usage: bench/run.sh rpc|push|cluster|jmh [options] | jfr FILE.jfr [PATTERN]" >&2; exit 2 ;; esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B -f bench/pom.xml package
fi
JAR=bench/target/pagewire-bench.jar

# Push runs open one socket per page in the load generator and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

case "$what" in
  rpc)  exec java -Xms256m -Xmx1g -jar "$JAR" rpc "$@" ;;
  push) exec java -Xms256m -Xmx2g -jar "$JAR" push "$@" ;;
  cluster) exec java -Xms256m -Xmx2g -jar "$JAR" cluster "$@" ;;
  jfr)  exec java -jar "$JAR" jfr "$@" ;;
  jmh)
    stamp=$(date +%Y-%m-%d-%H%M)
    mkdir -p bench/results
    out=bench/results/$stamp-jmh.txt
    # another run started in the same minute keeps its file: take the next free name
    i=2; while [ -e "$out" ]; do out=bench/results/$stamp-jmh-$i.txt; i=$((i + 1)); done
    : > "$out"
    trap '[ -s "$out" ] || rm -f "$out"' EXIT # a failed run leaves no empty file behind
    name=$(basename "$out" .txt)
    json=bench/target/$name.json
    console=bench/target/$name-console.log
    header="Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); JDK $(java -version 2>&1 | sed -n 2p); load average at start $(cut -d' ' -f1-3 /proc/loadavg); git $(git describe --always --dirty)"
    java -jar "$JAR" jmh -prof gc -rf json -rff "$json" "$@" | tee "$console"
    {
      echo "# Pagewire benchmark: jmh, $stamp"
      echo
      echo "$header"
      echo "Command: bench/run.sh jmh $*"
      echo
      java -cp "$JAR" dev.pagewire.bench.JmhReport "$json"
      echo
      echo "JMH's own summary:"
      echo
      sed -n '/^Benchmark /,$p' "$console"
    } > "$out"
    echo "written: $out"
    ;;
esac
