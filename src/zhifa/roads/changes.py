"""Remote-sensing change detection: new structures between two co-registered GeoTIFFs (卫星遥感监测).

1. `check_pair` refuses, before any work, files that are missing, corrupt, too large, or not
   co-registered (different CRS, resolution, extent or size), with the reason.
2. `detect` walks the pair in blocks (with a halo) so memory stays bounded on any image size:
   radiometric normalisation of the later image to the earlier one per block (robust gain and offset:
   seasonal and illumination change), a smoothed difference, a threshold above the block's robust
   noise level, morphological opening; the changed areas are polygonised per block
   (rasterio.features.shapes) and pieces cut by block edges are merged afterwards.
3. Polygons smaller than a minimum footprint are dropped; the rest are matched against the roads'
   road land and building-control zones.
4. `chips` cuts before/after PNG image chips around a polygon.
5. `score` matches detected to true polygons one-to-one at IoU ≥ 0.5: precision and recall.

Only brightening changes are structures here: new roofs are brighter than the fields they replace
(demolitions and crop changes darken or move ground brightness and are not reported).
"""

from __future__ import annotations

import io
import json
import math
import os
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio.errors import NotGeoreferencedWarning, RasterioError
from rasterio.features import shapes
from rasterio.windows import Window
from rasterio.windows import transform as window_transform
from scipy.ndimage import binary_closing, binary_opening, uniform_filter
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

from zhifa.roads.rules import ZoneGeometry, where_in_zone
from zhifa.shared.errors import ValidationFailed


@dataclass(frozen=True)
class DetectParams:
    version: str = "cd-1"
    block: int = 1024
    halo: int = 16
    min_diff: float = 30.0  # grey levels above the normalised earlier image
    noise_k: float = 5.0  # ... and at least this many robust sigmas of the block's difference
    min_area_m2: float = 30.0
    max_pixels: int = 400_000_000  # 20 000 × 20 000
    max_bytes: int = 4 * 1024**3
    workers: int = 2
    norm_context: int = 1024  # pixels: the least window over which gain and offset are fitted


@dataclass(frozen=True)
class PairInfo:
    width: int
    height: int
    crs: str
    res: tuple[float, float]
    bounds: tuple[float, float, float, float]
    transform: Any
    date_before: str | None
    date_after: str | None


@dataclass
class Detection:
    polygon: BaseGeometry  # in the image CRS (metres)
    area_m2: float
    road_id: str | None = None
    where: str | None = None  # road_land | control_zone
    mean_diff: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _refuse(msg: str, *, en: str) -> ValidationFailed:
    return ValidationFailed(msg, en=en)


