"""Benchmark `zhifa simulate`: wall time and records/s for one day at the given scales.

Usage: .venv/bin/python benchmarks/bench_simulate.py [SCALE ...]   (default: 0.1 1.0)
Scale 1.0 ≈ one Henan day (about 15 M gantry passes); the target is ≤ 3 minutes on 2 cores.
"""

from __future__ import annotations

import resource
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
    scales = [float(a) for a in argv] or [0.1, 1.0]
    print("| scale | days | wall (s) | records | gantry passes | records/s | output (MB) | max RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for s in scales:
        r = run(s)
        print(f"| {r['scale']} | {r['days']} | {r['wall_s']} | {r['records']:,} | {r['gantry_pass']:,} | "
              f"{r['records_per_s']:,} | {r['output_mb']} | {r['max_rss_mb']:,} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
