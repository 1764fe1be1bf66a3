#!/usr/bin/env bash
# Order throughput on one node vs three clustered nodes on this machine, then how long the relay and saga roles take
# to move to a standby after kill -9 of their holder. Needs PostgreSQL and Kafka on loopback (scripts/services.sh
# ensure) and the two jars (mvn -B -q package -DskipTests).
# Usage: scripts/cluster-bench.sh [ORDERS] [CONCURRENCY] [KILLS]   (defaults 2000, 32, 3)
# One PostgreSQL schema and one Kafka namespace per configuration; the schemas are dropped at the end.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
jar=$repo/verticles/target/herald.jar
bench=$repo/bench/target/herald-bench.jar
orders=${1:-2000}
concurrency=${2:-32}
kills=${3:-3}
run=$$
logs=$(mktemp -d)
pids=()

psql_q() { psql -h 127.0.0.1 -U postgres -d test -qAt -c "$1"; }

cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  psql_q "DROP SCHEMA IF EXISTS bench_one_$run CASCADE; DROP SCHEMA IF EXISTS bench_cluster_$run CASCADE" || true
  echo "logs: $logs" >&2
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_node NAME HTTP_PORT SCHEMA [herald args...]: starts a node in the background, records its pid in pid_NAME
start_node() {
  local name=$1 port=$2 schema=$3; shift 3
  HERALD_HTTP_PORT=$port HERALD_STORE_POSTGRES_SCHEMA=$schema HERALD_BROKER_KAFKA_NAMESPACE=$schema \
    HERALD_BROKER_KAFKA_SESSIONTIMEOUTMS=6000 java -Xmx512m -jar "$jar" --profile postgres,kafka "$@" \
    >>"$logs/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_$name=$!"
}

wait_ready() {   # wait_ready PORT
  for _ in $(seq 1 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready") == 200 ]] && return 0
    sleep 0.1
  done
  echo "node on $1 not ready after 60 s" >&2; return 1
}

holder() {       # holder PORT ROLE: the node id holding ROLE, as the node on PORT reports it
  curl -s "http://127.0.0.1:$1/health/ready" \
    | jq -r --arg role "$2" '.checks[] | select(.name=="cluster") | .roles[$role].holder // empty' 2>/dev/null || true
}

node_id() { curl -s "http://127.0.0.1:$1/health/ready" | jq -r '.checks[] | select(.name=="cluster") | .node'; }

load() {         # load PORT LABEL
  echo "== $2: $orders orders, concurrency $concurrency" >&2
  java -jar "$bench" load --url "http://127.0.0.1:$1" --orders "$orders" --concurrency "$concurrency" 2>/dev/null \
    | tee "$logs/load-$2.txt"
}

# ---- one node, every service
one=$(free_port)
start_node one "$one" "bench_one_$run"
wait_ready "$one"
load "$one" one-node
kill "$pid_one"; wait "$pid_one" 2>/dev/null || true

# ---- three clustered nodes, the services split; saga and relay on two of them
hz=($(free_port) $(free_port) $(free_port))
export HERALD_CLUSTER_MEMBERS="127.0.0.1:${hz[0]},127.0.0.1:${hz[1]},127.0.0.1:${hz[2]}" HERALD_CLUSTER_NAME="bench-$run"
api=$(free_port); b=$(free_port); c=$(free_port)
schema=bench_cluster_$run
HERALD_CLUSTER_PORT=${hz[2]} start_node c "$c" "$schema" --cluster --services notification,analytics,audit,saga,relay
wait_ready "$c"
HERALD_CLUSTER_PORT=${hz[1]} start_node b "$b" "$schema" --cluster --services payment,inventory,shipping,saga,relay
HERALD_CLUSTER_PORT=${hz[0]} start_node a "$api" "$schema" --cluster --services gateway,user,order
wait_ready "$b"; wait_ready "$api"
load "$api" three-nodes
echo "== compensated sagas by reason (three nodes)" >&2
psql_q "SELECT count(*) || '  ' || coalesce(state->>'reason', '') FROM $schema.sagas WHERE status = 'compensated'
  GROUP BY state->>'reason' ORDER BY count(*) DESC LIMIT 5" >&2

# ---- kill -9 the holder of the relay and saga roles, time until both are held by the other node; start it again
echo "== role move after kill -9 (relay and saga), $kills times" >&2
for i in $(seq 1 "$kills"); do
  for _ in $(seq 1 300); do [[ -n $(holder "$api" relay:relay) && -n $(holder "$api" saga:saga) ]] && break; sleep 0.1; done
  victim=$(holder "$api" relay:relay)
  if [[ $victim == $(node_id "$c") ]]; then vname=c; vport=$c; vhz=${hz[2]}; services=notification,analytics,audit,saga,relay
  else vname=b; vport=$b; vhz=${hz[1]}; services=payment,inventory,shipping,saga,relay; fi
  vpid=$(eval echo "\$pid_$vname")
  start=$(date +%s%N)
  kill -9 "$vpid"
  while :; do
    relay=$(holder "$api" relay:relay); saga=$(holder "$api" saga:saga)
    [[ -n $relay && -n $saga && $relay != "$victim" && $saga != "$victim" ]] && break
    (( ($(date +%s%N) - start) / 1000000 > 30000 )) && { echo "roles did not move within 30 s" >&2; exit 1; }
    sleep 0.05
  done
  echo "kill $i: relay and saga roles moved in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  HERALD_CLUSTER_PORT=$vhz start_node "$vname" "$vport" "$schema" --cluster --services "$services"
  wait_ready "$vport"
done
