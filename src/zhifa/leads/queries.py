"""Read models for the lead pages: a vehicle's trajectory of a day; review with its follow-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.leads.orm import Lead
from zhifa.leads.service import access_lead, review_lead
from zhifa.shared.access import Actor
from zhifa.shared.errors import ValidationFailed

# rule code → violation catalogue item (cases/ruledata/catalogue_*.json) proposed when a case is opened
CATALOGUE_FOR_RULE = {
    "illegal_passenger": "PAS-ILLEGAL",
    "gps_off": "GPS-OFF",
    "oversize_no_permit": "OVS-NOPERMIT",
    "oversize_off_route": "OVS-AGAINST",
    "oversize_beyond_route": "OVS-AGAINST",
    "oversize_off_window": "OVS-AGAINST",
    "oversize_exceeds_permit": "OVS-AGAINST",
}


@dataclass
class TrajectoryPoint:
    record_id: str
    site_id: str
    site_name: str
    kind: str
    time: datetime
    trip_seq: int
    plate_read: str
    lon: float | None
    lat: float | None
    gap_before: bool = False


@dataclass
class Trajectory:
    plate: str
    plate_color: str
    day: date
    points: list[TrajectoryPoint] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "plate": self.plate,
            "plate_color": self.plate_color,
            "day": self.day.isoformat(),
            "points": [
                {
                    "record_id": p.record_id, "site_id": p.site_id, "site_name": p.site_name, "kind": p.kind,
                    "time": p.time.isoformat(), "trip": p.trip_seq, "plate_read": p.plate_read,
                    "lon": p.lon, "lat": p.lat, "gap_before": p.gap_before,
                }
                for p in self.points
            ],
        }


def trajectory(session: Session, *, lake_dir: Path, plate: str, plate_color: str, day: date) -> Trajectory:
    """The vehicle's passes of the day (misreads of its plate folded in), in trips, with site positions."""
    from zhifa.detection.engines import connect, open_tables
    from zhifa.detection.trajectory import build_trips, canonical_key_expr, canonical_key_py
    from zhifa.org.orm import Site

    plate = (plate or "").strip().upper()
    if not plate:
        raise ValidationFailed("请输入车牌号", en="Enter a plate number")
    out = Trajectory(plate=plate, plate_color=plate_color, day=day)
    con = connect("duckdb")
    try:
        tables = open_tables(con, lake_dir, [day])
        g, t = tables.get("gantry_pass"), tables.get("toll_txn")
        if g is None:
            return out
        key = canonical_key_py(plate)
        g = g.filter(canonical_key_expr(g.plate.cast("string")) == key)
        if t is not None:
            t = t.filter(canonical_key_expr(t.plate.cast("string")) == key)
        labelled, _ = build_trips(g, t)
        labelled = labelled.filter((labelled.plate == plate) & (labelled.plate_color == plate_color))
        df = labelled.order_by([labelled.t, labelled.record_id]).to_pandas()
    finally:
        con.disconnect()
    ids = sorted(set(df["site_id"])) if len(df) else []
    sites = {s.site_id: s for s in session.execute(select(Site).where(Site.site_id.in_(ids))).scalars()} if ids else {}
    from zhifa.detection.context import from_epoch

    for r in df.itertuples(index=False):
        s = sites.get(r.site_id)
        out.points.append(
            TrajectoryPoint(
                record_id=r.record_id, site_id=r.site_id, site_name=s.name if s else r.site_id, kind=r.kind,
                time=from_epoch(r.t), trip_seq=int(r.trip_seq), plate_read=r.plate_read,
                lon=s.lon if s else None, lat=s.lat if s else None, gap_before=bool(r.gap_before),
            )
        )
    return out


def review_with_follow_up(
    session: Session,
    *,
    actor: Actor,
    lead_id: str,
    decision: str,
    reason: str | None,
    now: datetime,
    follow_up: str = "none",  # none | case | watch
    party_name: str | None = None,
    party_kind: str = "person",
    proposed_fine_yuan: int | None = None,
    watch_days: int = 30,
) -> tuple[Lead, str | None]:
    """Confirm or reject; a confirmed lead may open a case or a watch-list entry in the same transaction.

    Returns the lead and the id of what was opened (case id or watch entry id).
    """
    if follow_up not in {"none", "case", "watch"}:
        raise ValidationFailed("后续处置只能是 不处置 / 立案 / 布控", en="The follow-up must be none, open a case or watch-list")
    if decision != "confirmed" and follow_up != "none":
        raise ValidationFailed("只有确认的线索才能立案或布控", en="Only a confirmed lead can be turned into a case or watch-listed")
    lead = review_lead(session, actor=actor, lead_id=lead_id, decision=decision, reason=reason, now=now)
    if follow_up == "case":
        try:
            from zhifa.cases.service import open_case_from_lead
        except ImportError as exc:  # pragma: no cover - the cases slice is part of the platform
            raise ValidationFailed("案件模块不可用", en="The case module is not available") from exc
        code = CATALOGUE_FOR_RULE.get(lead.rule)
        if code is None:
            raise ValidationFailed("该类线索没有对应的违法行为事项，不能直接立案", en="This kind of lead has no matching violation in the catalogue; a case cannot be opened from it directly")
        if not (party_name or "").strip():
            raise ValidationFailed("立案须填写当事人", en="Opening a case requires the party")
        case = open_case_from_lead(
            session, actor=actor, lead=lead, catalogue_code=code, proposed_fine_yuan=int(proposed_fine_yuan or 0),
            facts=lead.explanation, party_name=party_name.strip(), party_kind=party_kind, now=now,  # type: ignore[union-attr]
        )
        return lead, str(case.case_id)
    if follow_up == "watch":
        if not lead.plate or not lead.plate_color:
            raise ValidationFailed("该线索没有车辆，不能布控", en="This lead has no vehicle and cannot be watch-listed")
        from datetime import timedelta

        from zhifa.interception.service import add_watch_entry

        entry = add_watch_entry(
            session, actor=actor, plate=lead.plate, plate_color=lead.plate_color,
            reason=f"线索 {lead.lead_id}：{lead.explanation[:120]}", source="detector",
            valid_to=now + timedelta(days=watch_days), now=now,
        )
        return lead, str(getattr(entry, "entry_id", ""))
    return lead, None


def lead_detail(session: Session, *, actor: Actor, lead_id: str) -> Lead:
    return access_lead(session, actor, lead_id)


