"""Yearly report and dashboard benchmark (issue 8).

Data: `zhifa.reports.synth.populate` — a synthetic year across the slices (watch-list, hits, interception
tasks, forwarded leads, joint operations, cases, exemptions, leads, overload determinations, entry
weighing, loading sources, trace-backs, credit listings, inspections, accountability, work orders,
complaints, barriers, sites) spread over Henan's 175 units, plus 60 % of that for the previous year
(for year-over-year change). `--scale S` gives about 980 × S rows in all (scale 500 ≈ 0.5 M rows).

Timed, in one process, on SQLite (a file) by default and on PostgreSQL when ZHIFA_TEST_PG_URL is set
(a fresh schema, dropped afterwards):
1. the province's yearly report (`report.build`: every figure, YoY, rankings, charts, monthly trend),
   median of 3 runs; a city's report; the PDF (WeasyPrint);
2. the dashboard's live numbers (`web.dashboard.live`, period 30 days and year): p50/p95 over N calls;
   the original summary (`web.dashboard.summary`) as the baseline in the same run.
Target: dashboard p95 ≤ 300 ms with a year of data in PostgreSQL.

Usage: python -m benchmarks.bench_reports [--scale 500] [--calls 30] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path


def _container(url: str | None, tmp: Path):  # type: ignore[no-untyped-def]
    from zhifa.bootstrap import build, create_schema
    from zhifa.config import Settings

    c = build(Settings(env="test", data_dir=tmp / "var", database_url=url or ""))
    create_schema(c)
    return c


def _seed_units(c) -> None:  # type: ignore[no-untyped-def]
    from importlib import resources

    from zhifa.db.session import unit_of_work
    from zhifa.org.orm import Unit

    data = json.loads(resources.files("zhifa.org").joinpath("data/units.json").read_text("utf-8"))
    with unit_of_work(c.db) as s:
        for u in data["units"]:
            s.add(Unit(**{k: u.get(k) for k in ("unit_code", "name", "level", "parent_code", "city_code", "lon",
                                                  "lat", "plate_prefixes", "directly_administered")}))


# Indexes on the time columns the dashboard filters by, proposed to the slices that own the tables
# (measured below as a second pass: "with proposed indexes").
PROPOSED_INDEXES = (
    ("ix_bench_leads_created_at", "leads", "created_at"),
    ("ix_bench_cases_created_at", "cases", "created_at"),
    ("ix_bench_intercept_tasks_created_at", "intercept_tasks", "created_at"),
    ("ix_bench_intercept_tasks_answered_at", "intercept_tasks", "answered_at"),
    ("ix_bench_overload_det_measured_at", "overload_determinations", "measured_at"),
)


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def run(backend: str, url: str | None, scale: int, calls: int) -> dict[str, object]:
    from zhifa.db.session import unit_of_work
    from zhifa.reports import report as R
    from zhifa.reports import synth
    from zhifa.reports.figures import Period, UnitInfo, ensure_models
    from zhifa.shared.access import SYSTEM
    from zhifa.shared.clock import TZ
    from zhifa.web import dashboard
    from zhifa.web.auth import UnitTree

    ensure_models()  # slices the registry does not list yet (training) get their tables too
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    c = _container(url, tmp)
    _seed_units(c)
    t0 = time.perf_counter()
    with unit_of_work(c.db) as s:
        rows = synth.populate(s, year=2022, scale=scale, seed=7)
    load_s = time.perf_counter() - t0
    n_rows = sum(len(v) for v in rows.values())
    year = Period("year", 2022)
    res: dict[str, object] = {"backend": backend, "scale": scale, "rows": n_rows, "tables": len(rows),
                              "load_s": round(load_s, 2)}
    with unit_of_work(c.db) as s:
        units = UnitInfo.load(s)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            data = R.build(s, unit_code="410000", period=year, units=units)
            times.append(time.perf_counter() - t)
        res["report_province_s"] = round(statistics.median(times), 3)
        t = time.perf_counter()
        R.build(s, unit_code="410100", period=year, units=units)
        res["report_city_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        pdf = R.render_pdf(data)
        res["pdf_s"] = round(time.perf_counter() - t, 3)
        res["pdf_kb"] = len(pdf) // 1024
        res["figures_with_data"] = sum(1 for f in data["figures"] if f["value"] is not None)
        res["figures_no_data"] = sum(1 for f in data["figures"] if f["value"] is None)
        tree = UnitTree(parents=dict(units.parents), names=dict(units.names), city_of=dict(units.city_of),
                        levels=dict(units.levels))
        now = datetime(2022, 12, 31, 20, 0, tzinfo=TZ)
        def live_pass(suffix: str) -> None:
            for period in ("30d", "year"):
                lat = []
                for _ in range(calls):
                    t = time.perf_counter()
                    dashboard.live(s, actor=SYSTEM, tree=tree, now=now, period=period)
                    lat.append((time.perf_counter() - t) * 1000)
                res[f"live_{period}_p50_ms{suffix}"] = round(_pct(lat, 50), 1)
                res[f"live_{period}_p95_ms{suffix}"] = round(_pct(lat, 95), 1)

        live_pass("")
        import sqlalchemy as sa

        for name, table, col in PROPOSED_INDEXES:
            s.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({col})"))
        s.execute(sa.text("ANALYZE"))
        live_pass("_ix")
        lat = []
        for _ in range(calls):
            t = time.perf_counter()
            dashboard.summary(s, actor=SYSTEM, tree=tree)
            lat.append((time.perf_counter() - t) * 1000)
        res["summary_p95_ms"] = round(_pct(lat, 95), 1)
    c.db.engine.dispose()
    return res


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=500)
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    results = [run("SQLite", None, a.scale, a.calls)]
    pg = os.environ.get("ZHIFA_TEST_PG_URL")
    if pg:
        import sqlalchemy as sa

        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = sa.create_engine(pg)
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in pg else "?"
        try:
            results.append(run("PostgreSQL", f"{pg}{sep}options=-csearch_path%3D{schema}", a.scale, a.calls))
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    print(f"Synthetic year 2022 (+60 % for 2021) at scale {a.scale}: {results[0]['rows']:,} rows across {results[0]['tables']} tables, "
          f"175 units. Dashboard latencies over {a.calls} calls each.\n")
    print("| backend | rows | load s | province report s | city report s | PDF s (KiB) | figures with data / 无数据 "
          "| baseline summary p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['backend']} | {r['rows']:,} | {r['load_s']} | {r['report_province_s']} | {r['report_city_s']} "
              f"| {r['pdf_s']} ({r['pdf_kb']}) | {r['figures_with_data']} / {r['figures_no_data']} "
              f"| {r['summary_p95_ms']} |")
    print("\nDashboard live numbers (`/api/dashboard/live`, province scope), p50 / p95 ms:\n")
    print("| backend | schema | period 30 days | period year |")
    print("|---|---|---|---|")
    for r in results:
        for label, sfx in (("as declared", ""), ("with proposed time indexes", "_ix")):
            print(f"| {r['backend']} | {label} | {r['live_30d_p50_ms' + sfx]} / {r['live_30d_p95_ms' + sfx]} "
                  f"| {r['live_year_p50_ms' + sfx]} / {r['live_year_p95_ms' + sfx]} |")
    print("\nProposed indexes: " + ", ".join(f"`{t}({c})`" for _, t, c in PROPOSED_INDEXES) + ".")
    if not os.environ.get("ZHIFA_TEST_PG_URL"):
        print("\n_PostgreSQL not measured: ZHIFA_TEST_PG_URL not set._")
    print(f"\nCommand: `python -m benchmarks.bench_reports --scale {a.scale} --calls {a.calls}`")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
