"""Read models for the command-centre dashboard (R2): counts by city, sites as GeoJSON, outlines.

Every query of sites and leads goes through `zhifa.shared.access.scope`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhifa.leads.model import rule_label
from zhifa.leads.orm import Lead
from zhifa.org.orm import Site
from zhifa.shared.access import PROVINCE_CODE, Actor, scope
from zhifa.web.auth import UnitTree

OUTLINES_PATH = Path(__file__).resolve().parents[1] / "org" / "data" / "henan_outlines.geojson"

# Known site kinds in legend order; anything else is drawn as "other".
SITE_KINDS = ("gantry", "toll_station", "wim", "check_station", "video", "loading_source")
SITE_COLORS = {
    "gantry": "#2e7dd7",
    "toll_station": "#f08c00",
    "wim": "#d6336c",
    "check_station": "#7048e8",
    "video": "#0ca678",
    "loading_source": "#795548",
    "other": "#868e96",
}


def kind_key(kind: str | None) -> str:
    return kind if kind in SITE_COLORS else "other"


def city_of(unit_code: str | None, tree: UnitTree) -> str:
    """The city-level unit a unit belongs to geographically; the province counts as itself."""
    if not unit_code:
        return PROVINCE_CODE
    if unit_code == PROVINCE_CODE or tree.levels.get(unit_code) in ("province", "city"):
        return unit_code
    return tree.city_of.get(unit_code) or tree.parents.get(unit_code) or unit_code


@dataclass
class CityRow:
    unit_code: str
    name: str
    sites: dict[str, int] = field(default_factory=dict)
    leads: int = 0
    open_leads: int = 0

    @property
    def site_total(self) -> int:
        return sum(self.sites.values())


@dataclass
class Summary:
    cities: list[CityRow]
    kinds: list[str]
    site_total: int
    lead_total: int
    open_lead_total: int
    leads_by_rule: list[tuple[str, int]]

    @property
    def kind_totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.cities:
            for k, n in c.sites.items():
                out[k] = out.get(k, 0) + n
        return out

    def chart_data(self) -> dict[str, Any]:
        return {
            "cities": [c.name for c in self.cities],
            "sites": [c.site_total for c in self.cities],
            "leads": [c.leads for c in self.cities],
        }


def summary(session: Session, *, actor: Actor, tree: UnitTree) -> Summary:
    """Sites by kind and leads (all / open) per city, and leads by rule, inside the actor's jurisdiction."""
    rows: dict[str, CityRow] = {}

    def row(unit_code: str) -> CityRow:
        city = city_of(unit_code, tree)
        if city not in rows:
            rows[city] = CityRow(unit_code=city, name=tree.names.get(city, city))
        return rows[city]

    site_q = scope(
        select(Site.unit_code, Site.kind, func.count()).group_by(Site.unit_code, Site.kind), actor, Site.unit_code
    )
    kinds_seen: set[str] = set()
    site_total = 0
    for unit_code, kind, n in session.execute(site_q):
        k = kind_key(kind)
        kinds_seen.add(k)
        r = row(unit_code)
        r.sites[k] = r.sites.get(k, 0) + n
        site_total += n

    lead_q = scope(
        select(Lead.unit_code, Lead.status, func.count()).group_by(Lead.unit_code, Lead.status), actor, Lead.unit_code
    )
    lead_total = open_total = 0
    for unit_code, status, n in session.execute(lead_q):
        r = row(unit_code)
        r.leads += n
        lead_total += n
        if status == "open":
            r.open_leads += n
            open_total += n

    rule_q = scope(
        select(Lead.rule, func.count()).group_by(Lead.rule).order_by(func.count().desc()), actor, Lead.unit_code
    )
    by_rule = [(rule, n) for rule, n in session.execute(rule_q)]
    kinds = [k for k in (*SITE_KINDS, "other") if k in kinds_seen]
    cities = sorted(rows.values(), key=lambda c: (c.unit_code != PROVINCE_CODE, c.unit_code))
    return Summary(cities, kinds, site_total, lead_total, open_total, by_rule)


