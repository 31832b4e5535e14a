"""The road network the simulator drives on, with every toll-station-pair path precomputed once.

`load_network()` uses `zhifa.org.network.build_network()` when that module exists and falls back to
`synthetic_network()`, a Henan-like network built here from the rules.md §8 city table (both give the
same `sites` / `segments` dict shapes, so one code path serves both).

`SimNetwork` keeps the sites as numpy arrays and all shortest paths between toll stations in CSR
form (`pair_offsets`, `path_nodes`, `path_dist_m`), so that trips are exploded into passes with
array operations only.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

KINDS = ("gantry", "toll_station", "wim", "check_station", "video", "service_area")

# rules.md §8: (name, unit_code, plate letter, lon, lat)
CITIES: tuple[tuple[str, str, str, float, float], ...] = (
    ("郑州", "410100", "A", 113.625, 34.747),
    ("开封", "410200", "B", 114.341, 34.797),
    ("洛阳", "410300", "C", 112.454, 34.620),
    ("平顶山", "410400", "D", 113.307, 33.745),
    ("安阳", "410500", "E", 114.393, 36.103),
    ("鹤壁", "410600", "F", 114.295, 35.748),
    ("新乡", "410700", "G", 113.927, 35.303),
    ("焦作", "410800", "H", 113.242, 35.216),
    ("濮阳", "410900", "J", 115.041, 35.762),
    ("许昌", "411000", "K", 113.826, 34.023),
    ("漯河", "411100", "L", 114.026, 33.576),
    ("三门峡", "411200", "M", 111.194, 34.777),
    ("南阳", "411300", "R", 112.541, 32.999),
    ("商丘", "411400", "N", 115.651, 34.414),
    ("信阳", "411500", "S", 114.075, 32.147),
    ("周口", "411600", "P", 114.650, 33.620),
    ("驻马店", "411700", "Q", 114.022, 32.980),
    ("济源", "419001", "U", 112.602, 35.090),
)

# Fallback expressways as city chains (G4 and G30 verified in rules.md §8; the others approximate).
ROADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("G4", ("安阳", "鹤壁", "新乡", "郑州", "许昌", "漯河", "驻马店", "信阳")),
    ("G30", ("商丘", "开封", "郑州", "洛阳", "三门峡")),
    ("G55", ("济源", "洛阳", "平顶山", "南阳")),
    ("G40", ("信阳", "南阳")),
    ("G45", ("濮阳", "开封", "周口", "驻马店")),
    ("G36", ("洛阳", "平顶山", "漯河", "周口")),
    ("G1516", ("济源", "焦作", "新乡", "濮阳")),
    ("G35", ("商丘", "周口")),
)


def haversine_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    r = 6_371_000.0
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(a))


@dataclass
class RawNetwork:
    sites: list[dict]
    segments: list[dict]
    source: str


def synthetic_network(station_km: float = 22.0, gantry_km: float = 8.0, wim_per_city: int = 3) -> RawNetwork:
    """A Henan-like network: city interchanges joined by expressways, toll stations every
    `station_km`, gantries every `gantry_km` in each direction, WIM points and check stations
    on ordinary roads near each city. Deterministic (no randomness)."""
    city = {c[0]: c for c in CITIES}
    sites: list[dict] = []
    segments: list[dict] = []

    def add_site(site_id: str, kind: str, name: str, unit: str, road: str, km: float, direction: int,
                 lon: float, lat: float, functions: str = "") -> str:
        sites.append(dict(site_id=site_id, kind=kind, name=name, unit_code=unit, road=road,
                          km_post=round(km, 3), direction=direction, lon=round(lon, 6), lat=round(lat, 6),
                          functions=functions))
        return site_id

    city_station: dict[str, str] = {}
    for i, (name, unit, _, lon, lat) in enumerate(CITIES):
        city_station[name] = add_site(f"S41{i:02d}00", "toll_station", f"{name}收费站", unit, "", 0.0, 0,
                                      lon, lat, "entry_weighing")

    def nearest_unit(lon: float, lat: float) -> str:
        d = [(lon - c[3]) ** 2 + (lat - c[4]) ** 2 for c in CITIES]
        return CITIES[int(np.argmin(d))][1]

    seg_no = 0
    for road, chain in ROADS:
        rnum = int(road[1:])
        km0 = 0.0
        st_no = 0
        for a_name, b_name in zip(chain[:-1], chain[1:], strict=True):
            a, b = city[a_name], city[b_name]
            length = float(haversine_m(a[3], a[4], b[3], b[4])) * 1.15
            n_st = max(1, round(length / (station_km * 1000)))
            stations = [city_station[a_name]]
            for k in range(1, n_st):
                f = k / n_st
                lon, lat = a[3] + (b[3] - a[3]) * f, a[4] + (b[4] - a[4]) * f
                st_no += 1
                stations.append(add_site(f"S{rnum:04d}{st_no:03d}", "toll_station", f"{road}第{st_no}站",
                                         nearest_unit(lon, lat), road, km0 + length * f / 1000, 0, lon, lat,
                                         "entry_weighing"))
            stations.append(city_station[b_name])
            fr = [k / n_st for k in range(n_st + 1)]
            for k in range(n_st):
                sa, sb = stations[k], stations[k + 1]
                seg_len = length / n_st
                n_g = max(1, round(seg_len / (gantry_km * 1000)))
                for direction, (x, y) in ((1, (sa, sb)), (2, (sb, sa))):
                    f0, f1 = (fr[k], fr[k + 1]) if direction == 1 else (fr[k + 1], fr[k])
                    prev = x
                    for g in range(n_g):
                        f = f0 + (f1 - f0) * (g + 0.5) / n_g
                        lon, lat = a[3] + (b[3] - a[3]) * f, a[4] + (b[4] - a[4]) * f
                        gid = f"G{rnum:04d}41{len(sites):06d}{direction}"
                        add_site(gid, "gantry", f"{road}门架{len(sites)}", nearest_unit(lon, lat), road,
                                 km0 + length * f / 1000, direction, lon, lat, "etc")
                        seg_no += 1
                        segments.append(dict(segment_id=f"R{seg_no:06d}", road=road, from_site=prev, to_site=gid,
                                             length_m=int(seg_len / n_g if g else seg_len / n_g / 2)))
                        prev = gid
                    seg_no += 1
                    segments.append(dict(segment_id=f"R{seg_no:06d}", road=road, from_site=prev, to_site=y,
                                         length_m=int(seg_len / n_g / 2)))
            km0 += length / 1000
    for i, (name, unit, _, lon, lat) in enumerate(CITIES):
        for k in range(wim_per_city):
            ang = 2 * math.pi * k / wim_per_city + i
            add_site(f"W{unit}{k:02d}", "wim", f"{name}非现场执法点{k + 1}", unit, f"G{310 + k}", 10.0 * k, 1,
                     lon + 0.12 * math.cos(ang), lat + 0.1 * math.sin(ang), "wim,lpr,laser")
        add_site(f"C{unit}00", "check_station", f"{name}超限检测站", unit, "G107", 5.0, 0,
                 lon - 0.08, lat + 0.06, "static_weigh")
    return RawNetwork(sites=sites, segments=segments, source="synthetic")


def load_network() -> RawNetwork:
    """The organisation's network when `zhifa.org.network` is available, else the synthetic one."""
    try:
        from zhifa.org.network import build_network  # type: ignore[import-not-found]
    except ImportError:
        return synthetic_network()
    net = build_network()
    sites = [dict(s) for s in net.sites]
    segments = [dict(s) for s in net.segments]
    kinds = {s["kind"] for s in sites}
    if "toll_station" not in kinds or "gantry" not in kinds or not segments:
        return synthetic_network()
    return RawNetwork(sites=sites, segments=segments, source="zhifa.org.network")


