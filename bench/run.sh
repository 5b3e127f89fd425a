#!/usr/bin/env bash
# Compares Tern with nats-server on this machine, loopback only.
#
#   bench/run.sh [--quick] [--rounds N] [--abba] [--messages N] [--requests N] [--warmup N]
#                [--only id,id] [--out DIR] [--jetstream] [--mqtt] [--cluster N]
#
# --cluster N compares distributed Tern with embedded Tern instead of nats-server: each round starts
# an auth, a router and a stream process plus N gateway processes (tern.jar --services ..., clustered
# over Hazelcast on loopback) and spreads the load generator's connections over the N gateways in
# turn (a 1 -> 1 scenario publishes on one gateway and subscribes on another when N > 1). CPU and
# RSS are the sums over the cluster's processes. The report goes to bench/target/cluster-N/ unless
# --out is given, and its ratio is tern-clusterN / tern.
#
# --jetstream adds the JetStream publish scenarios (sync, and async with a window of 256; 16 B and
# 1 KiB) and the Key-Value put and get scenarios; both servers then run with JetStream on a fresh
# store directory per round.
# --mqtt adds the MQTT scenarios (QoS 0 and QoS 1, one publisher to one subscriber, a lean client):
# both servers get an mqtt listener (and JetStream, which nats-server's MQTT needs), and Debian's
# mosquitto (installed if missing and installable) runs them too, as a third server without ratios.
#
# Builds the project if a jar is missing or older than the sources, installs Debian's nats-server if
# missing, then for each round starts Tern, runs every scenario against it, stops it, and does the same
# with nats-server (A, B, A, B, ...; with --abba even rounds run nats-server first, which cancels a
# bias for whichever server runs first in a round). Each server is started fresh per round on free loopback ports and
# kept running for all scenarios of that round; a warm-up pass (every scenario with --warmup messages,
# 1M by default) runs first so the JIT of a JVM server and of the client is warm before measuring, and
# the report shows that first pass in a table of its own. Measured scenarios publish 3M messages by
# default (the JetStream and MQTT ones at most 1M after a warm-up of at most 100k).
#
# Writes DIR/RESULTS.md and DIR/results.png (DIR defaults to bench/); raw JSON lines and logs go to
# bench/target/run-<timestamp>/.
#
# Environment:
#   TERN_CMD          command for the Tern side, with {port} and {http_port} placeholders
#                     (default: java -jar launcher/target/tern.jar -a 127.0.0.1 -p {port} -m {http_port}).
#                     When set, the report is labelled a pipeline check.
#   NATS_SERVER       nats-server binary (default: nats-server on PATH, else /usr/sbin/nats-server)
#   BENCH_JAVA_OPTS   JVM options of the load generator (default: -Xms1g -Xmx4g)
#   SCENARIO_TIMEOUT  seconds per scenario (default 120; 60 with --quick)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_JAR="$ROOT/bench/target/tern-bench.jar"
TERN_JAR="$ROOT/launcher/target/tern.jar"

ROUNDS=3
OUT="$ROOT/bench"
MODE_ARGS=()
QUICK=0
ABBA=0
JETSTREAM=0
MQTT=0
CLUSTER=0
OUT_GIVEN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1; MODE_ARGS+=(--quick); shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --abba) ABBA=1; shift ;;
    --messages) MODE_ARGS+=(--messages "$2"); shift 2 ;;
    --requests) MODE_ARGS+=(--requests "$2"); shift 2 ;;
    --warmup) MODE_ARGS+=(--warmup "$2"); shift 2 ;;
    --only) MODE_ARGS+=(--only "$2"); shift 2 ;;
    --out) OUT=$2; OUT_GIVEN=1; shift 2 ;;
    --cluster) CLUSTER=$2; shift 2 ;;
    --jetstream) JETSTREAM=1; MODE_ARGS+=(--jetstream); shift ;;
    --mqtt) MQTT=1; shift ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if (( ROUNDS < 1 )); then echo "--rounds must be >= 1" >&2; exit 2; fi
