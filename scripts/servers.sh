#!/usr/bin/env bash
# Starts/stops the throw-away PostgreSQL and Redis servers the test suite uses (loopback only).
# Usage: servers.sh start|stop|env
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="${ZHIFA_SERVERS_DIR:-/tmp/zhifa-test-servers}"
pg_port="${ZHIFA_TEST_PG_PORT:-54329}"
redis_port="${ZHIFA_TEST_REDIS_PORT:-63799}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"

as_pg() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$run"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$run" 2>/dev/null || true; chmod 777 "$run"; fi
  if ! as_pg "$pg_bin/pg_ctl" -D "$run/pg" status >/dev/null 2>&1; then
    # not running: start from a fresh cluster (a killed server's leftovers are never reused)
    rm -rf "$run/pg"
    as_pg "$pg_bin/initdb" -D "$run/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$pg_bin/pg_ctl" -D "$run/pg" -l "$run/pg.log" -w \
      -o "-p $pg_port -k $run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  fi
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='zhifa_test'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE zhifa_test"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$run/redis.pid" --logfile "$run/redis.log" --dir "$run"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "servers up: postgresql :$pg_port, redis :$redis_port"
}

stop() {
  [ -n "$pg_bin" ] && as_pg "$pg_bin/pg_ctl" -D "$run/pg" -m fast stop >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  echo "servers stopped"
}

env() {
  echo "export ZHIFA_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$pg_port/zhifa_test"
  echo "export ZHIFA_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/0"
}

"${1:-start}"
