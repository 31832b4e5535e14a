"""Every figure of the yearly report against an independent recount in plain Python over the rows inserted.

The recount below does not call `zhifa.reports.figures`: it re-states each figure's definition as a
filter over the inserted dicts (the synthetic year from `zhifa.reports.synth`), in Python.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from importlib import resources

import pytest

from tests.support import seed_units
from zhifa.db.session import unit_of_work
from zhifa.reports import figures as F
from zhifa.reports import report as R
from zhifa.reports import synth
from zhifa.reports.figures import NO_DATA, Period, Scope, UnitInfo
from zhifa.shared.clock import TZ

UNITS = json.loads(resources.files("zhifa.org").joinpath("data/units.json").read_text("utf-8"))["units"]
PARENT = {u["unit_code"]: u["parent_code"] for u in UNITS}
LEVEL = {u["unit_code"]: u["level"] for u in UNITS}
NAME = {u["unit_code"]: u["name"] for u in UNITS}
CITY_CODE = {u["unit_code"]: u["city_code"] for u in UNITS}


def below(code: str) -> set[str]:
    """The unit and all units under it, walking the parent links upwards from every unit."""
    out = set()
    for u in PARENT:
        x: str | None = u
        while x is not None:
            if x == code:
                out.add(u)
                break
            x = PARENT.get(x)
    return out


def ranking_unit(code: str) -> str | None:
    if code == "410000":
        return None
    if LEVEL[code] == "city" or PARENT[code] == "410000":
        return code
    return CITY_CODE[code]


def in_period(v, start: date, end: date, cumulative: bool = False) -> bool:
    if v is None:
        return False
    d = v.astimezone(TZ).date() if isinstance(v, datetime) else v
    return d < end if cumulative else start <= d < end


RH_V = {"RH-VEHICLE-LIC", "RH-DRIVER-LIC"}
RH_P = {"RH-PLATFORM-LIC", "RH-PLATFORM-DISPATCH"}
HANDLED = {"resolved", "closed", "rejected"}

# id: (table, date key, unit key, base(row), measure(rows) -> number, denominator(rows) or None, cumulative)
count = len


def cnt(pred):
    return lambda rows: sum(1 for r in rows if pred(r))


def total(key, pred=lambda r: True):
    return lambda rows: sum(r[key] or 0 for r in rows if pred(r))


def uniq(key, pred):
    return lambda rows: len({r[key] for r in rows if pred(r)})


ALL = lambda r: True  # noqa: E731
RECOUNT = {
    "inspection_findings": ("inspection_findings", "found_on", "unit_code", ALL, count, None, False),
    "inspection_rectification_rate": ("inspection_findings", "found_on", "unit_code", ALL, cnt(lambda r: r["rectified"]), count, False),
    "inspection_rounds_secret": ("inspection_rounds", "start", "unit_code", ALL, cnt(lambda r: r["kind"] == "secret"), None, False),
    "accountability_total": ("accountability", "decided_on", "unit_code", ALL, count, None, False),
    "accountability_organisational": ("accountability", "decided_on", "unit_code", ALL, cnt(lambda r: r["kind"] == "organisational"), None, False),
    "accountability_judicial": ("accountability", "decided_on", "unit_code", ALL, cnt(lambda r: r["kind"] == "judicial"), None, False),
    "satisfaction_rated": ("work_orders", "closed_at", "unit_code", ALL, cnt(lambda r: r["satisfaction"] is not None), None, False),
    "satisfaction_rate": ("work_orders", "closed_at", "unit_code", ALL, cnt(lambda r: r["satisfaction"] == "satisfied"),
                          cnt(lambda r: r["satisfaction"] is not None), False),
    "watch_entries": ("watchlist", "created_at", "issued_by_unit", ALL, count, None, False),
    "intercepted": ("intercept_tasks", "answered_at", "unit_code", lambda r: r["status"] == "answered",
                    cnt(lambda r: r["outcome"] == "intercepted"), None, False),
    "intercept_answered_late": ("intercept_tasks", "answered_at", "unit_code", lambda r: r["status"] == "answered",
                                cnt(lambda r: r["answered_late"]), None, False),
    "forwarded_third_closed": ("forwarded_leads", "received_at", "unit_code", lambda r: r["category"] == "third_class",
                               cnt(lambda r: r["status"] == "closed"), None, False),
    "forwarded_third_rate": ("forwarded_leads", "received_at", "unit_code", lambda r: r["category"] == "third_class",
                             cnt(lambda r: r["status"] == "closed"), count, False),
    "joint_operation_vehicles": ("joint_operations", "start", "unit_code", ALL, total("vehicles_handled"), None, False),
    "ride_hailing_vehicles": ("cases", "registered_at", "unit_code", lambda r: r["catalogue_code"] in RH_V | RH_P,
                              uniq("plate", lambda r: r["catalogue_code"] in RH_V), None, False),
    "ride_hailing_platforms": ("cases", "registered_at", "unit_code", lambda r: r["catalogue_code"] in RH_V | RH_P,
                               uniq("party_name", lambda r: r["catalogue_code"] in RH_P), None, False),
    "overload_trucks": ("overload_determinations", "measured_at", "unit_code", ALL, cnt(lambda r: r["status"] == "violation"), None, False),
    "overload_100t": ("overload_determinations", "measured_at", "unit_code", ALL,
                      cnt(lambda r: r["status"] == "violation" and r["is_100t"]), None, False),
    "entry_overload_rate": ("overload_entry_stats", "day", "unit_code", ALL, total("over_limit"), total("weighed"), False),
    "offsite_cases": ("overload_determinations", "measured_at", "unit_code", lambda r: r["status"] == "violation",
                      cnt(lambda r: r["source"] == "wim"), None, False),
    "key_sources_published": ("enterprises", "published_on", "unit_code", lambda r: r["kind"] == "loading_source",
                              cnt(lambda r: r["key_source"]), None, False),
    "tracebacks": ("overload_traceback_tasks", "created_at", "unit_code", ALL, count, None, False),
    "traceback_rectification": ("overload_traceback_tasks", "created_at", "unit_code", ALL,
                                cnt(lambda r: r["outcome"] == "rectification_order"), None, False),
    "traceback_penalties": ("overload_traceback_tasks", "created_at", "unit_code", ALL, cnt(lambda r: r["outcome"] == "penalty"), None, False),
    "traceback_fines": ("overload_traceback_tasks", "created_at", "unit_code", ALL, total("fine_yuan", lambda r: r["outcome"] == "penalty"), None, False),
    "oversize_cases": ("cases", "registered_at", "unit_code", ALL, cnt(lambda r: r["catalogue_code"].startswith("OVS-")), None, False),
    "credit_records": ("credit_listings", "entered_on", "unit_code", ALL, count, None, False),
    "credit_vehicles": ("credit_listings", "entered_on", "unit_code", ALL, uniq("subject_id", lambda r: r["subject_kind"] == "truck"), None, False),
    "credit_drivers": ("credit_listings", "entered_on", "unit_code", ALL, uniq("subject_id", lambda r: r["subject_kind"] == "driver"), None, False),
    "credit_enterprises": ("credit_listings", "entered_on", "unit_code", ALL,
                           uniq("subject_id", lambda r: r["subject_kind"] == "enterprise"), None, False),
    "wim_sites_built": ("sites", "built_on", "unit_code", lambda r: r["kind"] == "wim", count, None, False),
    "wim_sites_total": ("sites", "built_on", "unit_code", lambda r: r["kind"] == "wim", count, None, True),
    "video_points": ("sites", "built_on", "unit_code", lambda r: r["kind"] == "video", count, None, True),
    "complaints_and_opinion": ("complaints", "created_at", "unit_code", ALL,
                               cnt(lambda r: r["category"] == "enforcement_conduct" or r["opinion_incident"]), None, False),
    "opinion_incidents": ("complaints", "created_at", "unit_code", ALL, cnt(lambda r: r["opinion_incident"]), None, False),
    "complaint_rewards": ("complaints", "created_at", "unit_code", ALL, total("reward_yuan"), None, False),
    "exemptions_no_penalty": ("case_exemptions", "applied_at", "unit_code", ALL, cnt(lambda r: r["effect"] == "no_penalty"), None, False),
    "exemptions_reduced": ("case_exemptions", "applied_at", "unit_code", ALL, cnt(lambda r: r["effect"] == "reduced"), None, False),
    "barriers_removed": ("barriers", "removed_on", "unit_code", ALL, count, None, False),
    "barriers_kept": ("barriers", "registered_on", "unit_code", ALL,
                      cnt(lambda r: r["status"] == "approved" and r["approval_no"] and r["signboard"]), None, True),
    "barrier_reports": ("complaints", "created_at", "unit_code", lambda r: r["category"] == "barrier", count, None, False),
    "barrier_reports_handled": ("complaints", "created_at", "unit_code", lambda r: r["category"] == "barrier",
                                cnt(lambda r: r["status"] in HANDLED), None, False),
    "barrier_reports_rate": ("complaints", "created_at", "unit_code", lambda r: r["category"] == "barrier",
                             cnt(lambda r: r["status"] in HANDLED), count, False),
}
RECOUNT.update({
    "ads_cleared": ("road_ads", "cleared_on", "unit_code", ALL, cnt(lambda r: r["status"] == "cleared"), None, False),
    "training_sessions": ("training_sessions", "starts_on", "unit_code", ALL, count, None, False),
    "training_trainees": ("training_attendance", "completed_on", "unit_code", ALL, count, None, False),
    "survey_responses": ("training_survey_responses", "submitted_at", "unit_code", ALL, count, None, False),
})
RECOUNT["held_vehicles_overdue"] = ("held_vehicles", "held_at", "unit_code", ALL, cnt(lambda r: r["overdue"]), None,
                                    False)
MISSING: set[str] = set()  # every figure's capability now declares its table


def recount(rows, fid: str, codes: set[str] | None, start: date, end: date):
    table, dkey, ukey, base, meas, den, cum = RECOUNT[fid]
    sel = [r for r in rows.get(table, []) if in_period(r[dkey], start, end, cum) and base(r)
           and (codes is None or r[ukey] in codes)]
    if not sel:
        return NO_DATA
    if den is not None:
        d = den(sel)
        return NO_DATA if not d else round(100.0 * meas(sel) / d, 1)
    return meas(sel)


def recount_by_city(rows, fid: str, start: date, end: date) -> dict[str, float]:
    table, _, ukey, *_ = RECOUNT[fid]
    cities = {ranking_unit(r[ukey]) for r in rows.get(table, [])} - {None}
    out = {}
    for c in cities:
        v = recount(rows, fid, {u for u in below(c) if ranking_unit(u) == c} | {c}, start, end)
        if v is not NO_DATA and v > 0:
            out[c] = v
    return out


def create_late_tables(container) -> None:
    """Slices the registry does not list yet (training) get their tables here, as a migration would."""
    from zhifa.db.base import Base

    F.ensure_models()
    Base.metadata.create_all(container.db.engine)


@pytest.fixture
def year(container):
    create_late_tables(container)
    seed_units(container)
    with unit_of_work(container.db) as s:
        rows = synth.populate(s, year=2022, scale=2, seed=11)
    return rows


def test_every_available_figure_is_recounted_and_missing_capabilities_are_the_only_unknowns():
    F.ensure_models()
    assert set(F.FIGURES) == set(RECOUNT) | MISSING
    assert {f.id for f in F.FIGURES.values() if not F.available(f)} == MISSING


@pytest.mark.parametrize("unit", ["410000", "410100", "410300", "410181"])
@pytest.mark.parametrize("period", ["2022", "2021", "2022Q2", "2022-11"])
def test_every_figure_equals_an_independent_recount(container, year, unit, period):
    p = Period.parse(period)
    codes = None if unit == "410000" else below(unit)
    with unit_of_work(container.db) as s:
        units = UnitInfo.load(s)
        scope = Scope.of(unit, units)
        for fid in RECOUNT:
            got = F.value(s, F.FIGURES[fid], scope, p)
            want = recount(year, fid, codes, p.start, p.end)
            assert got == want, (fid, unit, period, got, want)
        for fid in MISSING:
            assert F.value(s, F.FIGURES[fid], scope, p) is NO_DATA


@pytest.mark.parametrize("fid", ["intercepted", "overload_100t", "offsite_cases", "credit_records", "forwarded_third_rate"])
def test_city_rankings_equal_a_recount(container, year, fid):
    p = Period("year", 2022)
    want = recount_by_city(year, fid, p.start, p.end)
    with unit_of_work(container.db) as s:
        got = F.ranking(s, F.FIGURES[fid], p, UnitInfo.load(s))
    assert {r.unit_code: r.value for r in got} == want
    assert [r.value for r in got] == sorted(want.values(), reverse=True)


def test_report_sentences_carry_the_recounted_figures_and_yoy(container, year):
    p = Period("year", 2022)
    with unit_of_work(container.db) as s:
        data = R.build(s, unit_code="410000", period=p, units=UnitInfo.load(s))
    text = {sec["key"]: sec["text"] for sec in data["sections"]}
    assert [sec["key"] for sec in data["sections"]] == list("一二三四五六七八")
    w = recount(year, "watch_entries", None, p.start, p.end)
    n = recount(year, "intercepted", None, p.start, p.end)
    top = sorted(recount_by_city(year, "intercepted", p.start, p.end).items(), key=lambda cv: (-cv[1], cv[0]))[:3]
    assert f"累计布控车辆{w}台次，查获{n}台次，其中{'、'.join(NAME[c] for c, _ in top)}查处数量最多，均在{min(v for _, v in top)}台以上" in text["二"]
    t, h = (recount(year, k, None, p.start, p.end) for k in ("overload_trucks", "overload_100t"))
    assert f"累计查获违法超限超载货车{t}台次，其中“百吨王”{h}台次" in text["三"]
    cur = recount(year, "complaints_and_opinion", None, p.start, p.end)
    prev = recount(year, "complaints_and_opinion", None, date(2021, 1, 1), date(2022, 1, 1))
    change = round(100.0 * (cur - prev) / prev, 1)
    word = "下降" if change < 0 else "上升"
    assert f"与2021年同期相比{word}{R.fmt(abs(change))}%" in text["六"]
    row = next(f for f in data["figures"] if f["id"] == "complaints_and_opinion")
    assert (row["value"], row["previous"], row["yoy"]) == (cur, prev, change)
    s_, t_ = (recount(year, k, None, p.start, p.end) for k in ("training_sessions", "training_trainees"))
    assert f"组织开展了{s_}期执法业务培训，累计培训业务骨干{t_}人次" in text["七"]
    held = recount(year, "held_vehicles_overdue", None, p.start, p.end)
    assert f"对{held}台滞留车辆" in text["八"]
    assert set(data["no_data"]) >= MISSING


def test_city_report_ranks_counties_inside_the_city_and_itself_in_the_province(container, year):
    p = Period("year", 2022)
    with unit_of_work(container.db) as s:
        data = R.build(s, unit_code="410300", period=p, units=UnitInfo.load(s))
    mine = below("410300")
    names_outside = {NAME[c] for c in NAME if c not in mine and c != "410000" and LEVEL[c] == "county"}
    for sec in data["sections"]:
        for sent in sec["sentences"]:
            for g in sent:
                if g["figure"] and not g["no_data"]:
                    for part in g["text"].split("、"):
                        assert part not in names_outside, (sec["key"], part)
    for c in data["charts"]:
        assert all(n in {NAME[u] for u in mine} for n in c["names"]), c


def test_drilldown_rows_are_the_figure_rows_in_scope(container, year):
    p = Period("year", 2022)
    with unit_of_work(container.db) as s:
        units = UnitInfo.load(s)
        scope = Scope.of("410100", units)
        f = F.FIGURES["overload_100t"]
        page1 = F.drilldown(s, f, scope, p, page=1, per_page=3)
        assert page1 is not None and page1.total == F.value(s, f, scope, p)
        seen = []
        for i in range(1, page1.pages + 1):
            pg = F.drilldown(s, f, scope, p, page=i, per_page=3)
            seen += [r["det_id"] for r in pg.rows]
            assert all(r["unit_code"] in scope.codes and r["is_100t"] and r["status"] == "violation" for r in pg.rows)
        assert len(seen) == len(set(seen)) == page1.total
        empty = F.drilldown(s, f, scope, Period("year", 2015))  # no rows at all that year
        assert empty is not None and empty.total == 0 and F.value(s, f, scope, Period("year", 2015)) is F.NO_DATA


def test_no_data_is_not_zero(container):
    """Units only: every figure is NO_DATA. One non-100 t violation: trucks 1, 百吨王 0 (not NO_DATA)."""
    seed_units(container)
    p = Period("year", 2022)
    with unit_of_work(container.db) as s:
        units = UnitInfo.load(s)
        for f in F.FIGURES.values():
            assert F.value(s, f, None, p) is NO_DATA, f.id
        data = R.build(s, unit_code="410000", period=p, units=units)
        assert "累计布控车辆无数据台次，查获无数据台次" in data["sections"][1]["text"]
        assert all(row["value"] is None for row in data["figures"])
    with unit_of_work(container.db) as s:
        rows = synth.populate(s, year=2022, scale=1, seed=3)
    with unit_of_work(container.db) as s:
        light = [r for r in rows["overload_determinations"] if r["status"] == "violation" and not r["is_100t"]
                 and r["unit_code"] != "410000" and r["measured_at"].year == 2022]
        from sqlalchemy import delete, update

        from zhifa.overload.orm import OverloadDetermination as OD

        keep = light[0]
        s.execute(delete(OD).where(OD.det_id != keep["det_id"]))
        assert s.execute(update(OD).values(status="violation")).rowcount == 1
    with unit_of_work(container.db) as s:
        scope = Scope.of(ranking_unit(keep["unit_code"]), UnitInfo.load(s))
        assert F.value(s, F.FIGURES["overload_trucks"], scope, p) == 1
        assert F.value(s, F.FIGURES["overload_100t"], scope, p) == 0
        assert F.value(s, F.FIGURES["overload_100t"], scope, Period("year", 2020)) is NO_DATA
        assert F.yoy(1, NO_DATA) is NO_DATA and F.yoy(3, 0) is NO_DATA and F.yoy(3, 4) == -25.0


def test_report_pdf_is_a_chinese_pdf(container, year, tmp_path):
    with unit_of_work(container.db) as s:
        data = R.build(s, unit_code="410000", period=Period("year", 2022), units=UnitInfo.load(s))
    pdf = R.render_pdf(data)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    html = R.render_html(data)
    assert "布控车辆" in html and "data:image/svg+xml;base64," in html


def test_figures_and_dashboard_on_postgresql_equal_the_recount(pg_container):
    create_late_tables(pg_container)
    seed_units(pg_container)
    with unit_of_work(pg_container.db) as s:
        rows = synth.populate(s, year=2022, scale=1, seed=5)
    p = Period("year", 2022)
    with unit_of_work(pg_container.db) as s:
        units = UnitInfo.load(s)
        for unit in ("410000", "410100"):
            scope = Scope.of(unit, units)
            codes = None if unit == "410000" else below(unit)
            for fid in RECOUNT:
                assert F.value(s, F.FIGURES[fid], scope, p) == recount(rows, fid, codes, p.start, p.end), (fid, unit)
        from zhifa.shared.access import SYSTEM
        from zhifa.web import dashboard
        from zhifa.web.auth import UnitTree

        tree = UnitTree(parents=dict(units.parents), names=dict(units.names), city_of=dict(units.city_of),
                        levels=dict(units.levels))
        now = datetime(2022, 12, 31, 20, 0, tzinfo=TZ)
        live = dashboard.live(s, actor=SYSTEM, tree=tree, now=now, period="30d")
        want = sum(1 for r in rows["leads"] if date(2022, 12, 2) <= r["created_at"].astimezone(TZ).date() <= date(2022, 12, 31))
        assert sum(d["leads"] for d in live["trend"]) == want


def test_a_table_declared_but_missing_from_the_database_is_no_data(container):
    """A slice's tables may be declared before its migration runs: the figure says 无数据, it does not fail."""
    import sqlalchemy as sa

    F.ensure_models()
    with container.db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS training_attendance"))
    seed_units(container)
    with unit_of_work(container.db) as s:
        rows = synth.populate(s, year=2022, scale=1, seed=9)
        assert "training_attendance" not in rows
        f = F.FIGURES["training_trainees"]
        assert F.available(f) and F.table_of(f, s) is None
        assert F.value(s, f, None, Period("year", 2022)) is NO_DATA
        assert F.drilldown(s, f, None, Period("year", 2022)) is None
        assert F.value(s, F.FIGURES["overload_trucks"], None, Period("year", 2022)) != NO_DATA