def check_pair(path_a: Path, path_b: Path, params: DetectParams = DetectParams()) -> PairInfo:
    """Refuse a pair that cannot be compared, with the reason; nothing is processed before this passes."""
    infos = []
    for label, label_en, path in (("前时相", "Before", path_a), ("后时相", "After", path_b)):
        path = Path(path)
        if not path.is_file():
            raise _refuse(f"{label}影像不存在：{path.name}", en=f"{label_en} image not found: {path.name}")
        size = path.stat().st_size
        if size > params.max_bytes:
            raise _refuse(f"{label}影像文件过大（{size / 1024**3:.1f} GB，上限 {params.max_bytes / 1024**3:.1f} GB）", en=f"{label_en} image file too large ({size / 1024**3:.1f} GB, limit {params.max_bytes / 1024**3:.1f} GB)")
        try:
            with rasterio.open(path) as ds:
                if ds.count < 1:
                    raise _refuse(f"{label}影像没有波段", en=f"{label_en} image has no bands")
                if ds.width * ds.height > params.max_pixels:
                    raise _refuse(f"{label}影像过大（{ds.width}×{ds.height} 像素，上限 {params.max_pixels:,} 像素）", en=f"{label_en} image too large ({ds.width}×{ds.height} pixels, limit {params.max_pixels:,} pixels)")
                if ds.crs is None:
                    raise _refuse(f"{label}影像没有坐标参考系，无法配准", en=f"{label_en} image has no coordinate reference system and cannot be co-registered")
                if not ds.crs.is_projected:
                    raise _refuse(f"{label}影像须为投影坐标系（米），实际为 {ds.crs.to_string()}", en=f"{label_en} image must be in a projected coordinate system (metres), not {ds.crs.to_string()}")
                if ds.dtypes[0] not in ("uint8", "uint16"):
                    raise _refuse(f"{label}影像像素类型 {ds.dtypes[0]} 不受支持（仅 uint8/uint16）", en=f"{label_en} image pixel type {ds.dtypes[0]} is not supported (only uint8/uint16)")
                # read the first and the last block: a truncated or damaged file fails here, not midway
                bw, bh = ds.block_shapes[0][1], ds.block_shapes[0][0]
                ds.read(1, window=Window(0, 0, min(bw, ds.width), min(bh, ds.height)))
                ds.read(1, window=Window(max(0, ds.width - bw), max(0, ds.height - bh),
                                         min(bw, ds.width), min(bh, ds.height)))
                infos.append(PairInfo(ds.width, ds.height, ds.crs.to_string(), ds.res, tuple(ds.bounds),
                                      ds.transform, ds.tags().get("ACQUISITION_DATE"), None))
        except ValidationFailed:
            raise
        except (RasterioError, OSError, ValueError) as exc:
            raise _refuse(f"{label}影像无法读取（文件损坏或不是 GeoTIFF）：{path.name}", en=f"{label_en} image cannot be read (damaged or not a GeoTIFF): {path.name}") from exc
    a, b = infos
    if a.crs != b.crs:
        raise _refuse(f"两期影像坐标参考系不同（{a.crs} 与 {b.crs}），未配准", en=f"The two images have different coordinate reference systems ({a.crs} and {b.crs}); not co-registered")
    if not all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a.res, b.res, strict=True)):
        raise _refuse(f"两期影像分辨率不同（{a.res[0]:g} 米与 {b.res[0]:g} 米），未配准", en=f"The two images have different resolutions ({a.res[0]:g} m and {b.res[0]:g} m); not co-registered")
    tol = a.res[0] / 2
    if any(abs(x - y) > tol for x, y in zip(a.bounds, b.bounds, strict=True)) or (a.width, a.height) != (b.width, b.height):
        raise _refuse("两期影像范围不同（外廓坐标或像素行列数不一致），未配准", en="The two images cover different extents (bounds or pixel rows/columns differ); not co-registered")
    return PairInfo(a.width, a.height, a.crs, a.res, a.bounds, a.transform, a.date_before, b.date_before)


def _robust_sigma(x: np.ndarray) -> float:
    med = float(np.median(x))
    return 1.4826 * float(np.median(np.abs(x - med))) or 1.0


