#!/usr/bin/env bash
# The docker-compose topology as plain JVM processes on loopback, for machines without Docker:
# auth, stream (STREAMS=2: two), two routers and N gateways (default 2), each its own `java -jar tern.jar`.
#
#   deploy/local-cluster.sh start [gateways]   # gateways listen on 4222, 4223, ...; monitoring on 8222, 8223, ...
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh stop               # stops exactly the processes it started, by PID
#
# Environment: TERN_JAR (default launcher/target/tern.jar), TERN_DIR (pid and log files, default
# ./.tern-cluster), CLUSTER_BASE_PORT (default 16222: the processes use 16222, 16223, ...),
# STREAMS=2 for a second stream service (cluster port base+40, store $TERN_DIR/data2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="${TERN_JAR:-$root/launcher/target/tern.jar}"
dir="${TERN_DIR:-$PWD/.tern-cluster}"
base="${CLUSTER_BASE_PORT:-16222}"
routes="nats-route://127.0.0.1:$base,nats-route://127.0.0.1:$((base + 1))"

start_one() { # name cluster-port extra-args...
  local name="$1" port="$2"
  shift 2
  if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$dir/$name.pid"))"
    return
  fi
  nohup java -Xmx256m -jar "$jar" -a 127.0.0.1 --cluster "nats://127.0.0.1:$port" --routes "$routes" \
    --cluster_name local "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  echo "started $name (pid $!, log $dir/$name.log)"
}

case "${1:-}" in
  start)
    gateways="${2:-2}"
    [ -f "$jar" ] || { echo "no $jar: build with mvn -B -q package -DskipTests" >&2; exit 1; }
    mkdir -p "$dir"
    start_one auth "$base" --services auth -p -1 -m 0
    start_one stream "$((base + 1))" --services stream -p -1 -m 0 -sd "$dir/data"
    if [ "${STREAMS:-1}" -ge 2 ]; then
      # A second stream service, its own store; each stream lives on one of the two.
      start_one stream2 "$((base + 40))" --services stream -p -1 -m 0 -sd "$dir/data2"
    fi
    start_one router1 "$((base + 2))" --services router -p -1 -m 0
    start_one router2 "$((base + 3))" --services router -p -1 -m 0
    for i in $(seq 1 "$gateways"); do
      start_one "gateway$i" "$((base + 3 + i))" --services gateway -p "$((4221 + i))" -m "$((8221 + i))"
    done
    for f in "$dir"/*.log; do
      for _ in $(seq 1 120); do
        grep -q "Server is ready" "$f" && break
        sleep 0.5
      done
      grep -q "Server is ready" "$f" || { echo "$(basename "$f" .log) did not start; see $f" >&2; exit 1; }
    done
    echo "ready: clients on nats://127.0.0.1:4222 .. nats://127.0.0.1:$((4221 + gateways))"
    ;;
  status)
    for f in "$dir"/*.pid; do
      [ -e "$f" ] || continue
      pid="$(cat "$f")"
      if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$f" .pid) running (pid $pid)"; else echo "$(basename "$f" .pid) stopped"; fi
    done
    ;;
  stop)
    for f in "$dir"/*.pid; do
      [ -e "$f" ] || continue
      pid="$(cat "$f")"
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "stopped $(basename "$f" .pid) (pid $pid)"
      fi
      rm -f "$f"
    done
    ;;
  *)
    echo "usage: $0 start [gateways] | status | stop" >&2
    exit 2
    ;;
esac
