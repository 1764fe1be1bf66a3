#!/usr/bin/env bash
# Makes sure the services the test suite talks to are running on loopback (PostgreSQL, Redis, RabbitMQ, NATS with
# JetStream, and a Kafka broker of the project's own, see kafka.sh); starts the ones that are not.
# Usage: scripts/services.sh ensure
set -euo pipefail

wait_for() { # name, attempts, command...
  local name=$1 attempts=$2; shift 2
  for _ in $(seq "$attempts"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "services: $name did not become ready" >&2
  return 1
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "services: PostgreSQL is running on 127.0.0.1:5432"
    return
  fi
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  wait_for PostgreSQL 60 pg_isready -q -h 127.0.0.1 -p 5432
}

answers() { # host, port: a TCP connect succeeds
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

ensure_redis() {
  if answers 127.0.0.1 6379; then
    echo "services: Redis is running on 127.0.0.1:6379"
    return
  fi
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 30 answers 127.0.0.1 6379
}

ensure_rabbitmq() {
  if answers 127.0.0.1 5672; then
    echo "services: RabbitMQ is running on 127.0.0.1:5672"
    return
  fi
  echo "services: starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ 90 answers 127.0.0.1 5672
}

ensure_nats() {
  if answers 127.0.0.1 4222; then
    echo "services: NATS is running on 127.0.0.1:4222"
    return
  fi
  echo "services: starting NATS with JetStream"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for NATS 30 answers 127.0.0.1 4222
}

case "${1:-ensure}" in
  ensure)
    ensure_postgres
    ensure_redis
    ensure_rabbitmq
    ensure_nats
    "$(dirname "$0")/kafka.sh" start
    ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