def radiometric_fit(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Gain and offset that map the earlier image's grey levels onto the later one's (robust: quartiles)."""
    step = max(1, int(math.sqrt(a.size / 65536)))
    sa, sb = a[::step, ::step].ravel(), b[::step, ::step].ravel()
    qa = np.percentile(sa, [25, 50, 75])
    qb = np.percentile(sb, [25, 50, 75])
    gain = float((qb[2] - qb[0]) / (qa[2] - qa[0])) if qa[2] > qa[0] else 1.0
    gain = min(max(gain, 0.5), 2.0)
    return gain, float(qb[1] - gain * qa[1])


def change_mask(a: np.ndarray, b: np.ndarray, params: DetectParams,
                fit: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Boolean mask of brightening change and the smoothed normalised difference, for one block.
    `fit` (gain, offset) comes from a wider context when the block is small."""
    af = a.astype(np.float32)
    bf = b.astype(np.float32)
    step = max(1, int(math.sqrt(af.size / 65536)))
    gain, offset = fit or radiometric_fit(af, bf)
    raw = (bf - offset) / gain - af
    diff = uniform_filter(raw, size=3)
    # sensor noise from neighbouring-pixel differences (insensitive to parcel-level crop changes);
    # a 3×3 mean divides it by 3
    sub = raw[::step, :]
    noise = _robust_sigma((sub[:, 1:] - sub[:, :-1]).ravel()) / math.sqrt(2)
    thr = max(params.min_diff, params.noise_k * noise / 3)
    mask = diff > thr
    mask = binary_opening(mask, structure=np.ones((3, 3), bool))
    mask = binary_closing(mask, structure=np.ones((3, 3), bool))
    return mask, diff


def _blocks(width: int, height: int, block: int) -> list[tuple[int, int, int, int]]:
    return [(r, c, min(block, height - r), min(block, width - c))
            for r in range(0, height, block) for c in range(0, width, block)]


def _process_block(path_a: Path, path_b: Path, info: PairInfo, blk: tuple[int, int, int, int],
                   params: DetectParams) -> tuple[list[tuple[BaseGeometry, float]], list[tuple[BaseGeometry, float]]]:
    r0, c0, h, w = blk
    hr0, hc0 = max(0, r0 - params.halo), max(0, c0 - params.halo)
    hr1, hc1 = min(info.height, r0 + h + params.halo), min(info.width, c0 + w + params.halo)
    win = Window(hc0, hr0, hc1 - hc0, hr1 - hr0)
    with rasterio.open(path_a) as da, rasterio.open(path_b) as db:
        a = da.read(1, window=win)
        b = db.read(1, window=win)
        fit = None
        if min(win.width, win.height) < params.norm_context:
            # a small block: gain and offset from a wider context, read decimated (bounded memory)
            half = params.norm_context // 2
            cr, cc = r0 + h // 2, c0 + w // 2
            cr0, cc0 = max(0, cr - half), max(0, cc - half)
            cwin = Window(cc0, cr0, min(info.width, cc + half) - cc0, min(info.height, cr + half) - cr0)
            k = max(1, int(max(cwin.width, cwin.height) // 256))
            shape_ = (max(1, int(cwin.height // k)), max(1, int(cwin.width // k)))
            fit = radiometric_fit(da.read(1, window=cwin, out_shape=shape_).astype(np.float32),
                                  db.read(1, window=cwin, out_shape=shape_).astype(np.float32))
    mask, diff = change_mask(a, b, params, fit)
    core = (slice(r0 - hr0, r0 - hr0 + h), slice(c0 - hc0, c0 - hc0 + w))
    m = mask[core]
    d = diff[core]
    inner: list[tuple[BaseGeometry, float]] = []
    edge: list[tuple[BaseGeometry, float]] = []
    if not m.any():
        return inner, edge
    wt = window_transform(Window(c0, r0, w, h), info.transform)
    px_area = abs(info.res[0] * info.res[1])
    # which edges of this block are inner seams (shared with another block)
    seams = (r0 > 0, c0 + w < info.width, r0 + h < info.height, c0 > 0)  # top, right, bottom, left
    from rasterio.features import sieve  # noqa: PLC0415 - only needed here

    m8 = m.astype(np.uint8)
    m8 = sieve(m8, size=max(2, int(params.min_area_m2 / px_area / 4)), connectivity=4)
    for geom, val in shapes(m8, transform=wt, connectivity=4):
        if val != 1:
            continue
        poly = shape(geom)
        # mean difference inside (bounding box approximation, cheap)
        minx, miny, maxx, maxy = poly.bounds
        col0 = int((minx - wt.c) / wt.a)
        row0 = int((maxy - wt.f) / wt.e)
        col1 = int(math.ceil((maxx - wt.c) / wt.a))
        row1 = int(math.ceil((miny - wt.f) / wt.e))
        sub = d[max(0, row0):row1, max(0, col0):col1]
        mean_diff = float(sub[m[max(0, row0):row1, max(0, col0):col1]].mean()) if sub.size else 0.0
        touches = ((seams[0] and row0 <= 0) or (seams[1] and col1 >= w) or (seams[2] and row1 >= h)
                   or (seams[3] and col0 <= 0))
        (edge if touches else inner).append((poly, mean_diff))
    return inner, edge


def detect(path_a: Path, path_b: Path, zones: Sequence[tuple[str, ZoneGeometry]] = (),
           params: DetectParams = DetectParams(), progress: Callable[[int, int], None] | None = None,
           ) -> tuple[PairInfo, list[Detection]]:
    """All new structures of the pair; those in a road's protected area carry its road id and where."""
    info = check_pair(path_a, path_b, params)
    blocks = _blocks(info.width, info.height, params.block)
    inner: list[tuple[BaseGeometry, float]] = []
    edge: list[tuple[BaseGeometry, float]] = []
    done = 0
    workers = max(1, min(params.workers, os.cpu_count() or 1))
    with warnings.catch_warnings(), ThreadPoolExecutor(max_workers=workers) as ex:
        # rasterio's in-memory datasets for polygonising plain arrays have no geotransform: harmless
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        for i_, e_ in ex.map(lambda blk: _process_block(path_a, path_b, info, blk, params), blocks):
            inner.extend(i_)
            edge.extend(e_)
            done += 1
            if progress:
                progress(done, len(blocks))
    merged: list[tuple[BaseGeometry, float]] = list(inner)
    if edge:
        union = unary_union([g for g, _ in edge])
        parts = list(getattr(union, "geoms", [union]))
        tree = STRtree([g for g, _ in edge])
        for part in parts:
            idx = tree.query(part, predicate="intersects")
            weights = [edge[i][0].area for i in idx] or [1.0]
            md = float(np.average([edge[i][1] for i in idx], weights=weights)) if len(idx) else 0.0
            merged.append((part, md))
    out = [Detection(polygon=g, area_m2=round(g.area, 1), mean_diff=round(md, 1))
           for g, md in merged if g.area >= params.min_area_m2]
    if zones:
        prot = [z.protected for _, z in zones]
        ztree = STRtree(prot)
        for det in out:
            for i in ztree.query(det.polygon, predicate="intersects"):
                rid, z = zones[int(i)]
                det.road_id = rid
                det.where = where_in_zone(det.polygon, z)
                break
    out.sort(key=lambda d: (d.polygon.bounds[3] * -1, d.polygon.bounds[0]))
    return info, out


# ---------------------------------------------------------------- chips


def _to_png(arr: np.ndarray, outline: list[tuple[float, float]] | None) -> bytes:
    from PIL import Image, ImageDraw

    a = arr.astype(np.float32)
    lo, hi = np.percentile(a, [1, 99]) if a.size else (0, 255)
    a = np.clip((a - lo) / max(1.0, hi - lo) * 255, 0, 255).astype(np.uint8)
    img = Image.fromarray(a, mode="L").convert("RGB")
    scale = max(1, 160 // max(1, min(img.size)))
    if scale > 1:
        img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
    if outline:
        ImageDraw.Draw(img).line([(x * scale, y * scale) for x, y in outline], fill=(230, 30, 30), width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def chips(path_a: Path, path_b: Path, polygon: BaseGeometry, margin_px: int = 24) -> tuple[bytes, bytes]:
    """Before and after PNG chips around a polygon, the polygon outlined in red on both."""
    with rasterio.open(path_a) as da, rasterio.open(path_b) as db:
        inv = ~da.transform
        minx, miny, maxx, maxy = polygon.bounds
        c0, r0 = inv * (minx, maxy)
        c1, r1 = inv * (maxx, miny)
        c0, r0 = max(0, int(c0) - margin_px), max(0, int(r0) - margin_px)
        c1, r1 = min(da.width, int(math.ceil(c1)) + margin_px), min(da.height, int(math.ceil(r1)) + margin_px)
        win = Window(c0, r0, max(1, c1 - c0), max(1, r1 - r0))
        a = da.read(1, window=win)
        b = db.read(1, window=win)
    ring = polygon.exterior.coords if hasattr(polygon, "exterior") else polygon.convex_hull.exterior.coords
    outline = [((inv * (x, y))[0] - c0, (inv * (x, y))[1] - r0) for x, y in ring]
    return _to_png(a, outline), _to_png(b, outline)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4)}


def iou(a: BaseGeometry, b: BaseGeometry) -> float:
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def score(detected: Sequence[BaseGeometry], truth: Sequence[BaseGeometry], min_iou: float = 0.5) -> Score:
    """One-to-one matching, best IoU first; a pair counts when IoU ≥ min_iou."""
    if not detected or not truth:
        return Score(0, len(detected), len(truth))
    tree = STRtree(list(truth))
    pairs = []
    for i, d in enumerate(detected):
        for j in tree.query(d, predicate="intersects"):
            v = iou(d, truth[int(j)])
            if v >= min_iou:
                pairs.append((v, i, int(j)))
    pairs.sort(reverse=True)
    used_d: set[int] = set()
    used_t: set[int] = set()
    for _, i, j in pairs:
        if i in used_d or j in used_t:
            continue
        used_d.add(i)
        used_t.add(j)
    tp = len(used_d)
    return Score(tp, len(detected) - tp, len(truth) - tp)


def load_truth(path: Path) -> list[tuple[BaseGeometry, bool]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(shape(f["geometry"]), bool(f["properties"].get("in_zone"))) for f in data["features"]]


def load_pair_roads(path: Path) -> tuple[str, list[tuple[str, str, BaseGeometry, float | None]]]:
    """(epsg, [(road_id, class, line in the image CRS, road-land half-width)]) from a generator roads file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = [(f["properties"]["road_id"], f["properties"]["road_class"], shape(f["geometry"]),
            f["properties"].get("road_land_half_m")) for f in data["features"]]
    return data["crs_epsg"], out


def image_footprint(info: PairInfo) -> BaseGeometry:
    return box(*info.bounds)


def zones_from_pair_roads(path: Path, day: Any) -> list[tuple[str, ZoneGeometry]]:
    from zhifa.roads.ruledata import control_zone_rules_on
    from zhifa.roads.rules import control_zone

    _, roads = load_pair_roads(path)
    czr = control_zone_rules_on(day)
    return [(rid, control_zone(line, cls, czr, half)) for rid, cls, line, half in roads]


def score_pairs(pairs_dir: Path, params: DetectParams = DetectParams(), min_iou: float = 0.5) -> dict[str, Any]:
    """Detect on every `<name>_A.tif`/`_B.tif` pair of a generator directory and score against its truth:
    all new structures, and those kept in a control zone (the leads)."""
    from datetime import date

    total_all = Score(0, 0, 0)
    total_zone = Score(0, 0, 0)
    per_pair = []
    for a in sorted(Path(pairs_dir).glob("*_A.tif")):
        name = a.name[: -len("_A.tif")]
        b = a.with_name(f"{name}_B.tif")
        truth = load_truth(a.with_name(f"{name}_truth.geojson"))
        zones = zones_from_pair_roads(a.with_name(f"{name}_roads.geojson"), date.today())
        _, dets = detect(a, b, zones, params)
        s_all = score([d.polygon for d in dets], [g for g, _ in truth], min_iou)
        s_zone = score([d.polygon for d in dets if d.road_id], [g for g, z in truth if z], min_iou)
        total_all += s_all
        total_zone += s_zone
        per_pair.append({"pair": name, "all": s_all.as_dict(), "in_zone": s_zone.as_dict()})
    return {"min_iou": min_iou, "detector": params.version, "pairs": per_pair, "all": total_all.as_dict(),
            "in_zone": total_zone.as_dict()}
