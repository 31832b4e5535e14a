"""Pure rules of road administration: control-zone geometry, coverage, model-road scoring, ad campaign.

Geometries here are in a projected metric CRS (metres); `roads.geo` converts from and to lon/lat.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from zhifa.roads.model import AD_TRANSITIONS, AdStatus, RoadClass
from zhifa.roads.ruledata import ControlZoneRules, ModelRoadParams


def control_zone_width_m(road_class: str, rules: ControlZoneRules) -> int:
    """Minimum width of the building-control zone for a road class, measured from the outer edge of the
    road land (《公路安全保护条例》 Art. 11: expressway ≥ 30 m, national ≥ 20, provincial ≥ 15, county ≥ 10,
    township ≥ 5)."""
    try:
        return rules.widths_m[RoadClass(road_class).value]
    except (ValueError, KeyError) as exc:
        raise ValueError(f"unknown road class {road_class!r}") from exc


def road_land_half_m(road_class: str, stated: float | None, rules: ControlZoneRules) -> float:
    """Centre line → outer edge of the road land: the road record's figure, else the class default."""
    if stated is not None and stated > 0:
        return float(stated)
    return float(rules.default_road_land_half_m[RoadClass(road_class).value])


@dataclass(frozen=True)
class ZoneGeometry:
    road_land: BaseGeometry  # 公路用地
    control_zone: BaseGeometry  # 建筑控制区 (a band outside the road land)
    width_m: int
    road_land_half_m: float
    rule_version: str

    @property
    def protected(self) -> BaseGeometry:
        """Road land and control zone together: where no new structure may be built without a permit."""
        return self.road_land.union(self.control_zone)


def control_zone(centre_line_m: LineString, road_class: str, rules: ControlZoneRules,
                 road_land_half: float | None = None) -> ZoneGeometry:
    """The control zone of a road as the band between the edge of the road land and `width` beyond it
    (《公路安全保护条例》 Art. 11). Flat ends: the zone stops where the section stops."""
    half = road_land_half_m(road_class, road_land_half, rules)
    width = control_zone_width_m(road_class, rules)
    land = centre_line_m.buffer(half, cap_style="flat")
    outer = centre_line_m.buffer(half + width, cap_style="flat")
    return ZoneGeometry(land, outer.difference(land), width, half, rules.version)


def where_in_zone(geom_m: BaseGeometry, zone: ZoneGeometry) -> str | None:
    """'road_land', 'control_zone' or None for a structure's footprint."""
    if geom_m.intersects(zone.road_land):
        return "road_land"
    if geom_m.intersects(zone.control_zone):
        return "control_zone"
    return None


# ---------------------------------------------------------------- patrol coverage


def days_in_month(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def coverage(patrol_days: Iterable[date], year: int, month: int) -> float:
    """Share of the days of a month on which the section was patrolled at least once."""
    days = {d for d in patrol_days if d.year == year and d.month == month}
    return len(days) / days_in_month(year, month)


# ---------------------------------------------------------------- advertising campaign


def ad_transition_allowed(current: str, target: str) -> bool:
    return AdStatus(target) in AD_TRANSITIONS[AdStatus(current)]


@dataclass(frozen=True)
class CampaignProgress:
    total: int
    to_clear: int
    cleared: int
    approved: int

    @property
    def rate(self) -> float | None:
        """Cleared share of the facilities that have to go (approved ones stay lawfully)."""
        base = self.cleared + self.to_clear
        return None if base == 0 else self.cleared / base


def campaign_progress(statuses: Iterable[str]) -> CampaignProgress:
    c = {s: 0 for s in AdStatus}
    n = 0
    for s in statuses:
        c[AdStatus(s)] += 1
        n += 1
    return CampaignProgress(n, c[AdStatus.TO_CLEAR], c[AdStatus.CLEARED], c[AdStatus.APPROVED])


# ---------------------------------------------------------------- model roads


@dataclass(frozen=True)
class CandidateScore:
    key: str
    professional: float | None
    public: float | None
    total: float | None
    rank: int | None
    designated: bool


def score_candidates(candidates: Sequence[tuple[str, Sequence[float], Sequence[float]]],
                     params: ModelRoadParams) -> list[CandidateScore]:
    """Each candidate: (key, professional scores 0–100, public scores 0–100). The professional and public
    means combine by the round's weights; ranks follow the total (ties share a rank); a candidate at or
    above the pass mark with both kinds of score is designated a model road (示范路)."""
    scored: list[tuple[str, float | None, float | None, float | None]] = []
    for key, pro, pub in candidates:
        p = sum(pro) / len(pro) if pro else None
        q = sum(pub) / len(pub) if pub else None
        total = None if p is None or q is None else round(p * params.professional_weight + q * params.public_weight, 2)
        scored.append((key, p, q, total))
    ranked = sorted((s for s in scored if s[3] is not None), key=lambda s: -float(s[3] or 0))
    ranks: dict[str, int] = {}
    prev: float | None = None
    rank = 0
    for i, s in enumerate(ranked, start=1):
        if s[3] != prev:
            rank = i
            prev = s[3]
        ranks[s[0]] = rank
    return [
        CandidateScore(k, p, q, t, ranks.get(k), t is not None and t >= params.pass_mark) for k, p, q, t in scored
    ]


def rect_polygon(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
