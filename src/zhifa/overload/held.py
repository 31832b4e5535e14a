"""Vehicles held at check stations (O8): hold, sweep for the overdue, clear with the service given.

The holding period is the bureau's own setting (UNVERIFIED default, versioned data below), not law."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhifa.org.orm import Site
from zhifa.overload.orm import HeldVehicle
from zhifa.shared import audit, plates
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed
from zhifa.shared.ids import new_id
from zhifa.shared.versions import in_force


@dataclass(frozen=True)
class HoldingRule:
    version: str
    effective_from: date
    days: int
    source: str
    verified: bool


HOLDING_RULES = (
    HoldingRule("held-2021.1", date(2021, 1, 1), 15, "超限检测站滞留车辆处理期限（平台默认值，UNVERIFIED，可配置）", False),
)


def holding_rule(day: date) -> HoldingRule:
    return in_force(HOLDING_RULES, day, "holding rule")


def hold(session: Session, *, actor: Actor, plate: str, plate_color: str, station_id: str, reason: str,
         now: datetime) -> HeldVehicle:
    require_role(actor, Role.OFFICER)
    p = plates.normalise(plate)
    why = plates.explain(p, plate_color)
    if why:
        raise ValidationFailed(why[0], en=f"Invalid plate number: {why[1]}")
    station = session.get(Site, station_id)
    if station is None or station.kind != "check_station":
        raise ValidationFailed("须为超限检测站", en="The site must be an overload check station")
    check_visible(actor, station.unit_code, "检测站", what_en="Check station")
    if not (reason or "").strip():
        raise ValidationFailed("须填写滞留原因", en="Enter the reason for holding the vehicle")
    rule = holding_rule(now.date())
    h = HeldVehicle(held_id=new_id()[:24], plate=p, plate_color=plate_color, station_id=station_id,
                    unit_code=station.unit_code, reason=reason.strip()[:2000], held_at=now,
                    deadline=now + timedelta(days=rule.days), rule_version=rule.version)
    session.add(h)
    audit.record(session, actor=actor, action="overload.hold", object_type="held_vehicle", object_id=h.held_id,
                 after={"plate": p, "station": station_id, "deadline": h.deadline.isoformat()},
                 unit_code=station.unit_code, now=now)
    return h


def sweep_overdue(session: Session, *, actor: Actor, now: datetime) -> int:
    """Flag held vehicles whose deadline has passed; returns how many were newly flagged."""
    res = session.execute(update(HeldVehicle).where(HeldVehicle.status == "held", HeldVehicle.overdue.is_(False),
                                                    HeldVehicle.deadline < now).values(overdue=True))
    n = int(res.rowcount or 0)  # type: ignore[attr-defined]
    if n:
        audit.record(session, actor=actor, action="overload.held_overdue", object_type="held_vehicle_sweep",
                     object_id=now.date().isoformat(), after={"flagged": n}, now=now)
    return n


def clear(session: Session, *, actor: Actor, held_id: str, service_note: str, now: datetime) -> HeldVehicle:
    """Clear a held vehicle, recording the one-to-one service given (一对一服务)."""
    require_role(actor, Role.OFFICER)
    h = session.get(HeldVehicle, held_id)
    if h is None:
        raise NotFound("滞留车辆不存在", en="Held vehicle not found")
    check_visible(actor, h.unit_code, "滞留车辆", what_en="Held vehicle")
    if h.status != "held":
        raise IllegalTransition("该车辆已清理", en="This vehicle has already been cleared")
    if not (service_note or "").strip():
        raise ValidationFailed("须记录处理及服务情况", en="Record how the vehicle was handled and the service given")
    h.overdue = h.overdue or now > h.deadline
    h.status, h.cleared_at, h.cleared_by = "cleared", now, actor.username
    h.service_note = service_note.strip()[:2000]
    audit.record(session, actor=actor, action="overload.clear_held", object_type="held_vehicle", object_id=h.held_id,
                 after={"overdue": h.overdue}, unit_code=h.unit_code, now=now)
    return h


def list_held(session: Session, *, actor: Actor, status: str | None = "held") -> list[HeldVehicle]:
    stmt = scope(select(HeldVehicle), actor, HeldVehicle.unit_code)
    if status:
        stmt = stmt.where(HeldVehicle.status == status)
    return list(session.execute(stmt.order_by(HeldVehicle.held_at).limit(1000)).scalars())
