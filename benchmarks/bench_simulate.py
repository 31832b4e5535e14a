"""Benchmark `zhifa simulate`: wall time and records/s for one day at the given scales.

Usage: .venv/bin/python benchmarks/bench_simulate.py [SCALE ...]   (default: 0.1 1.0)
Scale 1.0 ≈ one Henan day (about 15 M gantry passes); the target is ≤ 3 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zhifa.sim.engine import simulate


def run(scale: float, days: int = 1, seed: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench_sim_") as tmp:
        t0 = time.perf_counter()
        rep = simulate(days=days, scale=scale, seed=seed, out_dir=Path(tmp))
        wall = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    return {"scale": scale, "days": days, "wall_s": round(wall, 1), "records": rep.total_records,
            "gantry_pass": rep.records["gantry_pass"], "records_per_s": round(rep.total_records / wall),
            "output_mb": round(size / 2**20, 1), "network": rep.network_source,
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:  # child process: one scale, JSON on stdout (clean max RSS per scale)
        print(json.dumps(run(float(argv[1]))))
        return
    scales = [float(a) for a in argv] or [0.1, 1.0]
    print(f"`.venv/bin/python -m benchmarks.bench_simulate {' '.join(str(s) for s in scales)}` "
          "(one day each, seed 1, a fresh process per scale; 1.0 ≈ one Henan day of 15 M gantry passes; "
          f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| scale | days | wall (s) | records | gantry passes | records/s | output (MB) | max RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for s in scales:
        proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_simulate", "--one", str(s)],
                              capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"| {r['scale']} | {r['days']} | {r['wall_s']} | {r['records']:,} | {r['gantry_pass']:,} | "
              f"{r['records_per_s']:,} | {r['output_mb']} | {r['max_rss_mb']:,} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
