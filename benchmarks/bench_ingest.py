"""Ingest throughput: N synthetic gantry passes as CSV and as Parquet, rows/s through `ingest_file`.

    .venv/bin/python benchmarks/bench_ingest.py [N]

Prints a markdown table row per format and returns the figures as a dict (for `make bench`).
Targets (this machine class): Parquet ≥ 500 k rows/s, CSV ≥ 200 k rows/s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

N_DEFAULT = 2_000_000
N_GANTRIES = 1100  # Henan has about 1,107 gantry sets (domain/scale.md)
N_VEHICLES = 300_000


def synthetic_gantry_passes(n: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = datetime(2022, 3, 1)
    vehicle = rng.integers(0, N_VEHICLES, n)
    letters = np.array(list("ABCDEFGHJKLMNPQRSU"))
    seconds = np.sort(rng.integers(0, 2 * 86400, n))
    frame = pl.DataFrame(
        {
            "record_id": pl.int_range(0, n, eager=True).cast(pl.String).str.zfill(12),
            "gantry_id": pl.Series(rng.integers(0, N_GANTRIES, n)).cast(pl.String).str.zfill(4),
            "pass_time": pl.Series(seconds * 1000).cast(pl.Duration("ms")) + start,
            "vehicle": vehicle,
        }
    )
    return frame.with_columns(
        pl.concat_str([pl.lit("G0004410"), pl.col("gantry_id")]).alias("gantry_id"),
        pl.col("pass_time").dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
        pl.concat_str(
            [
                pl.lit("豫"),
                pl.Series(letters[vehicle % len(letters)]),
                (pl.col("vehicle") % 100_000).cast(pl.String).str.zfill(5),
            ]
        ).alias("plate"),
        pl.when(pl.col("vehicle") % 4 == 0)
        .then(pl.lit("yellow"))
        .otherwise(pl.lit("blue"))
        .alias("plate_color"),
        pl.when(pl.col("vehicle") % 4 == 0).then(pl.lit("15")).otherwise(pl.lit("1")).alias("vehicle_class"),
        pl.when(pl.col("vehicle") % 4 == 0).then(pl.lit("5")).otherwise(pl.lit("2")).alias("axle_count"),
        (pl.col("vehicle") % 2 + 1).cast(pl.String).alias("direction"),
        pl.when(pl.col("vehicle") % 3 == 0).then(pl.lit("cpc")).otherwise(pl.lit("obu")).alias("media"),
    ).select(
        "record_id",
        "gantry_id",
        "pass_time",
        "plate",
        "plate_color",
        "vehicle_class",
        "axle_count",
        "direction",
        "media",
    )


def _container(root: Path):
    from zhifa.bootstrap import build, create_schema
    from zhifa.config import Settings
    from zhifa.db.session import unit_of_work
    from zhifa.org.orm import Site, Unit
    from zhifa.shared.clock import TZ, FixedClock

    c = build(Settings(env="test", data_dir=root / "var"), clock=FixedClock(datetime(2022, 3, 5, tzinfo=TZ)))
    create_schema(c)
    with unit_of_work(c.db) as s:
        s.add(Unit(unit_code="410000", name="河南省", level="province"))
        s.flush()
        s.add_all(
            Site(
                site_id=f"G0004410{i:04d}",
                kind="gantry",
                name=f"门架{i}",
                unit_code="410000",
                lon=113.6,
                lat=34.7,
            )
            for i in range(N_GANTRIES)
        )
    return c


def run(n: int = N_DEFAULT) -> dict[str, float]:
    from zhifa.records.service import ingest_file
    from zhifa.shared.access import SYSTEM

    results: dict[str, float] = {"rows": float(n)}
    with tempfile.TemporaryDirectory(prefix="zhifa-bench-ingest-") as tmp:
        root = Path(tmp)
        frame = synthetic_gantry_passes(n)
        frame.write_csv(root / "passes.csv")
        frame.with_columns(
            pl.col("pass_time").str.to_datetime("%Y-%m-%dT%H:%M:%S%z").dt.convert_time_zone("Asia/Shanghai"),
            pl.col("vehicle_class", "axle_count", "direction").cast(pl.Int16),
        ).write_parquet(root / "passes.parquet")
        del frame
        for fmt in ("parquet", "csv"):
            c = _container(root / fmt)  # a fresh lake each, so neither run only finds duplicates
            t0 = time.perf_counter()
            rep = ingest_file(c, root / f"passes.{fmt}", actor=SYSTEM, now=c.clock.now())
            dt = time.perf_counter() - t0
            assert rep.ingested == n, rep
            results[f"{fmt}_seconds"] = dt
            results[f"{fmt}_rows_per_s"] = n / dt
            # re-ingest: everything is a duplicate
            t0 = time.perf_counter()
            rep2 = ingest_file(c, root / f"passes.{fmt}", actor=SYSTEM, now=c.clock.now())
            results[f"{fmt}_reingest_seconds"] = time.perf_counter() - t0
            assert rep2.ingested == 0 and rep2.duplicates == n, rep2
    return results


def markdown(r: dict[str, float]) -> str:
    n = int(r["rows"])
    lines = [
        "| format | rows | seconds | rows/s | target | re-ingest (all duplicates) s |",
        "|---|---|---|---|---|---|",
    ]
    for fmt, target in (("parquet", 500_000), ("csv", 200_000)):
        lines.append(
            f"| {fmt} | {n:,} | {r[f'{fmt}_seconds']:.2f} | {r[f'{fmt}_rows_per_s']:,.0f} | {target:,} "
            f"| {r[f'{fmt}_reingest_seconds']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else N_DEFAULT)
    print(markdown(figures))
