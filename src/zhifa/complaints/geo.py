"""Where a public report is: inside the province (precise outline) and which unit answers for it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from shapely.geometry import Point, shape
from shapely.prepared import prep

from zhifa.complaints.rules import distance_m, in_bbox


@lru_cache(maxsize=1)
def _province_outline():  # type: ignore[no-untyped-def]
    data = json.loads(resources.files("zhifa.org").joinpath("data/henan_outlines.geojson").read_text("utf-8"))
    for f in data["features"]:
        if f["properties"].get("level") == "province":
            return prep(shape(f["geometry"]))
    raise LookupError("province outline missing from henan_outlines.geojson")


def inside_province(lon: float, lat: float) -> bool:
    return in_bbox(lon, lat) and bool(_province_outline().contains(Point(lon, lat)))


@lru_cache(maxsize=1)
def _units() -> tuple[tuple[str, str, float, float], ...]:
    data = json.loads(resources.files("zhifa.org").joinpath("data/units.json").read_text("utf-8"))
    return tuple(
        (u["unit_code"], u["level"], float(u["lon"]), float(u["lat"]))
        for u in data["units"]
        if u.get("lon") is not None and u["level"] == "county"
    )


def responsible_unit(lon: float, lat: float) -> str:
    """The county-level unit whose seat is nearest (seats stand in for county outlines we do not hold)."""
    return min(_units(), key=lambda u: distance_m(lon, lat, u[2], u[3]))[0]
