#!/usr/bin/env bash
# A real single-node Apache Kafka 4.x broker (KRaft) on 127.0.0.1:9092, for tests and local runs.
# Usage: scripts/kafka.sh start|stop|status
#   start   idempotent: fetches the broker from Maven Central once, formats storage once, starts it and
#           waits until it is ready; when a broker already answers on the port it only makes sure the jars are
#           here (the outage tests start a broker of their own from them, behind a proxy they can cut)
#   stop    stops the broker this script started
#   status  exit 0 when the broker answers, 1 otherwise
# HERALD_KAFKA_HOME (default: var/kafka in the repository) holds the jars, the data and the log.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
home=${HERALD_KAFKA_HOME:-$repo/var/kafka}
libs=$home/libs
data=$home/data
conf=$home/server.properties
log=$home/server.log
pidfile=$home/kafka.pid
host=127.0.0.1
port=9092
controller_port=9093

answers() {   # a TCP connect to the broker port succeeds
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

running_pid() {
  [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
}

fetch() {
  if [[ -f $libs/.complete ]]; then return; fi
  echo "kafka: fetching the broker from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -B -q -f "$repo/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime
  touch "$libs/.complete"
}

configure() {
  mkdir -p "$data"
  cat > "$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$host:$controller_port
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat > "$home/log4j2.properties" <<'LOG'
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = info
logger.apache.name = org.apache.kafka
logger.apache.level = warn
LOG
  if [[ ! -f $data/meta.properties ]]; then
    local id
    id=$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid)
    java -cp "$libs/*" kafka.tools.StorageTool format --standalone -t "$id" -c "$conf" >/dev/null
  fi
}

start() {
  fetch
  if answers; then
    echo "kafka: a broker already answers on $host:$port"
    return
  fi
  configure
  echo "kafka: starting on $host:$port (log: $log)"
  : > "$log"
  nohup java -Xms1g -Xmx1g -Dlog4j2.configurationFile="$home/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$conf" >>"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 120); do
    if grep -q "Kafka Server started" "$log" 2>/dev/null && answers; then
      echo "kafka: ready"
      return
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "kafka: the broker exited during start; last lines of $log:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "kafka: not ready after 120 s; last lines of $log:" >&2
  tail -20 "$log" >&2
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "kafka: not running (no broker started by this script)"
    return
  fi
  kill "$pid"
  for _ in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "kafka: stopped"; return; }
    sleep 1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "kafka: killed after 30 s"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "kafka: answers on $host:$port"; else echo "kafka: not answering on $host:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
