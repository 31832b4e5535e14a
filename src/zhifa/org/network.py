"""The synthetic road network of Henan: toll stations, ETC gantries, WIM points, check stations.

Deterministic (no randomness beyond fixed seeds): the same call gives the same sites and segments.
Real route numbers and plausible city sequences (rules.md §8; the city lists beyond G4/G30 are
UNVERIFIED), toll stations in the counties a route passes, one ETC gantry per direction between
consecutive stations with a median spacing of about 8 km (scale.md §1.3), gantry ids per rules.md §7.

Trips follow the directed `segments`: per direction, toll station → gantry → … → next toll station;
short interchange segments join routes where they meet in the same city.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from shapely.geometry import Point, shape
from shapely.ops import nearest_points
from shapely.prepared import prep

from zhifa.org import reference
from zhifa.shared.clock import TZ

SITE_COLUMNS = (
    "site_id", "kind", "name", "unit_code", "road", "km_post", "direction", "lon", "lat", "functions",
    "device_class", "deduct_tolerance", "calibrated_until", "built_on",
)  # fmt: skip
SEGMENT_COLUMNS = ("segment_id", "road", "from_site", "to_site", "length_m")

GANTRY_SPACING_M = 8_000  # scale.md §1.3: median gantry spacing 8.3 km
ROAD_FACTOR = 1.2  # road length over straight-line distance
INTERMEDIATE_STATION_M = 45_000  # sections longer than this get an extra interchange station
INTERCHANGE_MAX_M = 40_000  # routes in one city are joined if their stations are this close

# Expressways: (route, Chinese name, waypoints in the direction of the route's numbering).
# A waypoint is "城市简称:区县名" or "城市简称:区县名=站名" (the station's display base name).
EXPRESSWAYS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("G4", "京港澳高速", (
        "安阳:文峰区=安阳", "安阳:汤阴县", "鹤壁:淇县", "新乡:卫辉市", "新乡:红旗区=新乡", "新乡:原阳县",
        "郑州:惠济区=郑州北", "郑州:管城回族区=郑州", "郑州:新郑市", "许昌:长葛市", "许昌:建安区=许昌",
        "漯河:临颍县", "漯河:郾城区=漯河", "驻马店:西平县", "驻马店:遂平县", "驻马店:驿城区=驻马店",
        "驻马店:确山县", "信阳:平桥区=明港", "信阳:浉河区=信阳",
    )),
    ("G30", "连霍高速", (
        "商丘:虞城县", "商丘:梁园区=商丘", "商丘:宁陵县", "商丘:民权县", "开封:兰考县", "开封:祥符区=开封",
        "郑州:中牟县", "郑州:金水区=郑州东", "郑州:中原区=郑州西", "郑州:荥阳市", "郑州:上街区",
        "郑州:巩义市", "洛阳:偃师区", "洛阳:西工区=洛阳", "洛阳:新安县", "三门峡:义马市", "三门峡:渑池县",
        "三门峡:陕州区", "三门峡:湖滨区=三门峡", "三门峡:灵宝市",
    )),
    ("G45", "大广高速", (
        "濮阳:南乐县", "濮阳:清丰县", "濮阳:华龙区=濮阳", "濮阳:濮阳县", "新乡:长垣市", "开封:祥符区=开封南",
        "开封:通许县", "周口:扶沟县", "周口:西华县", "周口:川汇区=周口", "周口:商水县", "周口:项城市",
        "驻马店:新蔡县", "信阳:息县", "信阳:光山县", "信阳:新县",
    )),
    ("G55", "二广高速", (
        "济源:济源市", "洛阳:孟津区", "洛阳:洛龙区=洛阳南", "洛阳:伊川县", "洛阳:汝阳县", "平顶山:鲁山县",
        "南阳:南召县", "南阳:卧龙区=南阳", "南阳:新野县",
    )),
    ("G36", "宁洛高速", (
        "周口:沈丘县", "周口:淮阳区", "周口:川汇区=周口西", "漯河:召陵区", "漯河:源汇区=漯河西",
        "漯河:舞阳县", "平顶山:叶县", "平顶山:湛河区=平顶山", "平顶山:宝丰县", "平顶山:汝州市",
        "洛阳:伊川县=伊川北", "洛阳:洛龙区=洛阳东",
    )),
    ("G40", "沪陕高速", (
        "信阳:固始县", "信阳:潢川县", "信阳:罗山县", "信阳:浉河区=信阳西", "南阳:桐柏县", "南阳:唐河县",
        "南阳:宛城区=南阳东", "南阳:镇平县", "南阳:内乡县", "南阳:西峡县",
    )),
    ("G35", "济广高速", ("商丘:睢阳区=商丘南", "商丘:柘城县", "周口:鹿邑县")),
    ("G59", "呼北高速", (
        "三门峡:湖滨区=三门峡南", "三门峡:陕州区=陕州南", "洛阳:洛宁县", "三门峡:卢氏县",
        "南阳:西峡县=西峡南", "南阳:淅川县",
    )),
    ("G1516", "盐洛高速", (
        "商丘:永城市", "商丘:夏邑县", "商丘:柘城县=柘城西", "周口:郸城县", "周口:淮阳区=淮阳西", "周口:西华县=西华西", "漯河:临颍县=临颍西",
        "许昌:襄城县", "平顶山:郏县", "平顶山:汝州市=汝州北", "洛阳:伊川县=伊川东",
    )),
    ("G0421", "许广高速", (
        "许昌:建安区=许昌西", "许昌:襄城县=襄城南", "平顶山:叶县=叶县西", "南阳:方城县",
        "南阳:宛城区=南阳北", "南阳:新野县=新野东",
    )),
    ("G5512", "晋新高速", (
        "焦作:博爱县", "焦作:山阳区=焦作", "焦作:修武县", "新乡:获嘉县", "新乡:新乡县", "新乡:红旗区=新乡东",
    )),
)  # fmt: skip

# Ordinary national and provincial roads with the cities they pass (for WIM, check and video points)
ORDINARY_ROADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("G107", ("安阳", "鹤壁", "新乡", "郑州", "许昌", "漯河", "驻马店", "信阳")),
    ("G207", ("焦作", "济源", "洛阳", "平顶山", "南阳")),
    ("G310", ("商丘", "开封", "郑州", "洛阳", "三门峡")),
    ("G311", ("商丘", "周口", "漯河", "平顶山", "南阳")),
    ("G312", ("信阳", "南阳")),
    ("G234", ("焦作", "郑州", "许昌", "平顶山", "南阳")),
    ("G106", ("濮阳", "新乡", "开封", "周口", "驻马店", "信阳")),
    ("G220", ("濮阳", "新乡", "开封", "周口", "驻马店")),
    ("G343", ("安阳", "濮阳")),
    ("S219", ("安阳", "新乡", "焦作")),
    ("S227", ("郑州", "平顶山", "南阳")),
    ("S312", ("周口", "驻马店", "信阳")),
    ("S325", ("许昌", "漯河", "周口")),
)
WIM_COUNT = 60
CHECK_STATION_COUNT = 20
VIDEO_COUNT = 40
SERVICE_AREA_EVERY = 4  # one service area per this many sections


def route_number(road: str) -> int:
    """'G4' → 4, 'G0421' → 421: the 4-digit route field of a gantry id."""
    return int(road[1:])


def gantry_id(road: str, section: int, seq: int, direction: int) -> str:
    """rules.md §7: 'G' + 4-digit route + '41' + section(3) + sequence(3) + direction(1) + '00010'.

    The digits after the province code are UNVERIFIED; ours encode section, sequence, direction.
    """
    return f"G{route_number(road):04d}41{section:03d}{seq:03d}{direction}00010"


def station_id(road: str, seq: int) -> str:
    return f"TS{route_number(road):04d}41{seq:03d}"


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _compass(dlon: float, dlat: float) -> str:
    if abs(dlon) >= abs(dlat):
        return "东" if dlon >= 0 else "西"
    return "北" if dlat >= 0 else "南"


@dataclass
class Network:
    """Sites and directed segments (registry columns) plus plain-dict lookups for simulators."""

    sites: list[dict[str, Any]]
    segments: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    site_unit: dict[str, str] = field(default_factory=dict)
    site_city: dict[str, str] = field(default_factory=dict)
    toll_stations: list[str] = field(default_factory=list)
    gantries: list[str] = field(default_factory=list)
    # route → its toll stations in the direction of the route's numbering
    route_stations: dict[str, list[str]] = field(default_factory=dict)
    # (station, next station) on one route → gantries passed in that order, and the length
    hop_gantries: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    hop_length_m: dict[tuple[str, str], int] = field(default_factory=dict)
    # gantry → (station behind, station ahead) in its direction of travel
    gantry_hop: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        city = reference.unit_city()
        self.by_id = {s["site_id"]: s for s in self.sites}
        self.site_unit = {s["site_id"]: s["unit_code"] for s in self.sites}
        self.site_city = {sid: (city.get(u) or u) for sid, u in self.site_unit.items()}
        self.toll_stations = [s["site_id"] for s in self.sites if s["kind"] == "toll_station"]
        self.gantries = [s["site_id"] for s in self.sites if s["kind"] == "gantry"]
        for g, hop in self.gantry_hop.items():
            self.hop_gantries.setdefault(hop, [])
            if g not in self.hop_gantries[hop]:
                self.hop_gantries[hop].append(g)

    def sites_of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [s for s in self.sites if s["kind"] == kind]

    def gantries_for_stations(self, stations: Sequence[str]) -> list[str]:
        """Gantries passed by a trip given as its sequence of consecutive toll stations."""
        out: list[str] = []
        for a, b in zip(stations, stations[1:], strict=False):
            out.extend(self.hop_gantries.get((a, b), ()))
        return out

    def trip_gantries(self, nodes: Iterable[str]) -> list[str]:
        """The gantries among a node path (as returned by NetworkGraph.path)."""
        return [n for n in nodes if self.by_id.get(n, {}).get("kind") == "gantry"]

    def gantry_spacings_m(self) -> list[int]:
        """Distances between consecutive gantries along each hop (and across stations)."""
        out = []
        for seg in self.segments:
            a, b = self.by_id[seg["from_site"]], self.by_id[seg["to_site"]]
            if a["kind"] == "gantry" and b["kind"] == "gantry":
                out.append(seg["length_m"])
        return out


def _site(**kw: Any) -> dict[str, Any]:
    row = dict.fromkeys(SITE_COLUMNS)
    row.update(kw)
    return row


class _Builder:
    def __init__(self) -> None:
        units = reference.load_units()
        self.units = {u["unit_code"]: u for u in units}
        self.city_by_short = {
            reference.short_name(u["name"]): u["unit_code"] for u in units if u["level"] == "city"
        }
        self.county_by_city_name: dict[tuple[str, str], str] = {}
        for u in units:
            if u["level"] == "county":
                self.county_by_city_name[(u["city_code"], u["name"])] = u["unit_code"]
        # 济源 has no counties: the city-level unit stands for itself
        self.county_by_city_name[(reference.JIYUAN_CODE, "济源市")] = reference.JIYUAN_CODE
        self.places = [u for u in units if u["level"] == "county" or u["unit_code"] == reference.JIYUAN_CODE]
        self.sites: list[dict[str, Any]] = []
        self.segments: list[dict[str, Any]] = []
        self.gantry_hop: dict[tuple[str, str], list[str]] = {}
        self.gantry_of: dict[str, tuple[str, str]] = {}
        self.route_stations: dict[str, list[str]] = {}
        self.names: set[str] = set()
        self.section_mids: list[tuple[str, int, float, float, float]] = []  # road, section, km, lon, lat
        province = next(
            shape(f["geometry"])
            for f in reference.load_outlines()["features"]
            if f["properties"]["unit_code"] == reference.PROVINCE_CODE
        )
        self.province = prep(province)
        self.province_inner = province.buffer(-0.01)

    def inside(self, lon: float, lat: float) -> tuple[float, float]:
        """The point, or the nearest point just inside the province where a straight line leaves it."""
        if self.province.contains(Point(lon, lat)):
            return lon, lat
        p = nearest_points(self.province_inner, Point(lon, lat))[0]
        return p.x, p.y

    # --- helpers -------------------------------------------------------------------------------

    def waypoint(self, spec: str) -> tuple[str, str]:
        place, _, display = spec.partition("=")
        city_short, county = place.split(":")
        city_code = self.city_by_short[city_short]
        code = self.county_by_city_name[(city_code, county)]
        return code, display or reference.short_name(county)

    def nearest_place(self, lon: float, lat: float) -> str:
        return min(self.places, key=lambda u: (u["lon"] - lon) ** 2 + ((u["lat"] - lat) * 1.2) ** 2)[
            "unit_code"
        ]

    def unique_name(self, base: str, dlon: float, dlat: float, kind_suffix: str = "站") -> str:
        for cand in (base, base + _compass(dlon, dlat), *(base + c for c in "东西南北中")):
            name = cand + kind_suffix
            if name not in self.names:
                self.names.add(name)
                return name
        n = 2
        while f"{base}{n}{kind_suffix}" in self.names:
            n += 1
        self.names.add(f"{base}{n}{kind_suffix}")
        return f"{base}{n}{kind_suffix}"

    def add_segment(self, road: str, a: str, b: str, length_m: float) -> None:
        self.segments.append(
            {
                "segment_id": f"{a}>{b}",
                "road": road,
                "from_site": a,
                "to_site": b,
                "length_m": max(1, round(length_m)),
            }
        )

    # --- expressways ---------------------------------------------------------------------------

    def build_route(self, road: str, title: str, specs: Sequence[str]) -> None:
        rng = random.Random(f"route-{road}")
        points = []  # (unit_code, display, lon, lat)
        for spec in specs:
            code, display = self.waypoint(spec)
            u = self.units[code]
            points.append(
                (code, display, u["lon"] + rng.uniform(-0.03, 0.03), u["lat"] + rng.uniform(-0.03, 0.03))
            )
        # long stretches get an intermediate station where a county lies between
        stops = [points[0]]
        for p, q in zip(points, points[1:], strict=False):
            d = haversine_m(p[2], p[3], q[2], q[3]) * ROAD_FACTOR
            if d > INTERMEDIATE_STATION_M:
                lon, lat = (p[2] + q[2]) / 2, (p[3] + q[3]) / 2
                code = self.nearest_place(lon, lat)
                if code not in (p[0], q[0]) and self.province.contains(Point(lon, lat)):
                    stops.append((code, reference.short_name(self.units[code]["name"]), lon, lat))
            stops.append(q)
        ids: list[str] = []
        km = 0.0
        prev = None
        for i, (code, display, lon, lat) in enumerate(stops, start=1):
            if prev is not None:
                km += haversine_m(prev[2], prev[3], lon, lat) * ROAD_FACTOR / 1000
            u = self.units[code]
            sid = station_id(road, i)
            self.sites.append(
                _site(
                    site_id=sid,
                    kind="toll_station",
                    name=self.unique_name(display, lon - u["lon"], lat - u["lat"]),
                    unit_code=code,
                    road=road,
                    km_post=round(km, 1),
                    direction=None,
                    lon=round(lon, 5),
                    lat=round(lat, 5),
                    functions=["entry", "exit", "entry_weighing"],
                )
            )
            ids.append(sid)
            prev = (code, display, lon, lat)
        self.route_stations[road] = ids
        by_id = {s["site_id"]: s for s in self.sites[-len(ids) :]}
        for section, (a, b) in enumerate(zip(ids, ids[1:], strict=False), start=1):
            self.build_section(road, title, section, by_id[a], by_id[b])

    def build_section(self, road: str, title: str, section: int, a: dict, b: dict) -> None:
        length = (b["km_post"] - a["km_post"]) * 1000
        n = max(1, round(length / GANTRY_SPACING_M))
        a_name, b_name = a["name"].removesuffix("站"), b["name"].removesuffix("站")
        self.section_mids.append((road, section, (a["km_post"] + b["km_post"]) / 2,
                                  (a["lon"] + b["lon"]) / 2, (a["lat"] + b["lat"]) / 2))  # fmt: skip
        for direction, (start, end) in ((1, (a, b)), (2, (b, a))):
            chain = [start["site_id"]]
            offsets = [0.0]
            for k in range(1, n + 1):
                # direction 1 numbers gantries from a, direction 2 from b; both sit at the same kms
                t = (k - 0.5) / n
                lon, lat = self.inside(
                    start["lon"] + (end["lon"] - start["lon"]) * t,
                    start["lat"] + (end["lat"] - start["lat"]) * t,
                )
                lon += 0.0004 if direction == 2 else 0.0
                gid = gantry_id(road, section, k, direction)
                km_post = start["km_post"] + (end["km_post"] - start["km_post"]) * t
                self.sites.append(
                    _site(
                        site_id=gid,
                        kind="gantry",
                        name=f"{road}{a_name if direction == 1 else b_name}至"
                        f"{b_name if direction == 1 else a_name}门架{k}",
                        unit_code=self.nearest_place(lon, lat),
                        road=road,
                        km_post=round(km_post, 1),
                        direction=direction,
                        lon=round(lon, 5),
                        lat=round(lat, 5),
                        functions=["etc", "anpr"],
                    )
                )
                chain.append(gid)
                offsets.append(length * t)
                self.gantry_of[gid] = (start["site_id"], end["site_id"])
            chain.append(end["site_id"])
            offsets.append(length)
            for j in range(len(chain) - 1):
                self.add_segment(road, chain[j], chain[j + 1], offsets[j + 1] - offsets[j])
            self.gantry_hop[(start["site_id"], end["site_id"])] = chain[1:-1]

    def build_interchanges(self) -> None:
        """Join routes that meet in one city: the closest pair of their stations there, both ways."""
        stations = [s for s in self.sites if s["kind"] == "toll_station"]
        city = reference.unit_city()
        roads = list(self.route_stations)
        for i, r1 in enumerate(roads):
            for r2 in roads[i + 1 :]:
                best: dict[str, tuple[float, dict, dict]] = {}
                for a in (s for s in stations if s["road"] == r1):
                    for b in (s for s in stations if s["road"] == r2):
                        ca, cb = city[a["unit_code"]], city[b["unit_code"]]
                        if ca != cb:
                            continue
                        d = haversine_m(a["lon"], a["lat"], b["lon"], b["lat"]) * ROAD_FACTOR
                        if d <= INTERCHANGE_MAX_M and (ca not in best or d < best[ca][0]):
                            best[ca] = (d, a, b)
                for _, (d, a, b) in sorted(best.items()):
                    length = max(1500.0, d)
                    road = f"{r1}/{r2}"
                    self.add_segment(road, a["site_id"], b["site_id"], length)
                    self.add_segment(road, b["site_id"], a["site_id"], length)

    # --- ordinary-road points ------------------------------------------------------------------

    def road_counties(self) -> list[tuple[str, str]]:
        """(road, county code) pairs in a fixed order, counties of the cities each road passes."""
        rng = random.Random(4101)
        pools: list[tuple[str, list[str]]] = []
        for road, cities in ORDINARY_ROADS:
            codes: list[str] = []
            for c in cities:
                cc = self.city_by_short[c]
                # rural counties first: that is where off-site points stand
                cs = sorted(
                    (u["unit_code"] for u in self.places if (u["city_code"] or u["unit_code"]) == cc),
                    key=lambda code: (self.units[code]["name"].endswith("区"), code),
                )
                codes.extend(cs[:4])
            rng.shuffle(codes)
            pools.append((road, codes))
        out: list[tuple[str, str]] = []
        depth = 0
        while any(depth < len(c) for _, c in pools):
            out.extend((road, codes[depth]) for road, codes in pools if depth < len(codes))
            depth += 1
        return out

    def point_sites(self) -> None:
        pairs = self.road_counties()
        rng = random.Random(2019)
        counter: dict[str, int] = {}

        def next_id(prefix: str, code: str) -> str:
            counter[prefix + code] = counter.get(prefix + code, 0) + 1
            return f"{prefix}{code}{counter[prefix + code]:02d}"

        def place(code: str) -> tuple[float, float]:
            u = self.units[code]
            return round(u["lon"] + rng.uniform(-0.06, 0.06), 5), round(
                u["lat"] + rng.uniform(-0.05, 0.05), 5
            )

        # WIM points: built 2019–2022 (8, 14, 20, 18), class 5 mostly, newer ones class 2
        years = [2019] * 8 + [2020] * 14 + [2021] * 20 + [2022] * 18
        used: set[tuple[str, str]] = set()
        for i, (road, code) in enumerate(pairs[:WIM_COUNT]):
            used.add((road, code))
            year = years[i * len(years) // WIM_COUNT]
            built = datetime(year, 1 + (i * 5) % 12, 1 + (i * 7) % 27, tzinfo=TZ)
            # annual verification; a few lapsed ones so that expiry can be detected
            if i % 17 == 5:
                calibrated = datetime(2021, 12, 31, tzinfo=TZ)
            else:
                calibrated = datetime(2022 + (i % 2), 1 + (i * 3) % 12, 28, tzinfo=TZ)
            lon, lat = place(code)
            short = reference.short_name(self.units[code]["name"])
            self.sites.append(
                _site(
                    site_id=next_id("W", code),
                    kind="wim",
                    name=self.unique_name(f"{road}{short}", 0, 0, "非现场执法点"),
                    unit_code=code,
                    road=road,
                    km_post=round(rng.uniform(20, 900), 1),
                    direction=None,
                    lon=lon,
                    lat=lat,
                    functions=["wim", "anpr", "laser_profile", "video"],
                    device_class=2.0 if year >= 2022 and i % 3 == 0 else 5.0,
                    deduct_tolerance=True,
                    calibrated_until=calibrated,
                    built_on=built,
                )
            )
        # check stations: one per road-county pair not yet used, built 2008–2016
        rest = [p for p in pairs if p not in used and p[0].startswith("G")]
        for i, (road, code) in enumerate(rest[:CHECK_STATION_COUNT]):
            lon, lat = place(code)
            short = reference.short_name(self.units[code]["name"])
            self.sites.append(
                _site(
                    site_id=next_id("C", code),
                    kind="check_station",
                    name=self.unique_name(short, 0, 0, "超限检测站"),
                    unit_code=code,
                    road=road,
                    km_post=round(rng.uniform(20, 900), 1),
                    direction=None,
                    lon=lon,
                    lat=lat,
                    functions=["static_weigh", "unload", "anpr"],
                    calibrated_until=datetime(2022, 6 + i % 6, 30, tzinfo=TZ),
                    built_on=datetime(2008 + i % 9, 3, 1, tzinfo=TZ),
                )
            )
        # video points: half on expressway sections, half on ordinary roads
        mids = self.section_mids[:: max(1, len(self.section_mids) // (VIDEO_COUNT // 2))][: VIDEO_COUNT // 2]
        for road, _section, km, lon, lat in mids:
            code = self.nearest_place(lon, lat)
            self.sites.append(
                _site(
                    site_id=next_id("V", code),
                    kind="video",
                    name=self.unique_name(f"{road}K{int(km)}", 0, 0, "视频监控点"),
                    unit_code=code,
                    road=road,
                    km_post=round(km, 1),
                    lon=round(lon, 5),
                    lat=round(lat, 5),
                    functions=["anpr", "video"],
                )
            )
        for road, code in pairs[WIM_COUNT : WIM_COUNT + VIDEO_COUNT - len(mids)]:
            lon, lat = place(code)
            short = reference.short_name(self.units[code]["name"])
            self.sites.append(
                _site(
                    site_id=next_id("V", code),
                    kind="video",
                    name=self.unique_name(f"{road}{short}", 0, 0, "视频监控点"),
                    unit_code=code,
                    road=road,
                    km_post=round(rng.uniform(20, 900), 1),
                    lon=lon,
                    lat=lat,
                    functions=["anpr", "video"],
                )
            )
        # service areas on every few expressway sections
        for road, section, km, lon, lat in self.section_mids[2::SERVICE_AREA_EVERY]:
            code = self.nearest_place(lon, lat)
            short = reference.short_name(self.units[code]["name"])
            self.sites.append(
                _site(
                    site_id=f"SA{route_number(road):04d}41{section:03d}",
                    kind="service_area",
                    name=self.unique_name(short, 0, 0, "服务区"),
                    unit_code=code,
                    road=road,
                    km_post=round(km, 1),
                    lon=round(lon, 5),
                    lat=round(lat + 0.002, 5),
                    functions=["rest", "mobile_check"],
                )
            )


@lru_cache(maxsize=1)
def _build() -> tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...], dict, dict]:
    b = _Builder()
    for road, title, specs in EXPRESSWAYS:
        b.build_route(road, title, specs)
    b.build_interchanges()
    b.point_sites()
    return tuple(b.sites), tuple(b.segments), dict(b.route_stations), dict(b.gantry_of)


def build_network() -> Network:
    """The province's network: a fresh copy each call (callers may mutate it), identical every time."""
    sites, segments, route_stations, gantry_of = _build()
    return Network(
        sites=[dict(s, functions=list(s["functions"] or [])) for s in sites],
        segments=[dict(s) for s in segments],
        route_stations={k: list(v) for k, v in route_stations.items()},
        gantry_hop=dict(gantry_of),
        hop_length_m=_hop_lengths(segments, gantry_of),
    )


def _hop_lengths(
    segments: Sequence[dict[str, Any]], gantry_of: dict[str, tuple[str, str]]
) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for seg in segments:
        hop = gantry_of.get(seg["from_site"]) or gantry_of.get(seg["to_site"])
        if hop is not None:
            out[hop] = out.get(hop, 0) + seg["length_m"]
    return out


def summary(net: Network) -> dict[str, Any]:
    """Counts and the gantry-spacing median, for the CLI and docs."""
    kinds: dict[str, int] = {}
    for s in net.sites:
        kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
    spacing = net.gantry_spacings_m()
    return {
        **kinds,
        "segments": len(net.segments),
        "routes": len(net.route_stations),
        "gantry_spacing_median_m": int(statistics.median(spacing)) if spacing else 0,
    }
