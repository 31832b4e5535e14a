"""Credit verbs: compute the serious-dishonesty list from confirmed overload violations, publish, exit
after 2 years, export for reporting upward, the party's view of its own events, watch-list flags."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.credit import rules as cr
from zhifa.credit.orm import CreditListing
from zhifa.leads.orm import Lead
from zhifa.overload.ruledata import CreditCriteria, ruleset_for
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, PermissionDenied, ValidationFailed
from zhifa.shared.ids import new_id

PROVINCE = "410000"
VIOLATION_RULE = "overload"  # one confirmed overload event = one violation

# the export format (documented in docs: one row per listing, UTF-8, header row; JSON: a list of objects)
EXPORT_COLUMNS = (
    "listing_id",  # platform id
    "subject_kind",  # truck | driver | enterprise
    "subject_id",  # 号牌:颜色 | driver_id | enterprise_id
    "subject_name",
    "plate",
    "plate_color",
    "unit_code",  # GB/T 2260 unit that lists it
    "criterion",  # truck_over_3_in_year | driver_over_3_in_year | enterprise_over_10pct_fleet
    "criterion_zh",
    "violation_count",
    "entered_on",  # YYYY-MM-DD: the violation that crossed the threshold
    "published_on",
    "exit_on",  # published_on + 2 years
    "status",  # pending | published | exited
    "rule_version",
    "event_refs",  # ';'-separated lead ids
)


@dataclass
class ComputeReport:
    created: int = 0
    by_criterion: dict[str, int] = field(default_factory=dict)
    watch_flagged: int = 0
    watch_unavailable: bool = False


def _events(session: Session) -> list[Lead]:
    return list(
        session.execute(select(Lead).where(Lead.rule == VIOLATION_RULE, Lead.status == "confirmed")).scalars()
    )


def _active_exists(session: Session, kind: str, subject_id: str, criterion: str) -> bool:
    return (
        session.execute(
            select(CreditListing.listing_id).where(
                CreditListing.subject_kind == kind,
                CreditListing.subject_id == subject_id,
                CreditListing.criterion == criterion,
                CreditListing.status.in_(("pending", "published")),
            )
        ).first()
        is not None
    )


def compute(session: Session, *, actor: Actor, now: datetime, criteria: CreditCriteria | None = None) -> ComputeReport:
    """List every truck, driver and enterprise that meets a criterion and is not listed already."""
    require_role(actor, Role.ANALYST)
    crit = criteria or ruleset_for(now.astimezone(TZ).date()).credit
    leads = _events(session)
    rep = ComputeReport()
    by_truck: dict[tuple[str, str], list[cr.Event]] = defaultdict(list)
    by_driver: dict[str, list[cr.Event]] = defaultdict(list)
    unit_of: dict[str, str] = {}
    for x in leads:
        if not x.plate:
            continue
        key = (x.plate, x.plate_color or "")
        ev = cr.Event(x.end, x.lead_id, f"{x.plate}:{x.plate_color or ''}")
        by_truck[key].append(ev)
        unit_of[f"{x.plate}:{x.plate_color or ''}"] = x.unit_code
        driver = (x.evidence or {}).get("driver_id")
        if driver:
            by_driver[str(driver)].append(ev)
            unit_of[f"driver:{driver}"] = x.unit_code
    vehicles, enterprises, fleets = _registry(session)
    new: list[CreditListing] = []

    def add(kind: str, sid: str, name: str, unit: str, hit: tuple[str, cr.Trigger], plate=None, color=None):
        criterion, trig = hit
        if _active_exists(session, kind, sid, criterion):
            return
        row = CreditListing(
            listing_id=new_id()[:24], subject_kind=kind, subject_id=sid, subject_name=name, plate=plate,
            plate_color=color, unit_code=unit, criterion=criterion, violation_count=trig.count,
            event_refs=list(trig.refs), entered_on=trig.at.astimezone(TZ).date(), status="pending",
            rule_version=crit.version, created_at=now,
        )
        session.add(row)
        new.append(row)

    for (plate, color), evs in by_truck.items():
        hit = cr.listable(subject_kind=cr.TRUCK, events=evs, criteria=crit)
        if hit:
            v = vehicles.get((plate, color))
            unit = (v.registered_unit_code if v is not None and v.registered_unit_code else None) or unit_of[f"{plate}:{color}"]
            add(cr.TRUCK, f"{plate}:{color}", plate, unit, hit, plate, color or None)
    for driver, evs in by_driver.items():
        hit = cr.listable(subject_kind=cr.DRIVER, events=evs, criteria=crit)
        if hit:
            add(cr.DRIVER, driver, driver, unit_of[f"driver:{driver}"], hit)
    by_ent: dict[str, list[cr.Event]] = defaultdict(list)
    for (plate, color), evs in by_truck.items():
        v = vehicles.get((plate, color))
        if v is not None and v.enterprise_id:
            by_ent[v.enterprise_id].extend(evs)
    for eid, evs in by_ent.items():
        e = enterprises.get(eid)
        if e is None or e.kind != "transport":
            continue
        hit = cr.listable(subject_kind=cr.ENTERPRISE, events=evs, criteria=crit, fleet_size=fleets.get(eid, 0))
        if hit:
            add(cr.ENTERPRISE, eid, e.name, e.unit_code or PROVINCE, hit)
    session.flush()
    for row in new:
        rep.created += 1
        rep.by_criterion[row.criterion] = rep.by_criterion.get(row.criterion, 0) + 1
    audit.record(session, actor=actor, action="credit.compute", object_type="credit_run",
                 object_id=now.astimezone(TZ).date().isoformat(),
                 after={"created": rep.created, "by_criterion": rep.by_criterion, "rule_version": crit.version}, now=now)
    return rep


def _registry(session: Session) -> tuple[dict[tuple[str, str], Any], dict[str, Any], dict[str, int]]:
    try:
        from zhifa.vehicles.orm import Enterprise, Vehicle
    except ImportError:  # pragma: no cover
        return {}, {}, {}
    vehicles = {(v.plate, v.plate_color): v for v in session.execute(select(Vehicle)).scalars()}
    enterprises = {e.enterprise_id: e for e in session.execute(select(Enterprise)).scalars()}
    fleets: dict[str, int] = defaultdict(int)
    for v in vehicles.values():
        if v.enterprise_id:
            fleets[v.enterprise_id] += 1
    return vehicles, enterprises, dict(fleets)


def access_listing(session: Session, actor: Actor, listing_id: str) -> CreditListing:
    row = session.get(CreditListing, listing_id)
    if row is None:
        raise NotFound("失信记录不存在", en="Dishonesty listing not found")
    check_visible(actor, row.unit_code, "失信记录", what_en="Dishonesty listing")
    return row


def publish(session: Session, *, actor: Actor, listing_id: str, now: datetime) -> CreditListing:
    """Publish (信用交通): the entry leaves the public list 2 years later; a listed truck is watch-listed."""
    require_role(actor, Role.ANALYST, Role.SUPERVISOR)
    row = access_listing(session, actor, listing_id)
    if row.status != "pending":
        raise ValidationFailed("只有待公布的记录可以公布", en="Only listings awaiting publication can be published")
    crit = ruleset_for(now.astimezone(TZ).date()).credit
    today = now.astimezone(TZ).date()
    row.published_on = today
    row.exit_on = cr.exit_on(today, crit)
    row.status = "published"
    if row.subject_kind == cr.TRUCK and row.plate and row.plate_color:
        row.watch_entry_id = _watch(session, actor=actor, row=row, now=now)
        row.watch_flagged = True
    audit.record(session, actor=actor, action="credit.publish", object_type="credit_listing", object_id=row.listing_id,
                 before={"status": "pending"}, after={"status": "published", "exit_on": row.exit_on.isoformat(),
                                                      "watch_entry_id": row.watch_entry_id},
                 unit_code=row.unit_code, now=now)
    session.flush()
    return row


def _watch(session: Session, *, actor: Actor, row: CreditListing, now: datetime) -> str | None:
    """Add the listed truck to the watch-list when the interception slice offers it (max 366 days)."""
    if importlib.util.find_spec("zhifa.interception.service") is None:
        return None
    fn = getattr(importlib.import_module("zhifa.interception.service"), "add_watch_entry", None)
    if fn is None:
        return None
    assert row.exit_on is not None
    end = min(datetime.combine(row.exit_on, datetime.min.time(), TZ), now + timedelta(days=365))
    e = fn(session, actor=actor, plate=row.plate, plate_color=row.plate_color,
           reason=f"严重违法失信超限运输：{cr.CRITERION_LABELS_ZH[row.criterion]}", source="credit",
           valid_to=end, now=now, source_ref=row.listing_id, legal_basis=cr.CRITERION_LABELS_ZH[row.criterion])
    return str(e.entry_id)


def sweep_exits(session: Session, *, actor: Actor, now: datetime) -> int:
    """Move entries past their exit date off the public list (the record stays)."""
    today = now.astimezone(TZ).date()
    rows = list(
        session.execute(
            scope(select(CreditListing), actor, CreditListing.unit_code).where(
                CreditListing.status == "published", CreditListing.exit_on <= today
            )
        ).scalars()
    )
    for row in rows:
        row.status = "exited"
        audit.record(session, actor=actor, action="credit.exit", object_type="credit_listing",
                     object_id=row.listing_id, before={"status": "published"}, after={"status": "exited"},
                     unit_code=row.unit_code, now=now)
    session.flush()
    return len(rows)


def list_listings(
    session: Session, *, actor: Actor, status: str | None = None, subject_kind: str | None = None, limit: int = 500
) -> list[CreditListing]:
    stmt = scope(select(CreditListing), actor, CreditListing.unit_code)
    if status:
        stmt = stmt.where(CreditListing.status == status)
    if subject_kind:
        stmt = stmt.where(CreditListing.subject_kind == subject_kind)
    return list(session.execute(stmt.order_by(CreditListing.entered_on.desc()).limit(limit)).scalars())


def _row(x: CreditListing) -> dict[str, Any]:
    return {
        "listing_id": x.listing_id, "subject_kind": x.subject_kind, "subject_id": x.subject_id,
        "subject_name": x.subject_name, "plate": x.plate or "", "plate_color": x.plate_color or "",
        "unit_code": x.unit_code, "criterion": x.criterion, "criterion_zh": cr.CRITERION_LABELS_ZH[x.criterion],
        "violation_count": x.violation_count, "entered_on": x.entered_on.isoformat(),
        "published_on": x.published_on.isoformat() if x.published_on else "",
        "exit_on": x.exit_on.isoformat() if x.exit_on else "", "status": x.status, "rule_version": x.rule_version,
        "event_refs": ";".join(x.event_refs or []),
    }


def export(session: Session, *, actor: Actor, fmt: str = "csv", status: str | None = "published") -> str:
    """The list for reporting upward, in EXPORT_COLUMNS: CSV (header row) or JSON (list of objects)."""
    rows = [_row(x) for x in list_listings(session, actor=actor, status=status, limit=1_000_000)]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    if fmt != "csv":
        raise ValidationFailed("导出格式须为 csv 或 json", en="The export format must be csv or json")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS))
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def party_view(session: Session, *, actor: Actor, subject_id: str) -> list[dict[str, Any]]:
    """A party sees its own listings and the violations behind them (actor.extra['subjects'])."""
    if actor.role == Role.PARTY:
        if subject_id not in set(actor.extra.get("subjects", ())):
            raise NotFound("失信记录不存在", en="Dishonesty listing not found")
        stmt = select(CreditListing).where(CreditListing.subject_id == subject_id)
    elif actor.role == Role.PUBLIC:
        raise PermissionDenied("无权查看", en="You are not allowed to view this")
    else:
        stmt = scope(select(CreditListing), actor, CreditListing.unit_code).where(CreditListing.subject_id == subject_id)
    out = []
    for x in session.execute(stmt.order_by(CreditListing.entered_on)).scalars():
        leads = [session.get(Lead, ref) for ref in (x.event_refs or [])]
        out.append(
            {
                **_row(x),
                "events": [
                    {"lead_id": lead.lead_id, "time": lead.start.isoformat(), "site_id": lead.site_id,
                     "explanation": lead.explanation, "case_id": lead.case_id}
                    for lead in leads if lead is not None
                ],
            }
        )
    return out


