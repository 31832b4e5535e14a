"""Verbs on the organisation registries: load the reference data, read units and sites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.db.base import Base
from zhifa.org import reference
from zhifa.org.network import SEGMENT_COLUMNS, SITE_COLUMNS, Network, build_network
from zhifa.org.orm import RoadSegment, Site, Team, Unit
from zhifa.shared import audit
from zhifa.shared.access import PROVINCE_CODE, Actor, Role, require_role, require_staff, scope

UNIT_COLUMNS = (
    "unit_code", "name", "level", "parent_code", "city_code", "lon", "lat", "plate_prefixes",
    "directly_administered",
)  # fmt: skip
TEAM_COLUMNS = ("team_id", "unit_code", "name", "kind")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
    return a == b


def _upsert(
    session: Session, model: type[Base], key: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> tuple[int, int]:
    """Insert missing rows, update rows whose columns differ; returns (created, updated)."""
    existing = {getattr(o, key): o for o in session.execute(select(model)).scalars()}
    created = updated = 0
    new = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            new.append(model(**{c: row.get(c) for c in columns}))
            created += 1
            continue
        changed = False
        for c in columns:
            if not _same(getattr(obj, c), row.get(c)):
                setattr(obj, c, row.get(c))
                changed = True
        updated += changed
    session.add_all(new)
    session.flush()
    return created, updated


def load_reference(
    session: Session, *, actor: Actor, now: datetime, network: Network | None = None
) -> dict[str, int]:
    """Upsert units, teams, sites and road segments from the project's reference data.

    Idempotent: a second run creates and updates nothing and writes no audit event. Rows no longer in
    the reference are kept (records may cite them). One audit event per table that changed.
    """
    require_role(actor, Role.ADMIN)
    net = network or build_network()
    units = reference.load_units()
    tables = (
        ("units", Unit, "unit_code", UNIT_COLUMNS, units),
        ("teams", Team, "team_id", TEAM_COLUMNS, reference.build_teams(units)),
        ("sites", Site, "site_id", SITE_COLUMNS, net.sites),
        ("road_segments", RoadSegment, "segment_id", SEGMENT_COLUMNS, net.segments),
    )
    out: dict[str, int] = {}
    for name, model, key, columns, rows in tables:
        created, updated = _upsert(session, model, key, columns, rows)
        out[name] = len(rows)
        out[f"{name}_created"] = created
        out[f"{name}_updated"] = updated
        if created or updated:
            audit.record(
                session,
                actor=actor,
                action="org.load_reference",
                object_type=name,
                object_id=name,
                after={"rows": len(rows), "created": created, "updated": updated},
                reason="加载省级参考数据",
                unit_code=PROVINCE_CODE,
                now=now,
            )
    return out


def unit_parents(session: Session) -> dict[str, str | None]:
    """child unit → enforcement parent (for an Actor's jurisdiction); 省直管县 → the province."""
    return dict(session.execute(select(Unit.unit_code, Unit.parent_code)).tuples().all())


def _row(obj: Any, columns: Sequence[str]) -> dict[str, Any]:
    return {c: getattr(obj, c) for c in columns}


def list_units(
    session: Session,
    *,
    level: str | None = None,
    parent_code: str | None = None,
    city_code: str | None = None,
) -> list[dict[str, Any]]:
    """Units (public reference data, not scoped), ordered by code."""
    stmt = select(Unit).order_by(Unit.unit_code)
    if level:
        stmt = stmt.where(Unit.level == level)
    if parent_code:
        stmt = stmt.where(Unit.parent_code == parent_code)
    if city_code:
        stmt = stmt.where(Unit.city_code == city_code)
    return [_row(u, UNIT_COLUMNS) for u in session.execute(stmt).scalars()]


def list_teams(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    stmt = scope(select(Team).order_by(Team.team_id), actor, Team.unit_code)
    return [_row(t, TEAM_COLUMNS) for t in session.execute(stmt).scalars()]


def list_sites(
    session: Session, actor: Actor, kind: str | None = None, unit_code: str | None = None
) -> list[dict[str, Any]]:
    """Sites in the actor's jurisdiction, optionally of one kind and one unit, ordered by id."""
    require_staff(actor)
    stmt = scope(select(Site).order_by(Site.site_id), actor, Site.unit_code)
    if kind:
        stmt = stmt.where(Site.kind == kind)
    if unit_code:
        stmt = stmt.where(Site.unit_code == unit_code)
    return [_row(s, SITE_COLUMNS) for s in session.execute(stmt).scalars()]


def site_units(session: Session) -> dict[str, str]:
    """site_id → unit_code of every site (for routing leads and tasks to the right unit)."""
    return dict(session.execute(select(Site.site_id, Site.unit_code)).tuples().all())


def list_segments(session: Session) -> list[dict[str, Any]]:
    """All road segments (the network is not protected data)."""
    stmt = select(RoadSegment).order_by(RoadSegment.segment_id)
    return [_row(s, SEGMENT_COLUMNS) for s in session.execute(stmt).scalars()]
