"""Versioned legal numbers of road administration, with source and effective date.

The building-control zone (建筑控制区) widths are the minimums of 《公路安全保护条例》 (国务院令第593号,
in force 2011-07-01) Art. 11: measured outward from the outer edge of the road land (公路用地外缘).
Provinces may set wider zones; a later version here would carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zhifa.shared.versions import in_force


@dataclass(frozen=True)
class ControlZoneRules:
    version: str
    effective_from: date
    widths_m: dict[str, int]  # road class -> minimum width of the control zone, metres
    source: str
    verified: bool
    # default half-width of the road land (centre line -> outer edge of road land) when a road
    # record does not state it; platform defaults, not law (UNVERIFIED)
    default_road_land_half_m: dict[str, float] = field(default_factory=dict)


CONTROL_ZONES: tuple[ControlZoneRules, ...] = (
    ControlZoneRules(
        version="cz-2011.1",
        effective_from=date(2011, 7, 1),
        widths_m={"expressway": 30, "national": 20, "provincial": 15, "county": 10, "township": 5},
        source="《公路安全保护条例》（国务院令第593号）第十一条：国道不少于20米、省道不少于15米、县道不少于10米、"
        "乡道不少于5米；高速公路不少于30米；自公路用地外缘起向外",
        verified=True,
        default_road_land_half_m={"expressway": 22.0, "national": 13.0, "provincial": 11.0, "county": 8.0,
                                  "township": 6.0},
    ),
)


def control_zone_rules_on(day: date) -> ControlZoneRules:
    return in_force(CONTROL_ZONES, day, "control-zone rules")


@dataclass(frozen=True)
class ModelRoadParams:
    """示范路 evaluation: how professional and public scores combine, and the pass mark (bureau settings)."""

    version: str
    effective_from: date
    professional_weight: float
    public_weight: float
    pass_mark: float
    source: str
    verified: bool


MODEL_ROAD_PARAMS: tuple[ModelRoadParams, ...] = (
    ModelRoadParams(
        version="mr-2021.1",
        effective_from=date(2021, 1, 1),
        professional_weight=0.7,
        public_weight=0.3,
        pass_mark=85.0,
        source="路政执法示范路评定办法（平台默认值，UNVERIFIED，可配置）",
        verified=False,
    ),
)


def model_road_params_on(day: date) -> ModelRoadParams:
    return in_force(MODEL_ROAD_PARAMS, day, "model-road parameters")


@dataclass(frozen=True)
class RectificationParams:
    version: str
    effective_from: date
    default_working_days: int
    source: str
    verified: bool


RECTIFICATION = RectificationParams(
    version="rect-2021.1",
    effective_from=date(2021, 1, 1),
    default_working_days=10,
    source="责令改正通知书默认期限（平台默认值，UNVERIFIED，可配置）",
    verified=False,
)
