"""Synthetic before/after image pairs with the true polygons of the planted new buildings.

Each pair is two co-registered single-band (panchromatic, uint8) GeoTIFFs in UTM 49N near a real
Henan city, and a truth file:

* ground: farmland parcels of different brightness, a smooth large-scale field, fine texture;
* roads (dark asphalt) with their class and road land, the same at both dates;
* existing buildings (bright roofs) at both dates, a few demolished by the second date;
* new buildings planted in the second image only, part of them in the building-control zone;
* seasonal change between the dates: a smooth illumination gain and offset over the whole image, and
  crop changes that move each parcel's brightness;
* independent Gaussian sensor noise in each image.

Big images are written block by block (the same 512-pixel tiles as the file), so memory stays bounded.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio.features import rasterize
from rasterio.transform import from_origin
from rasterio.windows import Window
from rasterio.windows import transform as window_transform
from scipy.ndimage import gaussian_filter, map_coordinates
from shapely import affinity
from shapely.geometry import LineString, Polygon, box, mapping
from shapely.strtree import STRtree

from zhifa.roads import rules
from zhifa.roads.ruledata import control_zone_rules_on

BLOCK = 512


@dataclass(frozen=True)
class PairParams:
    size: int = 512  # pixels per side
    pixel_m: float = 1.0
    seed: int = 1
    noise_sigma: float = 6.0  # sensor noise of each image, grey levels
    existing_per_km2: float = 60.0
    new_per_km2: float = 40.0
    in_zone_share: float = 0.5  # share of new buildings planted in a control zone
    demolished_share: float = 0.05
    gain_range: tuple[float, float] = (1.05, 1.25)  # seasonal illumination gain, smooth over the image
    offset: float = 6.0
    crop_change: tuple[float, float] = (-35.0, 12.0)  # per-parcel brightness change between the dates
    building_m: tuple[float, float] = (8.0, 26.0)
    epsg: str = "EPSG:32649"
    origin: tuple[float, float] = (742_000.0, 3_844_000.0)  # upper-left, UTM 49N: south of Zhengzhou
    date_before: str = "2021-04-15"
    date_after: str = "2022-04-20"


@dataclass(frozen=True)
class SynthRoad:
    road_id: str
    road_class: str
    line: LineString
    road_land_half_m: float
    pavement_half_m: float


def _roads(p: PairParams, rng: np.random.Generator) -> list[SynthRoad]:
    x0, y0 = p.origin
    ext = p.size * p.pixel_m
    out = []
    classes = ["national", "provincial", "county", "expressway", "township"]
    n = max(1, int(round(ext / 900)))  # about one road per 900 m of image side
    for i in range(n):
        cls = classes[i % len(classes)] if i else "national"
        # a gently bent line crossing the image from left to right
        ya = y0 - ext * rng.uniform(0.2, 0.8)
        yb = y0 - ext * rng.uniform(0.2, 0.8)
        mid = (ya + yb) / 2 + rng.uniform(-0.1, 0.1) * ext
        line = LineString([(x0 - 50, ya), (x0 + ext / 2, mid), (x0 + ext + 50, yb)])
        if i % 2 == 1:  # every other road runs top to bottom
            xa = x0 + ext * rng.uniform(0.2, 0.8)
            xb = x0 + ext * rng.uniform(0.2, 0.8)
            line = LineString([(xa, y0 + 50), ((xa + xb) / 2, y0 - ext / 2), (xb, y0 - ext - 50)])
        half_land = control_zone_rules_on(date.fromisoformat(p.date_after)).default_road_land_half_m[cls]
        pave = {"expressway": 14.0, "national": 7.0, "provincial": 6.0, "county": 4.0, "township": 3.0}[cls]
        out.append(SynthRoad(f"R{i + 1}", cls, line, half_land, pave))
    return out


class _Placer:
    """Non-overlapping footprints (with a gap) on a hash grid."""

    def __init__(self, gap: float, cell: float = 64.0) -> None:
        self.gap = gap
        self.cell = cell
        self.grid: dict[tuple[int, int], list[Polygon]] = {}

    def _cells(self, g: Polygon) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = g.bounds
        return [
            (i, j)
            for i in range(int(math.floor(x0 / self.cell)), int(math.floor(x1 / self.cell)) + 1)
            for j in range(int(math.floor(y0 / self.cell)), int(math.floor(y1 / self.cell)) + 1)
        ]

    def try_add(self, g: Polygon) -> bool:
        grown = g.buffer(self.gap)
        cells = self._cells(grown)
        for c in cells:
            for other in self.grid.get(c, ()):
                if grown.intersects(other):
                    return False
        for c in self._cells(g):
            self.grid.setdefault(c, []).append(g)
        return True


def _footprint(rng: np.random.Generator, p: PairParams, cx: float, cy: float, angle: float) -> Polygon:
    w = rng.uniform(*p.building_m)
    h = rng.uniform(*p.building_m)
    r = box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    return affinity.rotate(r, angle, origin=(cx, cy))


def plan(p: PairParams) -> dict[str, Any]:
    """Everything that is not per-pixel: roads, zones, footprints and their roof brightness."""
    rng = np.random.default_rng(p.seed)
    x0, y0 = p.origin
    ext = p.size * p.pixel_m
    frame = box(x0, y0 - ext, x0 + ext, y0).buffer(-3 * p.pixel_m)
    roads = _roads(p, rng)
    czr = control_zone_rules_on(date.fromisoformat(p.date_after))
    zones = [rules.control_zone(r.line, r.road_class, czr, r.road_land_half_m) for r in roads]
    protected = [z.protected for z in zones]
    pavement = [r.line.buffer(r.pavement_half_m + 3) for r in roads]
    placer = _Placer(gap=4 * p.pixel_m + 2)
    km2 = (ext / 1000) ** 2

    def on_road(g: Polygon) -> bool:
        return any(g.intersects(pv) for pv in pavement)

    def place(count: int, near_road: bool) -> list[Polygon]:
        out: list[Polygon] = []
        tries = 0
        while len(out) < count and tries < count * 60:
            tries += 1
            angle = float(rng.choice([0.0, rng.uniform(-35, 35)]))
            if near_road:
                r_i = int(rng.integers(len(roads)))
                road, zone = roads[r_i], zones[r_i]
                s = rng.uniform(0, road.line.length)
                pt = road.line.interpolate(s)
                ahead = road.line.interpolate(min(road.line.length, s + 1.0))
                behind = road.line.interpolate(max(0.0, s - 1.0))
                dx, dy = ahead.x - behind.x, ahead.y - behind.y
                norm = math.hypot(dx, dy) or 1.0
                nx, ny = -dy / norm, dx / norm
                side = 1 if rng.random() < 0.5 else -1
                dist = rng.uniform(zone.road_land_half_m + min(4.0, zone.width_m * 0.3),
                                   zone.road_land_half_m + zone.width_m - 1)
                g = _footprint(rng, p, pt.x + side * nx * dist, pt.y + side * ny * dist, angle)
            else:
                g = _footprint(rng, p, rng.uniform(x0, x0 + ext), rng.uniform(y0 - ext, y0), angle)
                if any(g.distance(pr) < 15 for pr in protected):
                    continue
            if not frame.contains(g) or on_road(g):
                continue
            if placer.try_add(g):
                out.append(g)
        return out

    existing = place(int(round(p.existing_per_km2 * km2)) or 3, near_road=False)
    existing += place(max(1, int(round(p.existing_per_km2 * km2 * 0.1))), near_road=True)
    n_new = max(4, int(round(p.new_per_km2 * km2)))
    n_zone = int(round(n_new * p.in_zone_share))
    new = place(n_zone, near_road=True) + place(n_new - n_zone, near_road=False)
    n_demol = int(round(len(existing) * p.demolished_share))
    demolished = set(rng.choice(len(existing), size=n_demol, replace=False).tolist()) if n_demol else set()
    tree = STRtree(protected)
    new_in_zone = [bool(len(tree.query(g, predicate="intersects"))) for g in new]
    return {
        "roads": roads,
        "existing": [(g, float(rng.uniform(150, 235)), i in demolished) for i, g in enumerate(existing)],
        "new": [(g, float(rng.uniform(175, 240))) for g in new],
        "new_in_zone": new_in_zone,
    }


def write_pair(out_dir: Path, p: PairParams, name: str = "pair") -> dict[str, Any]:
    """Write `<name>_A.tif`, `<name>_B.tif`, `<name>_truth.geojson`, `<name>_roads.geojson`; return a summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pl = plan(p)
    rng = np.random.default_rng(p.seed + 1)
    size = p.size
    x0, y0 = p.origin
    transform = from_origin(x0, y0, p.pixel_m, p.pixel_m)
    # parcels: a regular grid of ~150 m fields, each with its own brightness and crop change
    cell = max(8, int(round(150 / p.pixel_m)))
    ncell = size // cell + 2
    parcel_base = rng.uniform(95, 135, size=(ncell, ncell)).astype(np.float32)
    parcel_delta = rng.uniform(*p.crop_change, size=(ncell, ncell)).astype(np.float32)
    # smooth fields on a coarse grid (bilinear in between): ground variation and seasonal gain
    step = 128
    ng = size // step + 3
    ground_field = rng.normal(0, 8, size=(ng, ng)).astype(np.float32)
    gain_field = rng.uniform(*p.gain_range, size=(ng, ng)).astype(np.float32)
    profile = dict(driver="GTiff", width=size, height=size, count=1, dtype="uint8", crs=p.epsg,
                   transform=transform, tiled=True, blockxsize=BLOCK, blockysize=BLOCK)
    road_polys = [r.line.buffer(r.pavement_half_m, cap_style="flat") for r in pl["roads"]]
    ex_geoms = [g for g, _, _ in pl["existing"]]
    ex_tree = STRtree(ex_geoms) if ex_geoms else None
    new_geoms = [g for g, _ in pl["new"]]
    new_tree = STRtree(new_geoms) if new_geoms else None
    path_a, path_b = out_dir / f"{name}_A.tif", out_dir / f"{name}_B.tif"
    with rasterio.open(path_a, "w", **profile) as da, rasterio.open(path_b, "w", **profile) as db:
        da.update_tags(ACQUISITION_DATE=p.date_before)
        db.update_tags(ACQUISITION_DATE=p.date_after)
        for r0 in range(0, size, BLOCK):
            for c0 in range(0, size, BLOCK):
                h, w = min(BLOCK, size - r0), min(BLOCK, size - c0)
                win = Window(c0, r0, w, h)
                wt = window_transform(win, transform)
                rows = np.arange(r0, r0 + h, dtype=np.float32)[:, None]
                cols = np.arange(c0, c0 + w, dtype=np.float32)[None, :]
                rr = np.broadcast_to(rows, (h, w))
                cc = np.broadcast_to(cols, (h, w))
                coords = np.stack([rr / step, cc / step])
                ground = map_coordinates(ground_field, coords, order=1, mode="nearest")
                gain = map_coordinates(gain_field, coords, order=1, mode="nearest")
                pi = (rr // cell).astype(np.int32)
                pj = (cc // cell).astype(np.int32)
                brng = np.random.default_rng([p.seed, r0, c0])
                texture = gaussian_filter(brng.normal(0, 7, size=(h, w)).astype(np.float32), 1.0)
                base = parcel_base[pi, pj] + ground + texture
                a = base.copy()
                b = base + parcel_delta[pi, pj]
                bounds = box(*rasterio.windows.bounds(win, transform))
                roads_here = [g for g in road_polys if g.intersects(bounds)]
                if roads_here:
                    m = rasterize([(g, 1) for g in roads_here], out_shape=(h, w), transform=wt, dtype="uint8")
                    a[m == 1] = 72 + texture[m == 1] * 0.3
                    b[m == 1] = 72 + texture[m == 1] * 0.3
                if ex_tree is not None:
                    idx = ex_tree.query(bounds, predicate="intersects")
                    if len(idx):
                        roof = rasterize([(pl["existing"][i][0], pl["existing"][i][1]) for i in idx], out_shape=(h, w),
                                         transform=wt, dtype="float32", fill=0)
                        a = np.where(roof > 0, roof, a)
                        kept = [i for i in idx if not pl["existing"][i][2]]
                        if kept:
                            roof_b = rasterize([(pl["existing"][i][0], pl["existing"][i][1]) for i in kept],
                                               out_shape=(h, w), transform=wt, dtype="float32", fill=0)
                            b = np.where(roof_b > 0, roof_b, b)
                if new_tree is not None:
                    idx = new_tree.query(bounds, predicate="intersects")
                    if len(idx):
                        roof = rasterize([(pl["new"][i][0], pl["new"][i][1]) for i in idx], out_shape=(h, w),
                                         transform=wt, dtype="float32", fill=0)
                        b = np.where(roof > 0, roof, b)
                a = a + brng.normal(0, p.noise_sigma, size=(h, w)).astype(np.float32)
                b = b * gain + p.offset + brng.normal(0, p.noise_sigma, size=(h, w)).astype(np.float32)
                da.write(np.clip(a, 0, 255).astype(np.uint8), 1, window=win)
                db.write(np.clip(b, 0, 255).astype(np.uint8), 1, window=win)
    feats = [
        {"type": "Feature", "properties": {"id": i + 1, "in_zone": z, "area_m2": round(g.area, 1)},
         "geometry": mapping(g)}
        for i, ((g, _), z) in enumerate(zip(pl["new"], pl["new_in_zone"], strict=True))
    ]
    truth = {"type": "FeatureCollection", "crs_epsg": p.epsg, "params": _params_json(p), "features": feats}
    (out_dir / f"{name}_truth.geojson").write_text(json.dumps(truth), encoding="utf-8")
    roads = {
        "type": "FeatureCollection",
        "crs_epsg": p.epsg,
        "features": [
            {"type": "Feature",
             "properties": {"road_id": r.road_id, "road_class": r.road_class, "road_land_half_m": r.road_land_half_m},
             "geometry": mapping(r.line)}
            for r in pl["roads"]
        ],
    }
    (out_dir / f"{name}_roads.geojson").write_text(json.dumps(roads), encoding="utf-8")
    return {"name": name, "size": size, "new": len(feats), "new_in_zone": sum(pl["new_in_zone"]),
            "existing": len(pl["existing"]), "roads": len(pl["roads"])}


def _params_json(p: PairParams) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(p).items()}


def generate_pairs(out_dir: Path, n: int = 3, size: int = 512, seed: int = 1, noise_sigma: float = 6.0,
                   pixel_m: float = 1.0) -> list[dict[str, Any]]:
    """n pairs with seeds seed, seed+1, …; the origin moves so that pairs do not share ground."""
    out = []
    for i in range(n):
        origin = (742_000.0 + i * size * pixel_m * 1.5, 3_844_000.0 - i * 2_000.0)
        p = PairParams(size=size, seed=seed + i, noise_sigma=noise_sigma, pixel_m=pixel_m, origin=origin)
        out.append(write_pair(out_dir, p, name=f"pair{i + 1:02d}"))
    return out
