#!/usr/bin/env bash
# Assemble, start and stop a single-node Apache Kafka (KRaft) from Maven Central jars.
#
#   deploy/kafka/kafka.sh fetch          download kafka_2.13 and its runtime closure (cached)
#   deploy/kafka/kafka.sh start          format storage, start the broker, wait until it serves
#   deploy/kafka/kafka.sh stop           stop the broker started by `start`
#   deploy/kafka/kafka.sh kill9          kill -9 the broker (reliability tests)
#   deploy/kafka/kafka.sh restart        start again on the same storage (after kill9)
#   deploy/kafka/kafka.sh status         print the bootstrap address if running
#
# Environment:
#   READOUT_KAFKA_HOME   work dir (default: $XDG_CACHE_HOME/readout-kafka or ~/.cache/readout-kafka)
#   READOUT_KAFKA_PORT   client listener port on 127.0.0.1 (default 19092)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=${READOUT_KAFKA_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/readout-kafka}
port=${READOUT_KAFKA_PORT:-19092}
ctrl_port=$((port + 1))
lib="$home/lib"
run="$home/run-$port"
pidfile="$run/kafka.pid"

log() { printf 'kafka.sh: %s\n' "$*" >&2; }

fetch() {
  local stamp="$lib/.pom-$(sha256sum "$here/pom.xml" | cut -c1-16)"
  if [[ -f "$stamp" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn not found: install Maven (apt-get install maven)"; exit 1; }
  command -v java >/dev/null || { log "java not found: install a JDK 17+"; exit 1; }
  log "assembling Apache Kafka from Maven Central into $lib"
  rm -rf "$lib" && mkdir -p "$lib"
  mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$lib" >&2
  touch "$stamp"
  log "$(ls "$lib" | wc -l) jars in $lib"
}

java_cmd() {
  local main=$1; shift
  java -Xms256m -Xmx768m -XX:+UseG1GC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$lib/*" "$main" "$@"
}

write_config() {
  mkdir -p "$run/data"
  cat >"$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctrl_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctrl_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$run/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.cleaner.backoff.ms=1000
PROPS
}

serving() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

wait_serving() {
  local pid=$1
  for _ in $(seq 1 240); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during start; last log lines:"; tail -40 "$run/kafka.log" >&2; exit 1
    fi
    if serving && grep -q "Kafka Server started\|KafkaRaftServer.*started\|Transitioning from RECOVERY to RUNNING" "$run/kafka.log" 2>/dev/null; then
      return 0
    fi
    if serving; then sleep 1; serving && return 0; fi
    sleep 0.5
  done
  log "broker did not serve within 120 s"; tail -40 "$run/kafka.log" >&2; exit 1
}

launch() {
  nohup bash -c "exec java -Xms256m -Xmx768m -XX:+UseG1GC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile='$here/log4j2.properties' -cp '$lib/*' kafka.Kafka '$run/server.properties'" \
    >>"$run/kafka.log" 2>&1 &
  echo $! >"$pidfile"
  wait_serving "$(cat "$pidfile")"
  log "broker serving on 127.0.0.1:$port (pid $(cat "$pidfile"))"
}

start() {
  fetch
  stop_quiet
  rm -rf "$run" && mkdir -p "$run"
  write_config
  java_cmd kafka.tools.StorageTool format -t "$(java_cmd kafka.tools.StorageTool random-uuid)" \
    -c "$run/server.properties" >"$run/format.log" 2>&1 || { cat "$run/format.log" >&2; exit 1; }
  launch
  echo "127.0.0.1:$port"
}

restart() { [[ -f "$run/server.properties" ]] || { log "no storage at $run: run start first"; exit 1; }; stop_quiet; launch; }

stop_quiet() {
  [[ -f "$pidfile" ]] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop_quiet; log "stopped" ;;
  kill9) [[ -f "$pidfile" ]] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true ;;
  restart) restart ;;
  status) [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && echo "127.0.0.1:$port" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
