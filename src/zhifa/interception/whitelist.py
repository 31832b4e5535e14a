"""Passenger whitelist (客运车辆白名单, M3): the import-from-CSV verb and the listing behind its pages.

The table is `zhifa.vehicles.orm.PassengerWhitelist` (schemas.md `passenger_whitelist` columns); hits
show whitelist status through `zhifa.vehicles.service.is_whitelisted`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhifa.interception.matcher import PLATE_COLORS
from zhifa.shared import audit, plates
from zhifa.shared.access import Actor, Role, require_role
from zhifa.shared.clock import aware
from zhifa.shared.errors import ValidationFailed

COLUMNS = ("plate", "plate_color", "enterprise_id", "route_from", "route_to", "valid_from", "valid_to")


@dataclass
class WhitelistImport:
    inserted: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    errors_en: list[tuple[int, str]] = field(default_factory=list)  # the same rows, in English

    def errors_in(self, lang: str) -> list[tuple[int, str]]:
        """The row errors in the interface language (`zh` | `en`)."""
        return self.errors_en if lang == "en" and len(self.errors_en) == len(self.errors) else self.errors


def _dt(v: Any, name: str) -> datetime:
    if isinstance(v, datetime):
        return aware(v)
    try:
        return aware(datetime.fromisoformat(str(v).strip()))
    except ValueError as e:
        raise ValidationFailed(f"{name} 不是有效时间: {v}", en=f"{name} is not a valid time: {v}") from e


def import_whitelist(session: Session, *, actor: Actor, frame: Any, now: datetime, partial: bool = False) -> WhitelistImport:
    """Upsert rows keyed by (plate, colour, enterprise, valid_from). Bad rows are reported each; nothing
    is written when one is bad unless `partial=True`."""
    from zhifa.vehicles.orm import PassengerWhitelist

    require_role(actor, Role.ANALYST)
    missing = [c for c in ("plate", "plate_color", "enterprise_id", "valid_from", "valid_to") if c not in frame.columns]
    if missing:
        raise ValidationFailed(f"缺少列: {', '.join(missing)}", en=f"Missing columns: {', '.join(missing)}")
    rep = WhitelistImport()
    good: list[dict[str, Any]] = []
    for n, row in enumerate(frame.iter_rows(named=True), start=1):
        try:
            p = plates.normalise(str(row.get("plate") or ""))
            color = plates.color_name(row.get("plate_color")) or ""
            if color not in PLATE_COLORS:
                raise ValidationFailed(f"车牌颜色无效: {row.get('plate_color')}", en=f"Invalid plate colour: {row.get('plate_color')}")
            why = plates.explain(p, color)
            if why:
                raise ValidationFailed(f"车牌号 {row.get('plate')} 无效: {why[0]}",
                                       en=f"Plate number {row.get('plate')} is invalid: {why[1]}")
            if not str(row.get("enterprise_id") or "").strip():
                raise ValidationFailed("缺少 enterprise_id", en="enterprise_id is missing")
            vf, vt = _dt(row.get("valid_from"), "valid_from"), _dt(row.get("valid_to"), "valid_to")
            if vt <= vf:
                raise ValidationFailed("有效期止须晚于起", en="valid_to must be later than valid_from")
            good.append(dict(plate=p, plate_color=color, enterprise_id=str(row["enterprise_id"]).strip(),
                             route_from=row.get("route_from") or None, route_to=row.get("route_to") or None,
                             valid_from=vf, valid_to=vt))
        except ValidationFailed as e:
            rep.errors.append((n, e.message))
            rep.errors_en.append((n, e.text("en")))
    if rep.errors and not partial:
        return rep
    for g in good:
        old = session.execute(select(PassengerWhitelist).where(
            PassengerWhitelist.plate == g["plate"], PassengerWhitelist.plate_color == g["plate_color"],
            PassengerWhitelist.enterprise_id == g["enterprise_id"],
            PassengerWhitelist.valid_from == g["valid_from"])).scalar_one_or_none()
        if old is None:
            session.add(PassengerWhitelist(**g, created_at=now, updated_at=now))
            rep.inserted += 1
        else:
            old.route_from, old.route_to, old.valid_to, old.updated_at = g["route_from"], g["route_to"], g["valid_to"], now
            rep.updated += 1
    session.flush()
    audit.record(session, actor=actor, action="interception.whitelist_import", object_type="passenger_whitelist",
                 object_id=now.isoformat(), after={"inserted": rep.inserted, "updated": rep.updated,
                                                   "bad_rows": len(rep.errors)}, now=now)
    return rep


def list_whitelist(session: Session, *, actor: Actor, plate: str | None, now: datetime, limit: int = 200) -> tuple[list[Any], int]:
    from zhifa.vehicles.orm import PassengerWhitelist

    require_role(actor, Role.ANALYST, Role.OFFICER, Role.SUPERVISOR, Role.TOLL_OPERATOR)
    stmt = select(PassengerWhitelist)
    if plate:
        stmt = stmt.where(PassengerWhitelist.plate.contains(plates.normalise(plate)))
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = list(session.execute(stmt.order_by(PassengerWhitelist.plate).limit(limit)).scalars())
    return rows, int(total)
