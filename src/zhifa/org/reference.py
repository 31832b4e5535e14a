"""Reference data of the province: units (from data/units.json) and their enforcement teams.

Plain data (lists of dicts in the registry columns), no database: `service.load_reference` writes it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

PROVINCE_CODE = "410000"
JIYUAN_CODE = "419001"

TEAM_KINDS_ZH = {"corps": "总队", "detachment": "支队", "brigade": "大队", "squad": "中队"}


@lru_cache(maxsize=1)
def _units_doc() -> dict[str, Any]:
    text = resources.files("zhifa.org").joinpath("data/units.json").read_text(encoding="utf-8")
    return json.loads(text)


def load_units() -> list[dict[str, Any]]:
    """Every unit: the province, 18 city-level units (济源 included), the county-level units."""
    return [dict(u) for u in _units_doc()["units"]]


@lru_cache(maxsize=1)
def _unit_index() -> dict[str, dict[str, Any]]:
    return {u["unit_code"]: u for u in _units_doc()["units"]}


def unit(unit_code: str) -> dict[str, Any] | None:
    u = _unit_index().get(unit_code)
    return dict(u) if u else None


def unit_codes() -> frozenset[str]:
    return frozenset(_unit_index())


def unit_parents() -> dict[str, str | None]:
    """child → enforcement parent (省直管县 and 济源 → the province)."""
    return {c: u["parent_code"] for c, u in _unit_index().items()}


def unit_city() -> dict[str, str | None]:
    """unit → the city-level unit it lies in geographically (the province → None)."""
    return {c: u["city_code"] for c, u in _unit_index().items()}


def city_units() -> list[dict[str, Any]]:
    return [dict(u) for u in _units_doc()["units"] if u["level"] == "city"]


def county_units(city_code: str | None = None) -> list[dict[str, Any]]:
    """County-level units, optionally of one city (geographically, 省直管县 included)."""
    return [
        dict(u)
        for u in _units_doc()["units"]
        if u["level"] == "county" and (city_code is None or u["city_code"] == city_code)
    ]


def short_name(name: str) -> str:
    """'新郑市' → '新郑', '管城回族区' → '管城', '滑县' → '滑县' (one-character names keep their suffix)."""
    for suffix in ("回族区", "市", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def team_id(unit_code: str, n: int = 1) -> str:
    return f"T{unit_code}-{n}"


def build_teams(units: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """总队 for the province, 支队 per city-level unit, 大队 per county-level unit (columns of `teams`)."""
    teams = []
    for u in units if units is not None else load_units():
        code, name, level = u["unit_code"], u["name"], u["level"]
        if level == "province":
            kind, title = "corps", f"{name}交通运输综合行政执法总队"
        elif level == "city":
            kind, title = "detachment", f"{name}交通运输综合行政执法支队"
        else:
            kind, title = "brigade", f"{name}交通运输综合行政执法大队"
        teams.append({"team_id": team_id(code), "unit_code": code, "name": title, "kind": kind})
    return teams


@lru_cache(maxsize=1)
def _outlines_text() -> str:
    return resources.files("zhifa.org").joinpath("data/henan_outlines.geojson").read_text(encoding="utf-8")


def load_outlines() -> dict[str, Any]:
    """GeoJSON FeatureCollection of the province and its 18 city-level outlines (for the map)."""
    return json.loads(_outlines_text())
