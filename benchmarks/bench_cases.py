"""Case slice at scale (issue 6, "Measure"): opening cases from leads, the officer's case list, the
deadline sweep.

1. Opening N cases from confirmed leads: the leads are bulk-inserted first, then every case goes through
   the real service path `cases.service.open_case_from_lead` (checks, rule versions, audit event, lead
   link), `--batch` cases per transaction; a sample is also opened one case per transaction (one web
   request each). Baseline in the same run: a bare bulk INSERT of the same number of `cases` rows.
   On SQLite (a file in a temporary directory) and, when a PostgreSQL URL is given, on PostgreSQL.
2. The officer's case list over `--list-rows` cases in PostgreSQL (COPY, spread over 144 units and 1,440
   officers, statuses by age): the two queries the `/cases` page runs (`service.list_cases` and
   `service.due_within`) for `--queries` random officers, p50/p95/p99; also the same page in the unit
   view of a city-level supervisor (`scope=unit`: no officer filter, nine units).
3. The deadline sweep (`service.sweep_deadlines`) over the same rows: the first sweep of a day and the
   sweep of the next day (alerts of the first committed). Each version runs inside a transaction that
   is rolled back, so every version sees the same rows; the counts must agree. "before" is the previous
   implementation (kept here, verbatim in behaviour: it loaded every open case and every alert);
   "after" is the current one.

A scratch database `zhifa_bench_cases` is created on the PostgreSQL server and dropped afterwards.

Usage: python -m benchmarks.bench_cases [--pg-url URL] [--cases 100000] [--list-rows 1000000] [--quick]
(ZHIFA_TEST_PG_URL is used when set and --pg-url is not given; without either, SQLite only.)
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, select, text
from sqlalchemy.engine import make_url

from zhifa.bootstrap import build, create_schema
from zhifa.cases import rules as case_rules
from zhifa.cases import service
from zhifa.cases.orm import Case, DeadlineAlert
from zhifa.config import Settings
from zhifa.db.session import Database, unit_of_work
from zhifa.leads.orm import Lead
from zhifa.shared import audit
from zhifa.shared.access import SYSTEM, Actor, Role, scope
from zhifa.shared.calendar import WorkingCalendar
from zhifa.shared.clock import TZ
from zhifa.shared.orm import AuditEvent

NOW = datetime(2023, 9, 25, 9, 0, tzinfo=TZ)  # a Monday before the National Day holiday (working-day rules bite)
TODAY = NOW.date()
CITIES = range(1, 19)  # 18 prefecture-level units, 8 county units each
UNITS = [f"41{c:02d}{k:02d}" for c in CITIES for k in range(1, 9)]
OFFICERS_PER_UNIT = 10
SCRATCH_DB = "zhifa_bench_cases"


def officer(unit: str, k: int) -> Actor:
    return Actor(username=f"off_{unit}_{k}", role=Role.OFFICER, unit_code=unit, unit_codes=frozenset({unit}))


def city_supervisor(city: int) -> Actor:
    units = frozenset(u for u in UNITS if u.startswith(f"41{city:02d}"))
    return Actor(username=f"sup_41{city:02d}", role=Role.SUPERVISOR, unit_code=f"41{city:02d}00", unit_codes=units)


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def fmt_rate(n: int, secs: float) -> str:
    return f"{n / secs:,.0f}"


# ---------------------------------------------------------------- databases


@contextmanager
def scratch_pg(pg_url: str) -> Iterator[str]:
    """A database of our own on the server; dropped afterwards."""
    import sqlalchemy as sa

    url = make_url(pg_url)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {SCRATCH_DB}"))
    try:
        yield url.set(database=SCRATCH_DB).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)"))
        admin.dispose()


def fresh_db(url: str, data_dir: Path) -> Database:
    container = build(Settings(env="test", data_dir=data_dir, database_url=url))
    create_schema(container)
    return container.db


# ---------------------------------------------------------------- 1. opening cases from leads


def lead_rows(n: int, start: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        end = NOW - timedelta(days=1 + i % 300, minutes=i % 997)
        rows.append(dict(
            lead_id=f"bl{i:010d}", rule="gps_off", plate=f"豫{chr(65 + i % 16)}{i % 100000:05d}", plate_color="yellow",
            start=end - timedelta(hours=2), end=end, unit_code=UNITS[i % len(UNITS)], site_id=None, score=1.0,
            explanation="动态监控关闭超过2小时", evidence={"gaps": 1}, rule_version="bench", dedup_key=f"bench:{i}",
            status="confirmed", review_reason="核实", reviewed_by="analyst", reviewed_at=NOW - timedelta(hours=1),
            case_id=None, created_at=end + timedelta(hours=1),
        ))
    return rows


def baseline_case_rows(n: int) -> list[dict[str, Any]]:
    """The same number of rows as the service writes to `cases`, with the same columns filled."""
    rows = []
    for i in range(n):
        unit = UNITS[i % len(UNITS)]
        rows.append(dict(
            case_id=f"bc{i:010d}", case_code=f"B{i:09d}", unit_code=unit, procedure="ordinary", status="registered",
            catalogue_code="GPS-OFF", catalogue_version="2021.1", procedure_version="2021.12", calendar_version="cn",
            band_code=None, legal_basis="《道路运输车辆动态监督管理办法》", proposed_fine_yuan=2000 + (i % 7) * 500,
            fine_yuan=None, party_name=f"当事人{i}", party_kind="person", plate=f"豫A{i % 100000:05d}",
            facts="关闭卫星定位装置", act_on=TODAY - timedelta(days=1 + i % 300), lead_id=f"bl{i:010d}",
            linked_group=None, officer=f"off_{unit}_{i % OFFICERS_PER_UNIT}", complex_case=False,
            public_interest=False, hearing_requested=False, legal_review_passed=False, e_service_consent=False,
            exemption_code=None, decision_due=TODAY + timedelta(days=90), defence_due=None, payment_due=None,
            paid_fen=0, surcharge_fen=0, overdue=False, registered_at=NOW, created_at=NOW,
        ))
    return rows


def bench_open(db: Database, n: int, batch: int, single: int) -> dict[str, Any]:
    # baseline: bare bulk INSERT of n case rows (1,000 rows per executemany, one transaction per 10,000)
    rows = baseline_case_rows(n)
    t = time.perf_counter()
    for i in range(0, n, 10_000):
        with unit_of_work(db) as s:
            for j in range(i, min(n, i + 10_000), 1000):
                s.execute(Case.__table__.insert(), rows[j : j + 1000])
    t_base = time.perf_counter() - t
    with unit_of_work(db) as s:
        s.execute(delete(Case))
    del rows

    # leads: bulk INSERT (confirmed, not yet linked to a case)
    t = time.perf_counter()
    with unit_of_work(db) as s:
        for i in range(0, n + single, 5000):
            s.execute(Lead.__table__.insert(), lead_rows(min(5000, n + single - i), i))
    t_leads = time.perf_counter() - t

    def open_range(lo: int, hi: int, per_tx: int) -> None:
        for i in range(lo, hi, per_tx):
            ids = [f"bl{j:010d}" for j in range(i, min(hi, i + per_tx))]
            with unit_of_work(db) as s:
                leads = s.execute(select(Lead).where(Lead.lead_id.in_(ids)).order_by(Lead.lead_id)).scalars().all()
                for k, lead in enumerate(leads, start=i):
                    service.open_case_from_lead(
                        s, actor=officer(lead.unit_code, k % OFFICERS_PER_UNIT), lead=lead, catalogue_code="GPS-OFF",
                        proposed_fine_yuan=2000 + (k % 7) * 500, facts="关闭卫星定位装置，经核实属实",
                        party_name=f"当事人{k}", party_kind="person", now=NOW + timedelta(milliseconds=k),
                    )

    t = time.perf_counter()
    open_range(0, n, batch)
    t_open = time.perf_counter() - t
    t = time.perf_counter()
    open_range(n, n + single, 1)
    t_single = time.perf_counter() - t
    with unit_of_work(db) as s:
        made = s.execute(select(func.count()).select_from(Case)).scalar_one()
        linked = s.execute(select(func.count()).select_from(Lead).where(Lead.case_id.is_not(None))).scalar_one()
    assert made == linked == n + single, (made, linked)
    return {"n": n, "single": single, "t_base": t_base, "t_leads": t_leads, "t_open": t_open, "t_single": t_single}


# ---------------------------------------------------------------- 2. 1M cases in PostgreSQL

COLUMNS = [c.name for c in Case.__table__.columns]
YOUNG = [  # registered in the last 90 days
    ("registered", 10), ("investigating", 25), ("notified", 10), ("legal_review", 8), ("decided", 4),
    ("served", 12), ("enforcing", 3), ("not_penalised", 5), ("closed", 23),
]
OLD = [  # older: mostly finished; a few stragglers past their deadlines
    ("closed", 55), ("archived", 34), ("not_penalised", 6.5), ("registered", 0.3), ("investigating", 0.6),
    ("notified", 0.2), ("legal_review", 0.2), ("served", 2.2), ("enforcing", 1.0),
]
REACHED = ["registered", "investigating", "notified", "legal_review", "decided", "served", "enforcing", "closed", "archived"]


def _picker(table: list[tuple[str, float]]) -> Callable[[random.Random], str]:
    names = [n for n, _ in table]
    cum = []
    acc = 0.0
    for _, w in table:
        acc += w
        cum.append(acc)
    return lambda rng: names[bisect.bisect_right(cum, rng.random() * acc)]


def synth_cases(n: int, cal: WorkingCalendar, seed: int = 6) -> Iterator[tuple[Any, ...]]:
    """Cases registered over the last two years, statuses by age, deadlines as the service sets them."""
    rng = random.Random(seed)
    young, old = _picker(YOUNG), _picker(OLD)
    # officers: some handle three times as many cases as others
    weights = [1.0 + 2.0 * (k % 3 == 0) for k in range(OFFICERS_PER_UNIT)]
    cum_w = [sum(weights[: k + 1]) for k in range(OFFICERS_PER_UNIT)]
    days = [TODAY - timedelta(days=a) for a in range(0, 800)]
    defence = {d: cal.add_working_days(d, 5) for d in days}
    payment = {d: cal.add_calendar_days(d, 15, roll_forward=True) for d in days}
    for i in range(n):
        age = rng.randrange(730)
        reg_day = TODAY - timedelta(days=age)
        reg = datetime(reg_day.year, reg_day.month, reg_day.day, 8, tzinfo=TZ) + timedelta(seconds=rng.randrange(36000))
        status = young(rng) if age < 90 else old(rng)
        unit = UNITS[rng.randrange(len(UNITS))]
        k = bisect.bisect_right(cum_w, rng.random() * cum_w[-1])
        fine = rng.choice((2000, 2500, 3000, 4000, 5000))
        row = dict.fromkeys(COLUMNS)
        row.update(
            case_id=f"c{i:011d}", case_code=f"K{i:09d}", unit_code=unit, procedure="ordinary", status=status,
            catalogue_code="GPS-OFF", catalogue_version="2021.1", procedure_version="2021.12",
            calendar_version=cal.version, legal_basis="《道路运输车辆动态监督管理办法》", proposed_fine_yuan=fine,
            party_name=f"当事人{rng.randrange(400_000)}", party_kind="person", plate=f"豫A{rng.randrange(200_000):05d}",
            facts="关闭卫星定位装置", act_on=reg_day - timedelta(days=rng.randrange(1, 30)), lead_id=None,
            officer=f"off_{unit}_{k}", complex_case=False, public_interest=False, hearing_requested=False,
            legal_review_passed=status not in ("registered", "investigating", "notified", "legal_review"),
            e_service_consent=rng.random() < 0.6, decision_due=reg_day + timedelta(days=90), paid_fen=0,
            surcharge_fen=0, overdue=False, registered_at=reg, created_at=reg,
        )
        stage = REACHED.index(status) if status in REACHED else 3
        for j, st in enumerate(REACHED[1 : stage + 1], start=1):
            row[f"{st}_at"] = reg + timedelta(days=min(age, 3 * j))
        if status == "not_penalised":
            row["not_penalised_at"] = reg + timedelta(days=min(age, 10))
            row["fine_yuan"] = 0
        if status in ("decided", "served", "enforcing", "closed", "archived"):
            row["fine_yuan"] = fine
        if status == "notified":
            notified_on = max(reg_day, TODAY - timedelta(days=rng.randrange(12)))
            row["notified_at"] = datetime(notified_on.year, notified_on.month, notified_on.day, 10, tzinfo=TZ)
            row["defence_due"] = defence[notified_on]
        if status in ("served", "enforcing"):
            served_on = (max(reg_day, TODAY - timedelta(days=rng.randrange(40))) if age < 90
                         else reg_day + timedelta(days=rng.randrange(30, 80)))
            row["served_at"] = datetime(served_on.year, served_on.month, served_on.day, 10, tzinfo=TZ)
            row["payment_due"] = payment[served_on]
        if status in ("closed", "archived"):
            row["paid_fen"] = fine * 100
        # earlier sweeps have flagged what was already overdue before yesterday
        yesterday = TODAY - timedelta(days=1)
        row["overdue"] = bool(
            (status in service.OPEN_FOR_DECISION and row["decision_due"] < yesterday)
            or (row["payment_due"] is not None and status in service.OPEN_FOR_PAYMENT and row["payment_due"] < yesterday)
            or (status == "notified" and row["defence_due"] < yesterday)
        )
        yield tuple(row[c] for c in COLUMNS)


def copy_cases(db: Database, n: int) -> float:
    t = time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        pg = raw.driver_connection
        with pg.cursor() as cur:
            cur.execute("TRUNCATE cases, case_deadline_alerts")
            with cur.copy(f"COPY cases ({', '.join(COLUMNS)}) FROM STDIN") as cp:
                for row in synth_cases(n, service.CALENDAR):
                    cp.write_row(row)
        pg.commit()
    finally:
        raw.close()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE cases"))
    return time.perf_counter() - t


def due_within_before(session: Any, *, actor: Actor, today: date, officer: str | None = None) -> list[tuple[Case, str, date]]:
    """"before": `service.due_within` as it was (commit 7ea779e): the first 2000 open cases, whole rows,
    filtered in Python (a due case behind 2000 open ones was not shown)."""
    stmt = scope(select(Case).where(Case.status.in_(service.OPEN_FOR_DECISION + service.OPEN_FOR_PAYMENT)), actor, Case.unit_code)
    if officer:
        stmt = stmt.where(Case.officer == officer)
    out = []
    for c in session.execute(stmt.limit(2000)).scalars():
        for name, due in service.case_deadlines(c):
            if due <= today:
                out.append((c, name, due))
    return sorted(out, key=lambda t: t[2])


NEW_INDEXES = ("ix_cases_officer_unit_created", "ix_cases_created")  # added after the first measurement


def set_new_indexes(db: Database, present: bool) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for ix in Case.__table__.indexes:
            if ix.name in NEW_INDEXES:
                if present:
                    ix.create(c, checkfirst=True)
                else:
                    c.execute(text(f"DROP INDEX IF EXISTS {ix.name}"))
        c.execute(text("ANALYZE cases"))


def time_page(db: Database, actors: list[tuple[Actor, str | None]], due_fn: Callable[..., Any] = service.due_within) -> dict[str, list[float]]:
    """The two queries of GET /cases (page 1, 30 rows), each in its own session as in a request."""
    out: dict[str, list[float]] = {"list": [], "due": [], "page": [], "found": []}
    for actor, mine in actors:
        with db.sessions() as s:
            t0 = time.perf_counter()
            service.list_cases(s, actor=actor, officer=mine, limit=30, offset=0)
            t1 = time.perf_counter()
            due = due_fn(s, actor=actor, today=TODAY, officer=mine)
            t2 = time.perf_counter()
        out["list"].append((t1 - t0) * 1000)
        out["due"].append((t2 - t1) * 1000)
        out["page"].append((t2 - t0) * 1000)
        out["found"].append(len(due))
    return out


# ---------------------------------------------------------------- 3. the deadline sweep


def sweep_load_all(session: Any, now: datetime, *, calendar: WorkingCalendar = service.CALENDAR,
                   actor: Actor | None = None) -> service.SweepReport:
    """"before": `sweep_deadlines` as it was before this benchmark (commit 7ea779e): every open case and
    every alert ever raised loaded into Python, the working days counted for each deadline."""
    who = actor or SYSTEM
    today = now.astimezone(TZ).date()
    stmt = select(Case).where(Case.status.in_(service.OPEN_FOR_DECISION + service.OPEN_FOR_PAYMENT))
    existing = {tuple(r) for r in session.execute(
        select(DeadlineAlert.case_id, DeadlineAlert.deadline, DeadlineAlert.kind, DeadlineAlert.due))}
    checked = reminders = overdue = 0
    prules_cache: dict[date, Any] = {}
    for case in session.execute(stmt).scalars():
        checked += 1
        reg = case.registered_at.astimezone(TZ).date() if case.registered_at else today
        prules = prules_cache.get(reg) or prules_cache.setdefault(reg, service.procedure_on(session, reg))
        for name, due in service.case_deadlines(case):
            state = case_rules.deadline_state(due, today, calendar, prules.reminder_working_days.get(name, 1))
            if state == "ok":
                continue
            key = (case.case_id, name, state, due)
            if key in existing:
                continue
            existing.add(key)
            session.add(DeadlineAlert(alert_id=service.new_id()[:24], case_id=case.case_id, unit_code=case.unit_code,
                                      deadline=name, kind=state, due=due, raised_at=now))
            if state == "overdue":
                overdue += 1
                if not case.overdue:
                    case.overdue = True
                    audit.record(session, actor=who, action="cases.overdue", object_type="case", object_id=case.case_id,
                                 after={"deadline": name, "due": due}, unit_code=case.unit_code, now=now)
            else:
                reminders += 1
    audit.record(session, actor=who, action="cases.sweep", object_type="case_sweep", object_id=today.isoformat(),
                 after={"checked": checked, "reminders": reminders, "overdue": overdue}, now=now)
    session.flush()
    return service.SweepReport(checked, reminders, overdue)


@dataclass
class SweepRun:
    label: str
    secs: float
    report: service.SweepReport
    loaded: int
    peak: int  # most objects held by the session at a Case load
    raised: frozenset[tuple[Any, ...]]  # (case, deadline, kind, due) of the alerts this run raised
    flagged: frozenset[str]  # cases this run flagged overdue


def run_sweep(db: Database, fn: Callable[..., service.SweepReport], now: datetime, label: str, *, commit: bool = False) -> SweepRun:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:  # every run starts from the same
        c.execute(text("VACUUM ANALYZE case_deadline_alerts"))  # physical state: no dead rows from the run before
        c.execute(text("VACUUM ANALYZE cases"))
    loaded = peak = 0
    s = db.sessions()

    def on_load(target: Any, ctx: Any) -> None:
        nonlocal loaded, peak
        loaded += 1
        peak = max(peak, len(s.identity_map))

    event.listen(Case, "load", on_load)
    try:
        try:
            t = time.perf_counter()
            rep = fn(s, now)
            if commit:
                s.commit()
            secs = time.perf_counter() - t
            raised = frozenset(tuple(r) for r in s.execute(
                select(DeadlineAlert.case_id, DeadlineAlert.deadline, DeadlineAlert.kind, DeadlineAlert.due)
                .where(DeadlineAlert.raised_at == now)))
            flagged = frozenset(s.execute(select(AuditEvent.object_id).where(
                AuditEvent.action == "cases.overdue", AuditEvent.ts == now)).scalars())
        finally:
            s.rollback()
            s.close()
    finally:
        event.remove(Case, "load", on_load)
    return SweepRun(label, secs, rep, loaded, peak, raised, flagged)


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg-url", default=os.environ.get("ZHIFA_TEST_PG_URL", ""))
    ap.add_argument("--cases", type=int, default=100_000, help="cases opened through the service")
    ap.add_argument("--list-rows", type=int, default=1_000_000, help="cases bulk-loaded for the list and the sweep")
    ap.add_argument("--queries", type=int, default=200, help="officers whose list is timed")
    ap.add_argument("--batch", type=int, default=100, help="cases per transaction when opening")
    ap.add_argument("--quick", action="store_true", help="10x smaller sizes")
    a = ap.parse_args()
    if a.quick:
        a.cases //= 10
        a.list_rows //= 10
    single = max(100, a.cases // 50)
    started = time.perf_counter()
    load0 = os.getloadavg()[0]
    lines = ["Command: `python -m benchmarks.bench_cases" + (" --quick" if a.quick else "")
             + f" --cases {a.cases} --list-rows {a.list_rows}`" + (" (PostgreSQL from ZHIFA_TEST_PG_URL)" if a.pg_url else "")
             + f"; clock fixed at {NOW:%Y-%m-%d %H:%M} Asia/Shanghai.", ""]

    # 1. opening
    results: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh_db(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp))
        results.append(("SQLite (file, WAL)", bench_open(db, a.cases, a.batch, single)))
        db.engine.dispose()
    pg_ctx = scratch_pg(a.pg_url) if a.pg_url else None
    list_lines: list[str] = []
    sweep_lines: list[str] = []
    if pg_ctx is not None:
        with pg_ctx as url, tempfile.TemporaryDirectory() as tmp:
            db = fresh_db(url, Path(tmp))
            with db.engine.connect() as c:
                ver = c.execute(text("SHOW server_version")).scalar_one()
                fsync = c.execute(text("SHOW fsync")).scalar_one()
                sync = c.execute(text("SHOW synchronous_commit")).scalar_one()
            results.append((f"PostgreSQL {ver} (fsync={fsync}, synchronous_commit={sync})", bench_open(db, a.cases, a.batch, single)))
            list_lines, sweep_lines = bench_list_and_sweep(db, a.list_rows, a.queries)
            db.engine.dispose()

    lines += [
        f"### 1. Opening {a.cases:,} cases from confirmed leads",
        "",
        f"Leads bulk-inserted, then `open_case_from_lead` for each ({a.batch} cases per transaction; a further "
        f"{single:,} one per transaction, as the web form does). Baseline: bare bulk INSERT of {a.cases:,} `cases` rows.",
        "",
        "| database | leads bulk insert rows/s | service, cases/s (batches) | service, cases/s (1 per tx) | bare INSERT rows/s | INSERT ÷ service |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results:
        svc = r["n"] / r["t_open"]
        base = r["n"] / r["t_base"]
        lines.append(f"| {name} | {fmt_rate(r['n'] + r['single'], r['t_leads'])} | {svc:,.0f} ({r['t_open']:.1f} s) | "
                     f"{fmt_rate(r['single'], r['t_single'])} | {base:,.0f} ({r['t_base']:.1f} s) | {base / svc:.0f}× |")
    lines.append("")
    if list_lines:
        lines += list_lines + sweep_lines
    else:
        lines += ["_Case list and deadline sweep not measured: no PostgreSQL URL (--pg-url or ZHIFA_TEST_PG_URL)._", ""]
    lines.append(f"Whole run: {time.perf_counter() - started:.0f} s. Load average (1 min) at the start {load0:.1f}, at the end "
                 f"{os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores (other work on the machine slows every figure alike).")
    print("\n".join(lines))
    return 0


def bench_list_and_sweep(db: Database, n: int, queries: int) -> tuple[list[str], list[str]]:
    t_copy = copy_cases(db, n)
    with db.sessions() as s:
        by_status = {st: int(k) for st, k in s.execute(select(Case.status, func.count()).group_by(Case.status))}
        open_n = sum(v for k, v in by_status.items() if k in service.OPEN_FOR_DECISION + service.OPEN_FOR_PAYMENT)
    rng = random.Random(11)
    officers = [(officer(u, k), f"off_{u}_{k}") for u in UNITS for k in range(OFFICERS_PER_UNIT)]
    sample = [officers[rng.randrange(len(officers))] for _ in range(queries)]
    sups: list[tuple[Actor, str | None]] = [(city_supervisor(rng.choice(CITIES)), None) for _ in range(queries)]
    # before: without the two list indexes, the previous due_within; after: as the code is now
    set_new_indexes(db, present=False)
    time_page(db, sample[:10], due_within_before)  # warm the cache and the connection pool
    off0 = time_page(db, sample, due_within_before)
    sup0 = time_page(db, sups, due_within_before)
    set_new_indexes(db, present=True)
    time_page(db, sample[:10])
    off = time_page(db, sample)
    sup = time_page(db, sups)

    per_officer = n / len(officers)
    out = [
        f"### 2. The officer's case list over {n:,} cases (PostgreSQL)",
        "",
        f"{n:,} cases COPY-loaded in {t_copy:.1f} s (with the table's indexes, then VACUUM ANALYZE): {len(UNITS)} units, "
        f"{len(officers):,} officers (~{per_officer:,.0f} cases each on average, some three times busier), registered over two "
        f"years; {open_n:,} open ({', '.join(f'{k} {v:,}' for k, v in sorted(by_status.items(), key=lambda kv: -kv[1]))}).",
        f"GET /cases runs `service.list_cases` (page 1 of 30 with the total) and `service.due_within`; each timed for "
        f"{queries} random officers ('mine') and {queries} random city-level supervisors (unit view, eight county units). Target p95 ≤ 200 ms.",
        f"'before': without the indexes {' and '.join(NEW_INDEXES)} and with the previous `due_within` (first 2000 open "
        "cases, whole rows, filtered in Python); 'after': the code as it is now. 'due rows' is the mean number of "
        "deadlines the page lists.",
        "",
        "| view | query | version | p50 ms | p95 ms | p99 ms | max ms | due rows |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for view, runs_ in (("officer (mine)", (("before", off0), ("after", off))), ("city supervisor (unit)", (("before", sup0), ("after", sup)))):
        for q, label in (("list", "list_cases"), ("due", "due_within"), ("page", "both (the page's queries)")):
            for version, res in runs_:
                xs = res[q]
                found = f"{statistics.mean(res['found']):,.0f}" if q != "list" else ""
                out.append(f"| {view} | {label} | {version} | {pct(xs, 50):.1f} | {pct(xs, 95):.1f} | {pct(xs, 99):.1f} | "
                           f"{max(xs):.1f} | {found} |")
    out.append("")

    # 3. sweeps: the same state for every version (rolled back), then the next day after a committed sweep
    day1, day2 = NOW.replace(hour=2), NOW.replace(hour=2) + timedelta(days=1)
    runs = [
        run_sweep(db, sweep_load_all, day1, "first sweep of the day — before (load all)"),
        run_sweep(db, service.sweep_deadlines, day1, "first sweep of the day — after"),
    ]
    committed = run_sweep(db, service.sweep_deadlines, day1, "(committed)", commit=True)
    runs += [
        run_sweep(db, sweep_load_all, day2, "next day — before (load all)"),
        run_sweep(db, service.sweep_deadlines, day2, "next day — after"),
    ]
    for x, y in ((runs[0], runs[1]), (runs[0], committed), (runs[2], runs[3])):  # same counts, same alerts, same flags
        assert (x.report, x.raised, x.flagged) == (y.report, y.raised, y.flagged), (x.label, x.report, y.label, y.report)
    with db.sessions() as s:
        alerts_n = s.execute(select(func.count()).select_from(DeadlineAlert)).scalar_one()
    sweep = [
        f"### 3. Deadline sweep over {n:,} cases ({open_n:,} open)",
        "",
        "Each run in one transaction, rolled back (then VACUUM ANALYZE, untimed), so both versions see the same rows; "
        "their counts, the alerts raised and "
        "the cases flagged overdue are identical (checked). Between the "
        f"two days one sweep was committed ({alerts_n:,} alerts). 'cases loaded' counts Case rows materialised in Python, "
        "'peak held' the most objects (cases, alerts, audit rows) in the session at any load.",
        "",
        "| sweep | seconds | checked | reminders | overdue | cases loaded | peak held |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        sweep.append(f"| {r.label} | {r.secs:.2f} | {r.report.checked:,} | {r.report.reminders:,} | {r.report.overdue:,} | {r.loaded:,} | {r.peak:,} |")
    sweep.append("")
    return out, sweep


if __name__ == "__main__":
    sys.exit(main())