if (( CLUSTER < 0 )); then echo "--cluster must be >= 1" >&2; exit 2; fi
if (( CLUSTER > 0 )) && [[ -n ${TERN_CMD:-} ]]; then echo "--cluster runs launcher/target/tern.jar; unset TERN_CMD" >&2; exit 2; fi
if (( CLUSTER > 0 && ! OUT_GIVEN )); then OUT="$ROOT/bench/target/cluster-$CLUSTER"; fi
if (( QUICK )); then DEFAULT_TIMEOUT=60; else DEFAULT_TIMEOUT=120; fi
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-$DEFAULT_TIMEOUT}
# 10 scenarios + 10 warm-ups, each bounded by SCENARIO_TIMEOUT plus connection setup; the whole
# load-generator run is bounded too, in case a client hangs outside a scenario.
BENCH_RUN_TIMEOUT=$(( SCENARIO_TIMEOUT * 30 + 60 ))
MODE_ARGS+=(--timeout-s "$SCENARIO_TIMEOUT")

log() { echo "[run.sh] $*" >&2; }

apt_install() {
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "cannot install $* (need root and apt-get); install it and retry"; exit 1
  fi
  if [[ -z ${APT_UPDATED:-} ]]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- tools -------------------------------------------------------------------------------------
command -v java >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
# Java2D needs fontconfig and at least one font to draw the chart's text, even headless.
if ! command -v fc-list >/dev/null || [[ -z $(fc-list 2>/dev/null | head -1) ]]; then
  apt_install fontconfig fonts-dejavu-core
fi
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
if [[ ! -x $NATS_SERVER ]]; then
  apt_install nats-server
  NATS_SERVER=$(command -v nats-server || echo /usr/sbin/nats-server)
fi

MOSQUITTO=""
if (( MQTT )); then
  MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  if [[ ! -x $MOSQUITTO ]]; then
    (apt_install mosquitto) || true
  fi
  [[ -x $MOSQUITTO ]] || { log "mosquitto is not installed: MQTT scenarios without it"; MOSQUITTO=""; }
fi

# --- build -------------------------------------------------------------------------------------
stale() { # $1 = jar; true if missing or older than any pom or source file
  [[ ! -f $1 ]] && return 0
  [[ -n $(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) \
           -newer "$1" -type f -print -quit) ]]
}
if stale "$BENCH_JAR" || { [[ -z ${TERN_CMD:-} ]] && stale "$TERN_JAR"; }; then
  log "building (mvn -q -B -DskipTests package)"
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi
[[ -f $BENCH_JAR ]] || { log "missing $BENCH_JAR after build"; exit 1; }
if [[ -z ${TERN_CMD:-} ]]; then
  [[ -f $TERN_JAR ]] || { log "missing $TERN_JAR after build (set TERN_CMD to try another server)"; exit 1; }
  TERN_TEMPLATE="java -jar $TERN_JAR -a 127.0.0.1 -p {port} -m {http_port}"
else
  TERN_TEMPLATE=$TERN_CMD
fi
NATS_TEMPLATE="$NATS_SERVER -a 127.0.0.1 -p {port} -m {http_port}"
# With --mqtt the config file turns JetStream on (on {store}); nats-server refuses a second store_dir.
if (( JETSTREAM && ! MQTT )); then
  NATS_TEMPLATE="$NATS_TEMPLATE -js -sd {store}"
  [[ -z ${TERN_CMD:-} ]] && TERN_TEMPLATE="$TERN_TEMPLATE -js -sd {store}"
fi
if (( MQTT )); then
  # {conf}: server_name, JetStream on {store} and the mqtt listener on {mqtt_port} (start_server writes it).
  NATS_TEMPLATE="$NATS_TEMPLATE -c {conf}"
  [[ -z ${TERN_CMD:-} ]] && TERN_TEMPLATE="$TERN_TEMPLATE -c {conf}"
fi
MOSQUITTO_TEMPLATE="$MOSQUITTO -p {mqtt_port}"

# --- process bookkeeping -----------------------------------------------------------------------
RUN_DIR="$ROOT/bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN_DIR" "$OUT"
RESULTS="$RUN_DIR/results.jsonl"
: > "$RESULTS"
STARTED_PIDS=()

