#!/usr/bin/env bash
# Builds the demo province: simulate, ingest, run every detector. Usage: demo_pipeline.sh DIR DAYS SCALE
set -euo pipefail
dir="${1:-var}"; days="${2:-2}"; scale="${3:-0.01}"
Z=.venv/bin/zhifa
sim="$dir/sim"
if [ ! -f "$sim/truth.parquet" ]; then
  $Z simulate --days "$days" --scale "$scale" --seed 7 --out "$sim" --start "${DEMO_FROM:-2022-03-01}"
fi
# registries first (sites exist from `zhifa init`), then the records
$Z ingest "$sim"/registries/*.csv
$Z ingest "$sim"/records/*/*.parquet
for day in $(ls "$sim/records/gantry_pass" | sed -E 's/\.parquet$//' | sort -u); do
  $Z detect run --date "$day"
  $Z overload run --date "$day"
done
$Z credit compute
$Z intercept replay --records "$sim/records" --speed 0
# road sections with their building-control zones, for patrols and the remote-sensing check
$Z roads seed-demo
# a few weeks of the bureau's work through the platform's own services (cases, orders, complaints …)
$Z demo-activity --sim "$sim"
