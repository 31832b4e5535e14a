"""Lon/lat ↔ metres. Henan lies in UTM zones 49N (108–114°E) and 50N (114–120°E); PROJ (shipped with
rasterio) does the transverse Mercator maths, Shapely does the geometry."""

from __future__ import annotations

import json
from typing import Any

from rasterio.crs import CRS
from rasterio.warp import transform_geom
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"


def utm_epsg_for(lon: float) -> str:
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{32600 + zone}"


def to_crs(geom: BaseGeometry, src: str | CRS, dst: str | CRS) -> BaseGeometry:
    if str(src) == str(dst):
        return geom
    return shape(transform_geom(src, dst, mapping(geom)))


def to_metric(geom_lonlat: BaseGeometry, epsg: str | None = None) -> tuple[BaseGeometry, str]:
    """Project to the UTM zone of the geometry's centre (or the one given)."""
    epsg = epsg or utm_epsg_for(geom_lonlat.centroid.x)
    return to_crs(geom_lonlat, WGS84, epsg), epsg


def to_lonlat(geom_m: BaseGeometry, epsg: str | CRS) -> BaseGeometry:
    return to_crs(geom_m, epsg, WGS84)


def parse_geojson(text: str) -> BaseGeometry:
    data: Any = json.loads(text)
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


def dump_geojson(geom: BaseGeometry, ndigits: int = 7) -> str:
    def rnd(v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            return [rnd(x) for x in v]
        return round(v, ndigits) if isinstance(v, float) else v

    m = mapping(geom)
    return json.dumps({"type": m["type"], "coordinates": rnd(m["coordinates"])})