stop_pid() { # $1 = pid started by this script
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { # utime+stime of $1 in seconds
  awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); split($0, f, " "); printf "%.3f", (f[12] + f[13]) / tck }' \
    "/proc/$1/stat"
}
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# await_log FILE PID TEXT: waits (60 s at most) until the process logged TEXT
await_log() {
  local deadline=$(( SECONDS + 60 ))
  until grep -q "$3" "$1" 2>/dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then log "process $2 exited during startup; log:"; tail -20 "$1" >&2; exit 1; fi
    if (( SECONDS > deadline )); then log "process $2 not ready within 60 s ($1)"; exit 1; fi
    sleep 0.2
  done
}

# start_cluster LABEL -> sets SERVER_PIDS (every process) and SERVER_URLS (the gateways, comma-separated)
start_cluster() {
  local label=$1 ports i name services client hz routes store argv
  mapfile -t ports < <(java -cp "$BENCH_JAR" io.tern.bench.FreePort $(( 3 + 2 * CLUSTER )))
  routes="nats-route://127.0.0.1:${ports[0]},nats-route://127.0.0.1:${ports[1]}"
  store="$RUN_DIR/store-$label-round$ROUND"
  SERVER_PIDS=()
  SERVER_URLS=""
  for (( i = 0; i < 3 + CLUSTER; i++ )); do
    case $i in
      0) name=auth; services=auth ;;
      1) name=router; services=router ;;
      2) name=stream; services=stream ;;
      *) name="gateway$(( i - 2 ))"; services=gateway ;;
    esac
    client=-1
    if (( i >= 3 )); then
      client=${ports[$(( CLUSTER + i ))]}
      SERVER_URLS+="${SERVER_URLS:+,}nats://127.0.0.1:$client"
    fi
    hz=${ports[$i]}
    argv=(java -jar "$TERN_JAR" --services "$services" -a 127.0.0.1 -p "$client" -m 0
          --cluster "nats://127.0.0.1:$hz" --routes "$routes" --cluster_name "bench-${ports[0]}")
    [[ $services == stream ]] && argv+=(-js -sd "$store")
    log "round $ROUND: starting $label $name: ${argv[*]}"
    "${argv[@]}" > "$RUN_DIR/$label-$name-round$ROUND.log" 2>&1 &
    SERVER_PIDS+=("$!")
    STARTED_PIDS+=("$!")
    # The first member alone first: started together on a busy machine, members may form separate
    # clusters that merge only later.
    (( i == 0 )) && await_log "$RUN_DIR/$label-$name-round$ROUND.log" "$!" "Server is ready"
  done
  for (( i = 1; i < 3 + CLUSTER; i++ )); do
    case $i in 1) name=router ;; 2) name=stream ;; *) name="gateway$(( i - 2 ))" ;; esac
    await_log "$RUN_DIR/$label-$name-round$ROUND.log" "${SERVER_PIDS[$i]}" "Server is ready"
  done
  # Partitions are placed on the router a moment after it joins; the warm-up pass covers the rest.
  sleep 3
}

