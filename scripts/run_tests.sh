#!/usr/bin/env bash
# The whole suite with real servers: starts PostgreSQL and Redis, runs pytest, stops them.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/servers.sh start || exit 1
trap 'bash scripts/servers.sh stop' EXIT
eval "$(bash scripts/servers.sh env)"
export ZHIFA_REQUIRE_SERVERS=1
export SPARK_LOCAL_IP=127.0.0.1
mkdir -p test-artifacts
.venv/bin/ruff check src tests benchmarks || exit 1
.venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup "$@"