class SimNetwork:
    """Sites as arrays plus every shortest path between toll stations (CSR).

    Pair index p = i * S + j for station ranks i, j (`stations[i]` is a site index). For a pair,
    `path_nodes[pair_offsets[p]:pair_offsets[p+1]]` are site indices from station i to station j
    (both included; empty when unreachable or i == j) and `path_dist_m` the distance from i.
    """

    def __init__(self, raw: RawNetwork):
        self.source = raw.source
        sites = sorted(raw.sites, key=lambda s: str(s["site_id"]))
        self.sites = sites
        self.site_id = np.array([str(s["site_id"]) for s in sites], dtype=object)
        self.kind = np.array([str(s["kind"]) for s in sites], dtype=object)
        self.lon = np.array([float(s.get("lon") or 0.0) for s in sites])
        self.lat = np.array([float(s.get("lat") or 0.0) for s in sites])
        self.unit_code = np.array([str(s.get("unit_code") or "410000") for s in sites], dtype=object)
        self.direction = np.array([_direction(s.get("direction")) for s in sites], dtype=np.int8)
        self.is_gantry = self.kind == "gantry"
        idx = {sid: i for i, sid in enumerate(self.site_id)}
        self.stations = np.flatnonzero(self.kind == "toll_station")
        self.wims = np.flatnonzero(self.kind == "wim")
        self.checks = np.flatnonzero(self.kind == "check_station")
        n = len(sites)
        adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for seg in sorted(raw.segments, key=lambda s: str(s["segment_id"])):
            a, b = idx.get(str(seg["from_site"])), idx.get(str(seg["to_site"]))
            if a is None or b is None:
                continue
            adj[a].append((b, float(seg["length_m"])))
        self._build_paths(adj)
        # nearest WIM / check station to each toll station (trucks weighed on the feeder roads)
        self.near_wim = self._nearest(self.wims)
        self.near_check = self._nearest(self.checks)

    def _nearest(self, targets: np.ndarray) -> np.ndarray:
        if len(targets) == 0:
            return np.full(len(self.stations), -1, dtype=np.int64)
        d = haversine_m(self.lon[self.stations][:, None], self.lat[self.stations][:, None],
                        self.lon[targets][None, :], self.lat[targets][None, :])
        return targets[np.argmin(d, axis=1)]

    def _build_paths(self, adj: list[list[tuple[int, float]]]) -> None:
        st = self.stations
        s_count = len(st)
        lengths = np.zeros(s_count * s_count, dtype=np.int64)
        chunks_nodes: list[np.ndarray] = []
        chunks_dist: list[np.ndarray] = []
        n = len(adj)
        for i, src in enumerate(st):
            dist = np.full(n, np.inf)
            pred = np.full(n, -1, dtype=np.int64)
            dist[src] = 0.0
            heap = [(0.0, int(src))]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                for v, w in adj[u]:
                    nd = d + w
                    if nd < dist[v]:
                        dist[v] = nd
                        pred[v] = u
                        heapq.heappush(heap, (nd, v))
            # walk all targets back to the source at once (vectorised over targets)
            reach = np.isfinite(dist[st]) & (st != src)
            tgt = st[reach]
            cols = [tgt]
            cur = tgt.copy()
            while True:
                cur = np.where(cur >= 0, pred[np.maximum(cur, 0)], -1)
                cur = np.where(cols[-1] == src, -1, cur)
                if (cur < 0).all():
                    break
                cols.append(cur)
            mat = np.stack(cols[::-1], axis=1) if len(tgt) else np.zeros((0, 1), dtype=np.int64)
            # rows are right-aligned with -1 padding on the left; compact to row-major ragged
            valid = mat >= 0
            row_len = valid.sum(axis=1)
            lengths[i * s_count + np.flatnonzero(reach)] = row_len
            nodes = mat[valid]
            chunks_nodes.append(nodes)
            chunks_dist.append(dist[nodes])
        self.S = s_count
        self.pair_len = lengths
        self.pair_offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.path_nodes = np.concatenate(chunks_nodes).astype(np.int32) if chunks_nodes else np.zeros(0, np.int32)
        self.path_dist_m = np.concatenate(chunks_dist).astype(np.float64) if chunks_dist else np.zeros(0)
        ends = self.pair_offsets[1:] - 1
        self.pair_dist_m = np.where(lengths > 0, self.path_dist_m[np.maximum(ends, 0)], np.inf)
        g = np.concatenate([[0], np.cumsum(self.is_gantry[self.path_nodes])])
        self.pair_gantries = g[self.pair_offsets[1:]] - g[self.pair_offsets[:-1]]

    def path(self, i: int, j: int) -> list[str]:
        """Site ids of the path between station ranks i and j (for registries and tests)."""
        p = i * self.S + j
        return [str(x) for x in self.site_id[self.path_nodes[self.pair_offsets[p]:self.pair_offsets[p + 1]]]]


def _direction(value: object) -> int:
    try:
        d = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1
    return d if d in (1, 2) else 1