# start_server LABEL TEMPLATE -> sets SERVER_PID, SERVER_PORT, MQTT_PORT
start_server() {
  local label=$1 template=$2 ports cmd store conf
  mapfile -t ports < <(java -cp "$BENCH_JAR" io.tern.bench.FreePort 3)
  SERVER_PORT=${ports[0]}
  MQTT_PORT=${ports[2]}
  store=$RUN_DIR/store-$label-round$ROUND
  conf=$RUN_DIR/$label-round$ROUND.conf
  if [[ $template == *"{conf}"* ]]; then
    printf 'server_name: bench-%s\njetstream { store_dir: "%s" }\nmqtt { host: 127.0.0.1, port: %s }\n' \
      "$label" "$store" "$MQTT_PORT" > "$conf"
  fi
  # A broker without NATS (mosquitto) is ready when its MQTT port is.
  [[ $template == *"{port}"* ]] || SERVER_PORT=$MQTT_PORT
  cmd=${template//\{port\}/${ports[0]}}
  cmd=${cmd//\{http_port\}/${ports[1]}}
  cmd=${cmd//\{mqtt_port\}/$MQTT_PORT}
  cmd=${cmd//\{conf\}/$conf}
  cmd=${cmd//\{store\}/$store}
  log "round $ROUND: starting $label: $cmd"
  local -a argv
  read -ra argv <<< "$cmd"
  "${argv[@]}" > "$RUN_DIR/$label-round$ROUND.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  local deadline=$(( SECONDS + 60 ))
  until (exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT") 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "$label exited during startup; log:"; tail -20 "$RUN_DIR/$label-round$ROUND.log" >&2; exit 1
    fi
    if (( SECONDS > deadline )); then log "$label did not listen on $SERVER_PORT within 60 s"; exit 1; fi
    sleep 0.1
  done
  # Let a JVM finish its startup work before sampling idle memory.
  sleep 2
}

run_round_on() { # LABEL TEMPLATE [extra load-generator args]
  local label=$1 template=$2 idle=0 rc=0 pid
  local -a extra=("${@:3}")
  if [[ $label == tern-cluster* ]]; then
    start_cluster "$label"
  else
    start_server "$label" "$template"
    SERVER_PIDS=("$SERVER_PID")
    SERVER_URLS="nats://127.0.0.1:$SERVER_PORT"
    (( MQTT )) && extra+=(--mqtt "127.0.0.1:$MQTT_PORT")
  fi
  for pid in "${SERVER_PIDS[@]}"; do idle=$(( idle + $(status_kb "$pid" VmRSS) )); done
  # In the background and waited for, so a TERM/INT to this script is handled at once (bash defers
  # traps while a foreground child runs); timeout passes the TERM from cleanup on to the JVM.
  # shellcheck disable=SC2086
  timeout --kill-after=10 "$BENCH_RUN_TIMEOUT" java ${BENCH_JAVA_OPTS:--Xms1g -Xmx4g} -jar "$BENCH_JAR" \
    --url "$SERVER_URLS" --server-pid "$(IFS=,; echo "${SERVER_PIDS[*]}")" --server-label "$label" \
    --round "$ROUND" --clk-tck "$CLK_TCK" "${MODE_ARGS[@]}" ${extra[@]+"${extra[@]}"} \
    >> "$RESULTS" 2> >(tee -a "$RUN_DIR/bench.log" >&2) &
  local bench_pid=$!
  STARTED_PIDS+=("$bench_pid")
  wait "$bench_pid" || rc=$?
  local cpu=0
  for pid in "${SERVER_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then cpu=$(awk -v a="$cpu" -v b="$(cpu_seconds "$pid")" 'BEGIN { printf "%.3f", a + b }')
    else cpu=null; break; fi
  done
  printf '{"type":"server","server":"%s","round":%d,"idleRssKb":%s,"cpuS":%s,"benchExit":%d}\n' \
    "$label" "$ROUND" "${idle:-null}" "$cpu" "$rc" >> "$RESULTS"
  for pid in "${SERVER_PIDS[@]}"; do stop_pid "$pid"; done
  if (( rc != 0 )); then log "$label round $ROUND: load generator exited with $rc (see $RUN_DIR/bench.log)"; fi
}

# A is the side the ratio is about, B what it is compared with.
if (( CLUSTER > 0 )); then
  A_LABEL="tern-cluster$CLUSTER"; A_TEMPLATE=""; B_LABEL=tern; B_TEMPLATE=$TERN_TEMPLATE
else
  A_LABEL=tern; A_TEMPLATE=$TERN_TEMPLATE; B_LABEL=nats-server; B_TEMPLATE=$NATS_TEMPLATE
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for (( ROUND = 1; ROUND <= ROUNDS; ROUND++ )); do
  if (( ABBA && ROUND % 2 == 0 )); then
    run_round_on "$B_LABEL" "$B_TEMPLATE"
    run_round_on "$A_LABEL" "$A_TEMPLATE"
  else
    run_round_on "$A_LABEL" "$A_TEMPLATE"
    run_round_on "$B_LABEL" "$B_TEMPLATE"
  fi
  if [[ -n $MOSQUITTO ]]; then
    run_round_on mosquitto "$MOSQUITTO_TEMPLATE" --mqtt-only
  fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------
NOTES=()
CLUSTER_META=()
if (( CLUSTER > 0 )); then
  CLUSTER_META=(--meta "tern-cluster$CLUSTER=java -jar $TERN_JAR --services auth|router|stream|gateway (x$CLUSTER), one process each, Hazelcast on loopback; connections spread over the gateways in turn")
fi
if [[ -n ${TERN_CMD:-} ]]; then
  NOTES+=(--note "PIPELINE CHECK ONLY: the 'tern' side ran TERN_CMD, not launcher/target/tern.jar")
fi
# Other processes competing for the cores distort every figure; say so rather than hide it. The
# load just after the run includes the run's own (client and server busy on every core: about 3 on
# 2 cores with the 3M-message scenarios), so only a load beyond that counts there.
BUSY=$(awk -v n="$(nproc)" -v a="${LOAD_BEFORE%% *}" -v b="${LOAD_AFTER%% *}" \
  'BEGIN { if (a > n / 2 || b > 2 * n) print 1; else print 0 }')
if (( BUSY )); then
  NOTES+=(--note "Machine was busy (load average $LOAD_BEFORE before, $LOAD_AFTER after on $(nproc) cores): figures are noisy")
fi
# The issue's targets are about Tern against nats-server: not for a cluster comparison or a pipeline check.
TARGETS=""
(( CLUSTER == 0 )) && [[ -z ${TERN_CMD:-} ]] && TARGETS=1
TITLE="Tern vs nats-server ($( (( QUICK )) && echo quick || echo full ) run, $ROUNDS rounds)"
(( CLUSTER > 0 )) && TITLE="Distributed Tern ($CLUSTER gateway processes + auth, router, stream) vs embedded Tern ($( (( QUICK )) && echo quick || echo full ) run, $ROUNDS rounds)"
[[ -n ${TERN_CMD:-} ]] && TITLE="Pipeline check, not Tern: TERN_CMD vs nats-server ($( (( QUICK )) && echo quick || echo full ) run, $ROUNDS rounds)"
java -Djava.awt.headless=true -cp "$BENCH_JAR" io.tern.bench.Report \
  --results "$RESULTS" --markdown "$OUT/RESULTS.md" --png "$OUT/results.png" --tern "$A_LABEL" --other "$B_LABEL" \
  --title "$TITLE" \
  "${NOTES[@]}" \
  --meta "date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')" \
  --meta "nproc=$(nproc)" \
  --meta "CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
  --meta "java -version=$(java -version 2>&1 | tr '\n' ' ')" \
  --meta "nats-server=$("$NATS_SERVER" --version 2>&1)" \
  --meta "jnats=$(java -cp "$BENCH_JAR" io.tern.bench.Bench --client-version)" \
  --meta "tern command=$TERN_TEMPLATE" \
  ${CLUSTER_META[@]+"${CLUSTER_META[@]}"} \
  --meta "nats-server command=$NATS_TEMPLATE" \
  ${MOSQUITTO:+--meta "mosquitto command=$MOSQUITTO_TEMPLATE ($("$MOSQUITTO" -h 2>&1 | head -1))"} \
  --meta "load generator=java ${BENCH_JAVA_OPTS:--Xms1g -Xmx4g} -jar bench/target/tern-bench.jar ${MODE_ARGS[*]}" \
  --meta "order=per round: $( (( ABBA )) && echo "$A_LABEL then $B_LABEL in odd rounds, the reverse in even rounds" || echo "$A_LABEL then $B_LABEL"); each server started fresh per round and kept up for all scenarios of the round" \
  --meta "load average before/after=$LOAD_BEFORE / $LOAD_AFTER" \
  --meta "raw data=${RUN_DIR#"$ROOT"/}" \
  ${TARGETS:+--targets}
log "wrote $OUT/RESULTS.md and $OUT/results.png (raw: $RUN_DIR)"