def sites_geojson(session: Session, *, actor: Actor, tree: UnitTree, kind: str | None = None) -> dict[str, Any]:
    stmt = select(Site.site_id, Site.kind, Site.name, Site.unit_code, Site.road, Site.lon, Site.lat)
    if kind:
        stmt = stmt.where(Site.kind == kind)
    stmt = scope(stmt.order_by(Site.site_id), actor, Site.unit_code)
    features = []
    for s in session.execute(stmt):
        if s.lon is None or s.lat is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {
                    "site_id": s.site_id,
                    "kind": s.kind,
                    "name": s.name,
                    "unit_code": s.unit_code,
                    "unit_name": tree.names.get(s.unit_code, s.unit_code),
                    "city_code": city_of(s.unit_code, tree),
                    "road": s.road,
                    "color": SITE_COLORS[kind_key(s.kind)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=1)
def _outlines_text() -> str:
    return OUTLINES_PATH.read_text(encoding="utf-8")


def outlines(levels: tuple[str, ...] = ("province", "city")) -> dict[str, Any]:
    """Province and city outlines (public geography, not protected data); empty if the file is absent."""
    if not OUTLINES_PATH.exists():
        return {"type": "FeatureCollection", "features": []}
    data = json.loads(_outlines_text())
    feats = [f for f in data.get("features", []) if f.get("properties", {}).get("level") in levels]
    return {"type": "FeatureCollection", "features": feats}


# ---------------------------------------------------------------- live command-centre numbers (R2)

PERIODS = {"today": 1, "7d": 7, "30d": 30}
TREND_DAYS = 30
EXPORT_TABLES = ("today", "leads_by_rule", "cases_by_state", "wim_sites", "top_cities", "trend")


def _day_expr(col: Any, dialect: str) -> Any:
    """The Asia/Shanghai calendar day of a timestamp column, as 'YYYY-MM-DD' text."""
    from sqlalchemy import literal_column

    if dialect == "sqlite":  # TZDateTime stores UTC on SQLite
        return func.strftime("%Y-%m-%d", col, literal_column("'+8 hours'"))
    return func.to_char(func.timezone("Asia/Shanghai", col), "YYYY-MM-DD")


def _period_start(now: Any, period: str) -> Any:
    from datetime import datetime, timedelta

    from zhifa.shared.clock import TZ

    today = now.astimezone(TZ).date()
    if period == "year":
        return datetime(today.year, 1, 1, tzinfo=TZ)
    return datetime.combine(today - timedelta(days=PERIODS[period] - 1), datetime.min.time(), tzinfo=TZ)


def live(session: Session, *, actor: Actor, tree: UnitTree, now: Any, unit: str | None = None,
         period: str = "30d", lang: str = "zh") -> dict[str, Any]:
    """Today's hits and interceptions, leads by rule, cases by state and overdue, WIM sites with violation
    counts, top cities and 30-day trends, for a unit inside the actor's jurisdiction and a period.

    `lang` only changes display labels (a rule's label, the province's name); codes and counts are the same."""
    from datetime import datetime, timedelta

    from zhifa.cases.orm import Case
    from zhifa.interception.orm import InterceptTask, WatchHit
    from zhifa.overload.orm import OverloadDetermination as OD
    from zhifa.shared.access import check_visible, descendants
    from zhifa.shared.clock import TZ

    code = unit or actor.unit_code
    check_visible(actor, code, "单位", what_en="Unit")
    codes = None if code == PROVINCE_CODE else sorted(descendants(code, tree.parents))

    def sc(stmt: Any, col: Any) -> Any:
        stmt = scope(stmt, actor, col)
        return stmt if codes is None else stmt.where(col.in_(codes))

    dialect = session.get_bind().dialect.name
    today = now.astimezone(TZ).date()
    t0 = datetime.combine(today, datetime.min.time(), tzinfo=TZ)
    t1 = t0 + timedelta(days=1)
    p0 = _period_start(now, period)

    def count(stmt: Any) -> int:
        return int(session.execute(stmt).scalar_one() or 0)

    kpis = {
        "hits_today": count(sc(select(func.count()).select_from(WatchHit), WatchHit.unit_code)
                            .where(WatchHit.event_time >= t0, WatchHit.event_time < t1)),
        "tasks_today": count(sc(select(func.count()).select_from(InterceptTask), InterceptTask.unit_code)
                             .where(InterceptTask.created_at >= t0, InterceptTask.created_at < t1)),
        "intercepted_today": count(sc(select(func.count()).select_from(InterceptTask), InterceptTask.unit_code)
                                   .where(InterceptTask.answered_at >= t0, InterceptTask.answered_at < t1,
                                          InterceptTask.outcome == "intercepted")),
        "open_tasks": count(sc(select(func.count()).select_from(InterceptTask), InterceptTask.unit_code)
                            .where(InterceptTask.status == "open")),
        "leads_today": count(sc(select(func.count()).select_from(Lead), Lead.unit_code)
                             .where(Lead.created_at >= t0, Lead.created_at < t1)),
        "overload_today": count(sc(select(func.count()).select_from(OD), OD.unit_code)
                                .where(OD.measured_at >= t0, OD.measured_at < t1, OD.status == "violation")),
    }
    by_rule = [{"rule": r, "label": rule_label(r, lang), "count": int(n)} for r, n in session.execute(
        sc(select(Lead.rule, func.count()), Lead.unit_code).where(Lead.created_at >= p0)
        .group_by(Lead.rule).order_by(func.count().desc(), Lead.rule))]
    by_state = [{"status": st, "count": int(n), "overdue": int(o or 0)} for st, n, o in session.execute(
        sc(select(Case.status, func.count(), func.sum(case((Case.overdue.is_(True), 1), else_=0))), Case.unit_code)
        .group_by(Case.status).order_by(Case.status))]
    kpis["cases_overdue"] = sum(x["overdue"] for x in by_state)

    viol = dict(session.execute(
        sc(select(OD.site_id, func.count()), OD.unit_code)
        .where(OD.measured_at >= p0, OD.status == "violation", OD.site_id.is_not(None)).group_by(OD.site_id)).all())
    wim = []
    for s in session.execute(sc(select(Site.site_id, Site.name, Site.unit_code, Site.lon, Site.lat), Site.unit_code)
                             .where(Site.kind == "wim").order_by(Site.site_id)):
        wim.append({"site_id": s.site_id, "name": s.name, "unit_code": s.unit_code,
                    "unit_name": tree.names.get(s.unit_code, s.unit_code), "lon": s.lon, "lat": s.lat,
                    "violations": int(viol.get(s.site_id, 0))})
    wim.sort(key=lambda w: (-w["violations"], w["site_id"]))

    cities: dict[str, dict[str, Any]] = {}

    def add(unit_code: str, key: str, n: int) -> None:
        city = city_of(unit_code, tree)
        row = cities.setdefault(city, {"unit_code": city, "name": tree.names.get(city, city), "leads": 0,
                                       "intercepted": 0, "overload": 0, "cases": 0})
        row[key] += int(n)

    for u, n in session.execute(sc(select(Lead.unit_code, func.count()), Lead.unit_code)
                                .where(Lead.created_at >= p0).group_by(Lead.unit_code)):
        add(u, "leads", n)
    for u, n in session.execute(sc(select(InterceptTask.unit_code, func.count()), InterceptTask.unit_code)
                                .where(InterceptTask.answered_at >= p0, InterceptTask.outcome == "intercepted")
                                .group_by(InterceptTask.unit_code)):
        add(u, "intercepted", n)
    for u, n in session.execute(sc(select(OD.unit_code, func.count()), OD.unit_code)
                                .where(OD.measured_at >= p0, OD.status == "violation").group_by(OD.unit_code)):
        add(u, "overload", n)
    for u, n in session.execute(sc(select(Case.unit_code, func.count()), Case.unit_code)
                                .where(Case.created_at >= p0).group_by(Case.unit_code)):
        add(u, "cases", n)
    top = sorted(cities.values(), key=lambda c: (-(c["leads"] + c["intercepted"] + c["overload"] + c["cases"]),
                                                 c["unit_code"]))

    days = [(today - timedelta(days=i)).isoformat() for i in range(TREND_DAYS - 1, -1, -1)]
    d0 = datetime.combine(today - timedelta(days=TREND_DAYS - 1), datetime.min.time(), tzinfo=TZ)
    series: dict[str, dict[str, int]] = {}
    for key, col, unit_col, extra in (
        ("hits", WatchHit.event_time, WatchHit.unit_code, ()),
        ("leads", Lead.created_at, Lead.unit_code, ()),
        ("overload", OD.measured_at, OD.unit_code, (OD.status == "violation",)),
        ("cases", Case.created_at, Case.unit_code, ()),
    ):
        day = _day_expr(col, dialect)
        stmt = sc(select(day, func.count()), unit_col).where(col >= d0, col < t1, *extra).group_by(day)
        series[key] = {str(d): int(n) for d, n in session.execute(stmt)}
    trend = [{"day": d, **{k: series[k].get(d, 0) for k in series}} for d in days]
    return {
        "unit_code": code,
        "unit_name": ("Whole province" if lang == "en" else "全省") if code == PROVINCE_CODE else tree.names.get(code, code),
        "period": period, "generated_at": now.astimezone(TZ).isoformat(timespec="seconds"), "today": kpis,
        "leads_by_rule": by_rule, "cases_by_state": by_state, "wim_sites": wim, "top_cities": top[:10],
        "trend": trend,
    }


def export_rows(data: dict[str, Any], table: str) -> tuple[list[str], list[list[Any]]]:
    from zhifa.shared.errors import NotFound

    if table not in EXPORT_TABLES:
        raise NotFound(f"没有名为 {table} 的表", en=f"There is no table named {table}")
    if table == "today":
        return ["figure", "count"], [[k, v] for k, v in data["today"].items()]
    rows = data[table]
    if not rows:
        cols = {"leads_by_rule": ["rule", "count"], "cases_by_state": ["status", "count", "overdue"],
                "wim_sites": ["site_id", "name", "unit_code", "unit_name", "lon", "lat", "violations"],
                "top_cities": ["unit_code", "name", "leads", "intercepted", "overload", "cases"],
                "trend": ["day", "hits", "leads", "overload", "cases"]}[table]
        return cols, []
    cols = list(rows[0].keys())
    return cols, [[r.get(c) for c in cols] for r in rows]


def export(data: dict[str, Any], table: str, fmt: str) -> tuple[bytes, str]:
    """One dashboard table as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    import csv
    import io

    from zhifa.shared.errors import NotFound

    cols, rows = export_rows(data, table)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows(rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = table[:31]
        ws.append(cols)
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise NotFound("导出格式应为 csv 或 xlsx", en="The export format must be csv or xlsx")
