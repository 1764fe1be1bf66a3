#!/usr/bin/env bash
# Makes sure the services the test suite talks to are running on loopback; starts the ones that are not.
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

case "${1:-ensure}" in
  ensure) ensure_postgres ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
