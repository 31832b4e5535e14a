"""The web slice's JSON API: who am I, sites as GeoJSON (scoped), map outlines, dashboard numbers."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from zhifa.web import auth, dashboard
from zhifa.web.deps import CurrentActor, DbSession, StaffActor, get_container

router = APIRouter(prefix="/api", tags=["web"])


class MeRead(BaseModel):
    user_id: str | None
    username: str
    display_name: str
    role: str
    unit_code: str
    unit_name: str
    sees_all: bool
    unit_codes: list[str] | None
    site_id: str | None


@router.get("/me", response_model=MeRead)
def me(request: Request, actor: CurrentActor) -> MeRead:
    tree = auth.unit_tree(get_container(request).db)
    return MeRead(
        user_id=actor.user_id,
        username=actor.username,
        display_name=actor.display_name,
        role=str(actor.role),
        unit_code=actor.unit_code,
        unit_name=tree.names.get(actor.unit_code, actor.unit_code),
        sees_all=actor.sees_all,
        unit_codes=None if actor.unit_codes is None else sorted(actor.unit_codes),
        site_id=actor.site_id,
    )


@router.get("/sites")
def sites(
    request: Request, actor: StaffActor, s: DbSession, kind: str | None = Query(None, max_length=16)
) -> dict[str, Any]:
    """Sites in the actor's jurisdiction as a GeoJSON FeatureCollection (lon/lat, kind, name, unit)."""
    tree = auth.unit_tree(get_container(request).db, s)
    return dashboard.sites_geojson(s, actor=actor, tree=tree, kind=kind)


@lru_cache(maxsize=4)
def _outlines_bytes(levels: tuple[str, ...]) -> bytes:
    return json.dumps(dashboard.outlines(levels), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get("/map/outlines")
def map_outlines(actor: StaffActor, level: str = Query("city", pattern="^(province|city)$")) -> Response:
    """Province and city outlines of Henan (GeoJSON) for the offline map; `level=province` for the border only."""
    levels = ("province",) if level == "province" else ("province", "city")
    return Response(
        _outlines_bytes(levels),
        media_type="application/geo+json",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.get("/dashboard/summary")
def dashboard_summary(request: Request, actor: StaffActor, s: DbSession) -> dict[str, Any]:
    tree = auth.unit_tree(get_container(request).db, s)
    summ = dashboard.summary(s, actor=actor, tree=tree)
    return {
        "site_total": summ.site_total,
        "lead_total": summ.lead_total,
        "open_lead_total": summ.open_lead_total,
        "kinds": summ.kinds,
        "cities": [
            {
                "unit_code": c.unit_code,
                "name": c.name,
                "sites": c.sites,
                "site_total": c.site_total,
                "leads": c.leads,
                "open_leads": c.open_leads,
            }
            for c in summ.cities
        ],
        "leads_by_rule": [{"rule": r, "count": n} for r, n in summ.leads_by_rule],
    }
