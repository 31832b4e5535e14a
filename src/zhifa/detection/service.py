"""Run the detectors over one day of the lake and store their findings as leads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.db.session import unit_of_work
from zhifa.detection.context import (
    DetectContext,
    PermitInfo,
    Registries,
    SiteInfo,
    VehicleInfo,
    WhitelistEntry,
)
from zhifa.detection.engines import connect, open_tables
from zhifa.detection.rules import detector_for_rule, detectors
from zhifa.leads.model import LeadDraft
from zhifa.leads.service import store_leads
from zhifa.shared.access import Actor


@dataclass
class RunReport:
    day: date
    engine: str
    created: int = 0
    duplicates: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    drafts: list[LeadDraft] = field(default_factory=list)


def load_registries(session: Session, *, around: datetime | None = None) -> Registries:
    """Sites, units, vehicles, enterprises, whitelist and permits, as the detectors need them."""
    from zhifa.org.orm import Site, Unit

    units = {u.unit_code: u for u in session.execute(select(Unit)).scalars()}
    names = {c: u.name for c, u in units.items()}

    def city(code: str) -> str:
        u = units.get(code)
        if u is None:
            return code[:4] + "00"
        if u.level == "city" or u.level == "province":
            return u.unit_code
        return u.city_code or (u.parent_code or code[:4] + "00")

    sites = {
        s.site_id: SiteInfo(
            site_id=s.site_id, kind=s.kind, name=s.name, unit_code=s.unit_code, city_code=city(s.unit_code),
            city_name=names.get(city(s.unit_code), ""), lon=s.lon, lat=s.lat, road=s.road,
            functions=tuple(str(f) for f in (s.functions or [])),
        )
        for s in session.execute(select(Site)).scalars()
    }
    reg = Registries(sites=sites, unit_names=names)
    try:
        from zhifa.vehicles.orm import Enterprise, PassengerWhitelist, Vehicle
    except ImportError:  # pragma: no cover - the vehicles slice is part of the platform
        Vehicle = None  # type: ignore[assignment,misc]
    if Vehicle is not None:
        kinds = dict(session.execute(select(Enterprise.enterprise_id, Enterprise.kind)).all())
        for v in session.execute(select(Vehicle)).scalars():
            reg.vehicles[(v.plate, v.plate_color)] = VehicleInfo(
                plate=v.plate, plate_color=v.plate_color, vehicle_class=v.vehicle_class, use=v.use,
                enterprise_id=v.enterprise_id, enterprise_kind=kinds.get(v.enterprise_id or ""),
                axle_count=v.axle_count, vehicle_kind=v.vehicle_kind,
            )
        for w in session.execute(select(PassengerWhitelist)).scalars():
            reg.whitelist.setdefault((w.plate, w.plate_color), []).append(
                WhitelistEntry(w.plate, w.plate_color, w.route_from, w.route_to, w.valid_from, w.valid_to)
            )
    from zhifa.permits.orm import OversizePermit

    stmt = select(OversizePermit)
    if around is not None:
        stmt = stmt.where(
            OversizePermit.valid_to >= around - timedelta(days=60), OversizePermit.valid_from <= around + timedelta(days=60)
        )
    for p in session.execute(stmt).scalars():
        reg.permits.append(
            PermitInfo(
                permit_no=p.permit_no, plate=p.plate, plate_color=p.plate_color, permit_class=p.permit_class,
                length_mm=p.length_mm, width_mm=p.width_mm, height_mm=p.height_mm,
                gross_weight_kg=p.gross_weight_kg, axle_count=p.axle_count, route_sites=tuple(p.route_sites or ()),
                valid_from=p.valid_from, valid_to=p.valid_to, allowed_hours=p.allowed_hours, unit_code=p.unit_code,
            )
        )
    return reg


def detect_day(
    ctx: DetectContext, rules: list[str] | None = None
) -> tuple[list[LeadDraft], dict[str, float]]:
    """Run the chosen detectors on a context; returns the drafts and seconds per detector."""
    wanted = {detector_for_rule(r) for r in rules} if rules else None
    drafts: list[LeadDraft] = []
    seconds: dict[str, float] = {}
    for name, run in detectors().items():
        if wanted is not None and name not in wanted:
            continue
        t0 = time.perf_counter()
        found = run(ctx)
        seconds[name] = round(time.perf_counter() - t0, 3)
        if rules:
            found = [d for d in found if d.rule in rules or detector_for_rule(d.rule) in rules]
        drafts.extend(found)
    return drafts, seconds


def build_context(container: Any, *, day: date, engine: str, registries: Registries, history_days: int = 14) -> DetectContext:
    lake = container.settings.lake_dir
    con = connect(engine)
    tables = open_tables(con, lake, [day])
    hist_days = [day - timedelta(days=i) for i in range(history_days - 1, -1, -1)]
    history = open_tables(con, lake, hist_days, prefix="hist_") if history_days > 1 else {}
    return DetectContext(day=day, tables=tables, registries=registries, engine=engine, history=history,
                         history_days=history_days)


def run_detectors(
    container: Any,
    *,
    day: date,
    engine: str = "duckdb",
    rules: list[str] | None = None,
    actor: Actor,
    now: datetime,
    history_days: int = 14,
) -> RunReport:
    """Detect over `day` (illegal passenger operation looks back `history_days`) and store the leads."""
    with unit_of_work(container.db) as s:
        reg = load_registries(s, around=datetime.combine(day, datetime.min.time()).replace(tzinfo=now.tzinfo))
    ctx = build_context(container, day=day, engine=engine, registries=reg, history_days=history_days)
    drafts, seconds = detect_day(ctx, rules)
    rep = RunReport(day=day, engine=engine, seconds=seconds, drafts=drafts)
    for d in drafts:
        rep.by_rule[d.rule] = rep.by_rule.get(d.rule, 0) + 1
    with unit_of_work(container.db) as s:
        stored = store_leads(s, actor=actor, drafts=drafts, now=now, source=f"detect:{day.isoformat()}:{engine}")
    rep.created, rep.duplicates = stored.created, stored.duplicates
    return rep
