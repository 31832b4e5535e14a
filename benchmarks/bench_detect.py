"""Trip building and the detector suite: DuckDB vs Spark local, and pandas baselines on the same sample.

1. `zhifa simulate --days 1 --scale S` (skipped when --data points at an existing simulation);
2. the full detector suite (illegal passenger operation, GPS off, oversize) over the day on DuckDB —
   time end to end (lake files → leads drafted), rows read;
3. a vehicle sample (--sample, default 1 %, by plate hash) written to Parquet; on it:
   - the suite on Spark local and on DuckDB (same drafts are checked),
   - trip building alone: the Ibis expression on DuckDB vs a per-vehicle pandas groupby-apply and a
     vectorised pandas version (sort, diff, cumsum, groupby-agg); ratios reported.
The per-vehicle baseline is timed on at most --apply-rows rows of the sample (it is slow) and compared
as rows per second.

Usage: python benchmarks/bench_detect.py [--scale 1.0] [--sample F] [--data DIR] [--no-spark]
(the sample defaults to 1 % of a scale-1.0 day: 0.01 / scale of the simulated day)
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import polars as pl

from zhifa.detection.context import DetectContext, PermitInfo, Registries, VehicleInfo, WhitelistEntry
from zhifa.detection.engines import connect, open_tables
from zhifa.detection.service import detect_day
from zhifa.detection.trajectory import build_trips

GAP_S = 2 * 3600
TABLES = ("gantry_pass", "toll_txn", "wim", "static_weigh", "gps_point")


def simulate(scale: float, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "zhifa.cli.main", "simulate", "--days", "1", "--scale", str(scale),
                    "--seed", "11", "--out", str(out)], check=True, stdout=subprocess.DEVNULL)


def busiest_day(records: Path) -> date:
    files = sorted((records / "gantry_pass").glob("*.parquet"), key=lambda p: p.stat().st_size)
    return date.fromisoformat(files[-1].stem)


def registries(reg_dir: Path) -> Registries:
    """Registries straight from the simulator's CSV files (no database needed for the benchmark)."""
    r = Registries()
    kinds = {}
    with open(reg_dir / "enterprises.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kinds[row["enterprise_id"]] = row["kind"]
    with open(reg_dir / "vehicles.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            r.vehicles[(row["plate"], row["plate_color"])] = VehicleInfo(
                row["plate"], row["plate_color"], int(row["vehicle_class"] or 0), row["use"] or None,
                row["enterprise_id"] or None, kinds.get(row["enterprise_id"]), int(row["axle_count"] or 0) or None,
                row.get("vehicle_kind") or None)
    with open(reg_dir / "passenger_whitelist.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            r.whitelist.setdefault((row["plate"], row["plate_color"]), []).append(WhitelistEntry(
                row["plate"], row["plate_color"], row["route_from"], row["route_to"],
                datetime.fromisoformat(row["valid_from"]), datetime.fromisoformat(row["valid_to"])))
    with open(reg_dir / "oversize_permits.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            vf, vt = datetime.fromisoformat(row["valid_from"]), datetime.fromisoformat(row["valid_to"])
            if vt <= vf:
                continue  # refused at registration
            r.permits.append(PermitInfo(
                row["permit_no"], row["plate"], row["plate_color"], int(row["class"]), int(row["length_mm"]),
                int(row["width_mm"]), int(row["height_mm"]), int(row["gross_weight_kg"]), int(row["axle_count"] or 0),
                tuple(json.loads(row["route"])), vf, vt, row["allowed_hours"] or None))
    return r


def suite(engine: str, records: Path, day: date, reg: Registries) -> tuple[float, int, list, dict]:
    t0 = time.perf_counter()
    con = connect(engine)
    tables = open_tables(con, records, [day])
    ctx = DetectContext(day=day, tables=tables, registries=reg, engine=engine, history=tables, history_days=1)
    drafts, seconds = detect_day(ctx)
    elapsed = time.perf_counter() - t0
    rows = int(tables["gantry_pass"].count().to_pyarrow().as_py()) if tables["gantry_pass"] is not None else 0
    return elapsed, rows, drafts, seconds


def write_sample(records: Path, day: date, frac: float, out: Path) -> int:
    keep = int(frac * 10_000)
    n = 0
    for table in TABLES:
        src = records / table / f"{day.isoformat()}.parquet"
        if not src.exists():
            continue
        df = pl.read_parquet(src)
        df = df.filter((pl.col("plate").hash(seed=1) % 10_000) < keep)
        (out / table).mkdir(parents=True, exist_ok=True)
        df.write_parquet(out / table / f"{day.isoformat()}.parquet")
        if table == "gantry_pass":
            n = df.height
    return n


def pandas_passes(records: Path, day: date) -> pd.DataFrame:
    g = pd.read_parquet(records / "gantry_pass" / f"{day.isoformat()}.parquet")
    t = pd.read_parquet(records / "toll_txn" / f"{day.isoformat()}.parquet")
    g = pd.DataFrame({"record_id": g.record_id, "site_id": g.gantry_id, "t": g.pass_time.astype("int64") // 10**6,
                      "plate": g.plate, "plate_color": g.plate_color, "kind": "gantry"})
    t = pd.DataFrame({"record_id": t.record_id, "site_id": t.station_id, "t": t.event_time.astype("int64") // 10**6,
                      "plate": t.plate, "plate_color": t.plate_color, "kind": t.event})
    p = pd.concat([g, t], ignore_index=True)
    p = p[p.plate.notna() & (p.plate != "")]
    if p.t.max() > 10**11:  # ns → s for whatever unit the file used
        p["t"] = p.t // 1000
    return p


def trips_apply(p: pd.DataFrame) -> pd.DataFrame:
    """Baseline 1: per-vehicle groupby-apply with a Python loop (how it is often first written)."""
    def one(v: pd.DataFrame) -> pd.DataFrame:
        v = v.sort_values(["t", "record_id"])
        out, seq, prev_t, prev_kind, cur = [], 0, None, None, None
        for r in v.itertuples(index=False):
            if prev_t is None or r.t - prev_t > GAP_S or r.kind == "entry" or prev_kind == "exit":
                seq += 1
                cur = {"trip_seq": seq, "t_start": r.t, "first_site": r.site_id, "n_passes": 0}
                out.append(cur)
            cur["t_end"], cur["last_site"] = r.t, r.site_id
            cur["n_passes"] += 1
            prev_t, prev_kind = r.t, r.kind
        return pd.DataFrame(out)

    return p.groupby(["plate", "plate_color"], sort=False).apply(one, include_groups=False)


def trips_vectorised(p: pd.DataFrame) -> pd.DataFrame:
    """Baseline 2: vectorised pandas (sort, shift, cumsum, groupby-agg)."""
    p = p.sort_values(["plate_color", "plate", "t", "record_id"])
    same = (p.plate.eq(p.plate.shift())) & (p.plate_color.eq(p.plate_color.shift()))
    new = (~same) | (p.t - p.t.shift() > GAP_S) | (p.kind == "entry") | (p.kind.shift() == "exit")
    p = p.assign(trip_seq=new.astype("int64").groupby([p.plate_color, p.plate]).cumsum())
    return p.groupby(["plate_color", "plate", "trip_seq"], sort=False).agg(
        t_start=("t", "min"), t_end=("t", "max"), first_site=("site_id", "first"), last_site=("site_id", "last"),
        n_passes=("t", "size")).reset_index()


def ibis_trips(records: Path, day: date) -> tuple[float, int]:
    con = connect("duckdb")
    tables = open_tables(con, records, [day])
    t0 = time.perf_counter()
    _, trips = build_trips(tables["gantry_pass"], tables["toll_txn"], reconcile=False)
    n = len(trips.to_pyarrow())
    return time.perf_counter() - t0, n


def bare_duckdb_trips(records: Path, day: date) -> tuple[float, int]:
    """Baseline for the Ibis expression: one hand-written DuckDB window query over the same Parquet files
    (lag and a running sum per vehicle, then group-by) — what trip building costs without any layer."""
    import duckdb

    g = records / "gantry_pass" / f"{day.isoformat()}.parquet"
    t = records / "toll_txn" / f"{day.isoformat()}.parquet"
    q = f"""
    with p as (
      select plate, plate_color, epoch(pass_time) as t, gantry_id as site, 'gantry' as kind, record_id
        from read_parquet('{g}') where plate is not null and plate <> ''
      union all
      select plate, plate_color, epoch(event_time) as t, station_id as site, event as kind, record_id
        from read_parquet('{t}') where plate is not null and plate <> ''),
    s as (
      select *, case when lag(t) over w is null or t - lag(t) over w > {GAP_S} or kind = 'entry'
                          or lag(kind) over w = 'exit' then 1 else 0 end as new_trip
        from p window w as (partition by plate, plate_color order by t, record_id)),
    n as (select *, sum(new_trip) over (partition by plate, plate_color order by t, record_id) as trip_seq from s)
    select plate, plate_color, trip_seq, min(t) as t_start, max(t) as t_end, arg_min(site, t) as first_site,
           arg_max(site, t) as last_site, count(*) as n_passes
      from n group by plate, plate_color, trip_seq"""
    con = duckdb.connect()
    t0 = time.perf_counter()
    n = con.sql(q).pl().height  # materialised like the Ibis side (to_pyarrow)
    el = time.perf_counter() - t0
    con.close()
    return el, n


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--sample", type=float, default=None,
                    help="vehicle sample fraction; default: 1 %% of a scale-1.0 day, i.e. 0.01 / scale")
    ap.add_argument("--data", type=Path, default=None, help="an existing `zhifa simulate --out` directory")
    ap.add_argument("--apply-rows", type=int, default=50_000)
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args(argv)
    if args.sample is None:
        args.sample = min(1.0, 0.01 / args.scale)
    tmp = Path(tempfile.mkdtemp(prefix="zhifa-bench-detect-"))
    data = args.data or tmp / "sim"
    if args.data is None:
        t0 = time.perf_counter()
        simulate(args.scale, data)
        print(f"<!-- simulated scale {args.scale} in {time.perf_counter() - t0:.1f} s -->")
    records = data / "records"
    day = busiest_day(records)
    reg = registries(data / "registries")

    el, rows, drafts, secs = suite("duckdb", records, day, reg)
    print(f"Full detector suite over one simulated day ({day}, scale {args.scale}) on DuckDB:\n")
    print("| engine | data | gantry passes | time (s) | passes/s | leads | per detector (s) |")
    print("|---|---|---:|---:|---:|---:|---|")
    print(f"| DuckDB | full day | {rows:,} | {el:.2f} | {rows / el:,.0f} | {len(drafts)} | "
          f"{', '.join(f'{k} {v:.2f}' for k, v in secs.items())} |")

    sample = tmp / "sample"
    write_sample(records, day, args.sample, sample)
    el_d, rows_d, drafts_d, secs_d = suite("duckdb", sample, day, reg)
    print(f"| DuckDB | {args.sample:.0%} sample | {rows_d:,} | {el_d:.2f} | {rows_d / el_d:,.0f} | {len(drafts_d)} | "
          f"{', '.join(f'{k} {v:.2f}' for k, v in secs_d.items())} |")
    if not args.no_spark:
        t0 = time.perf_counter()
        connect("spark")
        start_up = time.perf_counter() - t0
        el_s, rows_s, drafts_s, secs_s = suite("spark", sample, day, reg)
        same = sorted(d.dedup_key for d in drafts_s) == sorted(d.dedup_key for d in drafts_d)
        print(f"| Spark local (start-up {start_up:.1f} s not counted) | {args.sample:.0%} sample | {rows_s:,} | "
              f"{el_s:.2f} | {rows_s / el_s:,.0f} | {len(drafts_s)} ({'same as DuckDB' if same else 'DIFFERENT'}) | "
              f"{', '.join(f'{k} {v:.2f}' for k, v in secs_s.items())} |")

    # trip building alone on the sample; both sides read the Parquet files inside the timing
    t_ibis, n_trips = ibis_trips(sample, day)
    t0 = time.perf_counter()
    p = pandas_passes(sample, day)
    v = trips_vectorised(p)
    t_vec = time.perf_counter() - t0
    plates = p[["plate", "plate_color"]].drop_duplicates()
    sub = p
    if len(p) > args.apply_rows:
        keep = plates.iloc[: max(1, int(len(plates) * args.apply_rows / len(p)))]
        sub = p.merge(keep, on=["plate", "plate_color"])
    t0 = time.perf_counter()
    a = trips_apply(sub)
    t_apply = time.perf_counter() - t0
    rate_ibis, rate_vec, rate_apply = len(p) / t_ibis, len(p) / t_vec, len(sub) / t_apply
    print(f"\nTrip building alone on the same {args.sample:.0%} sample ({len(p):,} passes incl. toll records, "
          f"{n_trips:,} trips; pandas vectorised gives {len(v):,}):\n")
    print("| implementation | rows | time (s) | rows/s | DuckDB (Ibis) is faster by |")
    print("|---|---:|---:|---:|---:|")
    print(f"| Ibis expression on DuckDB | {len(p):,} | {t_ibis:.3f} | {rate_ibis:,.0f} | 1× |")
    print(f"| pandas vectorised (sort/shift/cumsum/agg) | {len(p):,} | {t_vec:.3f} | {rate_vec:,.0f} | "
          f"{rate_ibis / rate_vec:.1f}× |")
    print(f"| pandas per-vehicle groupby-apply | {len(sub):,} | {t_apply:.3f} | {rate_apply:,.0f} | "
          f"{rate_ibis / rate_apply:.0f}× |")
    t_ibis_full, _ = ibis_trips(records, day)
    t0 = time.perf_counter()
    pf = pandas_passes(records, day)
    trips_vectorised(pf)
    t_vec_full = time.perf_counter() - t0
    t_bare, n_bare = bare_duckdb_trips(records, day)
    print(f"| Ibis expression on DuckDB, full day | {len(pf):,} | {t_ibis_full:.3f} | {len(pf) / t_ibis_full:,.0f} | 1× |")
    print(f"| bare DuckDB window query, full day ({n_bare:,} trips) | {len(pf):,} | {t_bare:.3f} | "
          f"{len(pf) / t_bare:,.0f} | Ibis trips take {t_ibis_full / t_bare:.2f}× the bare query |")
    print(f"| pandas vectorised, full day | {len(pf):,} | {t_vec_full:.3f} | {len(pf) / t_vec_full:,.0f} | "
          f"{t_vec_full / t_ibis_full:.1f}× |")
    print(f"\nCommand: `python benchmarks/bench_detect.py --scale {args.scale} --sample {args.sample:.4g}`; "
          f"{len(a):,} trips from the apply baseline.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
