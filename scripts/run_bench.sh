#!/usr/bin/env bash
# `make bench`: start PostgreSQL and Redis (the benchmarks that need them use them), run every benchmark,
# write docs/benchmarks.md, stop the servers. Arguments name a subset (e.g. bench_ingest bench_detect).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/servers.sh start || exit 1
trap 'bash scripts/servers.sh stop' EXIT
eval "$(bash scripts/servers.sh env)"
export SPARK_LOCAL_IP=127.0.0.1
.venv/bin/python -m benchmarks.run "$@"
