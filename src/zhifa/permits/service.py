"""Verbs on oversize permits: import (refusing impossible routes with the reason), list, active lookup."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.permits import rules
from zhifa.permits.orm import OversizePermit
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, require_role, scope
from zhifa.shared.clock import aware

PLATE_COLORS = {"blue", "yellow", "black", "white", "green", "yellow_green", "blue_white"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (permit_no, reason in Chinese)


class RouteGraph:
    """Directed adjacency of the road network (sites and segments) for route validation."""

    def __init__(self, sites: Iterable[str], segments: Iterable[tuple[str, str, str]]) -> None:
        self.sites = set(sites)
        self.adj: dict[str, list[str]] = {}
        self.segments: dict[str, tuple[str, str]] = {}
        for seg_id, a, b in segments:
            self.adj.setdefault(a, []).append(b)
            self.segments[seg_id] = (a, b)

    @classmethod
    def from_session(cls, session: Session) -> RouteGraph:
        from zhifa.org.orm import RoadSegment, Site

        sites = session.execute(select(Site.site_id)).scalars()
        segs = session.execute(select(RoadSegment.segment_id, RoadSegment.from_site, RoadSegment.to_site)).all()
        return cls(sites, [(s, a, b) for s, a, b in segs])

    def path(self, a: str, b: str) -> list[str] | None:
        """Shortest path a → b by number of segments (BFS), or None if not connected."""
        if a == b:
            return [a]
        prev: dict[str, str] = {a: a}
        q = deque([a])
        while q:
            u = q.popleft()
            for v in self.adj.get(u, ()):
                if v in prev:
                    continue
                prev[v] = u
                if v == b:
                    out = [b]
                    while out[-1] != a:
                        out.append(prev[out[-1]])
                    return out[::-1]
                q.append(v)
        return None

    def expand_route(self, route: list[str]) -> tuple[list[str] | None, str | None]:
        """Route (site ids or segment ids) → every site along it, or (None, reason)."""
        if not route:
            return None, "路线为空"
        stops: list[str] = []
        for item in route:
            if item in self.segments:
                a, b = self.segments[item]
                if stops and stops[-1] != a:
                    stops.append(a)
                elif not stops:
                    stops.append(a)
                stops.append(b)
            elif item in self.sites:
                stops.append(item)
            else:
                return None, f"路线含未知站点或路段：{item}"
        if len(stops) < 2:
            return None, "路线至少需要起点和终点两个站点"
        full = [stops[0]]
        for a, b in zip(stops, stops[1:], strict=False):
            p = self.path(a, b)
            if p is None:
                return None, f"路线不连通：{a} 到 {b} 之间没有路网通路"
            full.extend(p[1:])
        return full, None


def _rows(frame: Any) -> list[dict[str, Any]]:
    if hasattr(frame, "to_dicts"):  # polars
        return list(frame.to_dicts())
    if hasattr(frame, "to_dict"):  # pandas
        return list(frame.to_dict(orient="records"))
    return [dict(r) for r in frame]


def _parse_route(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        return [str(v).strip() for v in json.loads(text)]
    for sep in (";", "|", ",", "→", ">", " "):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text] if text else []


def _dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return aware(value)
    if hasattr(value, "to_pydatetime"):
        return aware(value.to_pydatetime())
    return aware(datetime.fromisoformat(str(value)))


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    if f != f:  # NaN
        return None
    return int(f)


def check_row(row: Mapping[str, Any], graph: RouteGraph) -> tuple[dict[str, Any] | None, str | None]:
    """Validate one permit row → (fields for OversizePermit, None) or (None, reason)."""
    no = str(row.get("permit_no") or "").strip()
    if not no:
        return None, "缺少通行证编号"
    plate = str(row.get("plate") or "").strip().upper()
    color = str(row.get("plate_color") or "").strip()
    if not plate:
        return None, "缺少车牌号"
    if color not in PLATE_COLORS:
        return None, f"车牌颜色无效：{color}"
    dims = {k: _int(row.get(k)) for k in ("length_mm", "width_mm", "height_mm", "gross_weight_kg")}
    missing = [k for k, v in dims.items() if v is None or v <= 0]
    if missing:
        return None, f"外廓尺寸或总质量缺失：{', '.join(missing)}"
    axles = _int(row.get("axle_count"))
    try:
        vf, vt = _dt(row.get("valid_from")), _dt(row.get("valid_to"))
    except (TypeError, ValueError):
        return None, "有效期格式无效"
    if vt <= vf:
        return None, "有效期结束早于开始"
    hours_text = row.get("allowed_hours")
    hours_text = None if hours_text is None or str(hours_text).strip() in {"", "nan", "None"} else str(hours_text)
    try:
        rules.parse_hours(hours_text)
    except (ValueError, TypeError):
        return None, f"允许通行时段格式无效：{hours_text}（应为 22:00-06:00）"
    route = _parse_route(row.get("route"))
    full, reason = graph.expand_route(route)
    if full is None:
        return None, reason
    computed = rules.permit_class(
        dims["length_mm"], dims["width_mm"], dims["height_mm"], dims["gross_weight_kg"], axles  # type: ignore[arg-type]
    )
    declared = _int(row.get("class"))
    if declared is not None and declared not in (1, 2, 3):
        return None, f"通行证类别无效：{declared}"
    if declared is not None and declared < computed:
        return None, f"通行证类别 {declared} 低于外廓尺寸/质量对应的类别 {computed}（令62号第十五条）"
    escort_raw = row.get("escort")
    escort = str(escort_raw).strip().lower() in {"1", "true", "yes", "y", "是"} if escort_raw is not None else False
    klass = declared or computed
    return (
        dict(
            permit_no=no,
            permit_class=klass,
            plate=plate,
            plate_color=color,
            trailer_plate=(str(row.get("trailer_plate")).strip() or None) if row.get("trailer_plate") else None,
            enterprise_id=str(row.get("enterprise_id")) if row.get("enterprise_id") else None,
            cargo=str(row.get("cargo")) if row.get("cargo") else None,
            axle_count=axles,
            route=route,
            route_sites=full,
            valid_from=vf,
            valid_to=vt,
            allowed_hours=hours_text,
            escort=escort or klass == 3,
            unit_code=str(row.get("unit_code") or "410000"),
            **dims,
        ),
        None,
    )


def import_permits(
    session: Session, *, actor: Actor, frame: Any, now: datetime, graph: RouteGraph | None = None
) -> ImportReport:
    """Register permits; a row with an impossible route or bad fields is refused with its reason."""
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.SYSTEM)
    graph = graph or RouteGraph.from_session(session)
    rep = ImportReport()
    for row in _rows(frame):
        fields, reason = check_row(row, graph)
        if fields is None:
            rep.refused.append((str(row.get("permit_no") or "?"), reason or "无效"))
            continue
        existing = session.get(OversizePermit, fields["permit_no"])
        if existing is None:
            session.add(OversizePermit(created_at=now, **fields))
            rep.created += 1
        else:
            for k, v in fields.items():
                setattr(existing, k, v)
            rep.updated += 1
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="permits.import",
        object_type="oversize_permit_batch",
        object_id=now.isoformat(),
        after={"created": rep.created, "updated": rep.updated, "refused": len(rep.refused)},
        now=now,
    )
    return rep


def list_permits(
    session: Session, *, actor: Actor, plate: str | None = None, limit: int = 200
) -> list[OversizePermit]:
    stmt = scope(select(OversizePermit), actor, OversizePermit.unit_code)
    if plate:
        stmt = stmt.where(OversizePermit.plate == plate)
    return list(session.execute(stmt.order_by(OversizePermit.valid_from.desc()).limit(limit)).scalars())


def permits_overlapping(session: Session, start: datetime, end: datetime) -> list[OversizePermit]:
    """Every permit whose validity overlaps [start, end] — detectors read the whole registry (system)."""
    stmt = select(OversizePermit).where(OversizePermit.valid_to >= start, OversizePermit.valid_from <= end)
    return list(session.execute(stmt).scalars())
