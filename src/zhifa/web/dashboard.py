"""Read models for the command-centre dashboard (R2): counts by city, sites as GeoJSON, outlines.

Every query of sites and leads goes through `zhifa.shared.access.scope`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhifa.leads.orm import Lead
from zhifa.org.orm import Site
from zhifa.shared.access import PROVINCE_CODE, Actor, scope
from zhifa.web.auth import UnitTree

OUTLINES_PATH = Path(__file__).resolve().parents[1] / "org" / "data" / "henan_outlines.geojson"

# Known site kinds in legend order; anything else is drawn as "other".
SITE_KINDS = ("gantry", "toll_station", "wim_site", "check_station", "video_point", "loading_source")
SITE_COLORS = {
    "gantry": "#2e7dd7",
    "toll_station": "#f08c00",
    "wim_site": "#d6336c",
    "check_station": "#7048e8",
    "video_point": "#0ca678",
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
