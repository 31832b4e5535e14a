"""Remote-sensing change detection: refusals before any work, polygon matching, precision/recall on
three small generated pairs, block seams."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from zhifa.roads import changes, synth
from zhifa.shared.errors import ValidationFailed


def _tif(path: Path, *, size=(64, 64), crs="EPSG:32649", origin=(742_000.0, 3_844_000.0), res=1.0,
         dtype="uint8") -> Path:
    with rasterio.open(path, "w", driver="GTiff", width=size[0], height=size[1], count=1, dtype=dtype, crs=crs,
                       transform=from_origin(origin[0], origin[1], res, res)) as ds:
        ds.write(np.full((size[1], size[0]), 100, dtype=dtype), 1)
    return path


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pairs")
    synth.generate_pairs(out, n=3, size=512, seed=1)
    return out


def test_a_co_registered_pair_passes_the_checks(tmp_path):
    info = changes.check_pair(_tif(tmp_path / "a.tif"), _tif(tmp_path / "b.tif"))
    assert (info.width, info.height, info.crs) == (64, 64, "EPSG:32649")


@pytest.mark.parametrize(("kw", "reason"), [
    ({"crs": "EPSG:32650"}, "坐标参考系不同"),
    ({"res": 0.5}, "分辨率不同"),
    ({"origin": (742_010.0, 3_844_000.0)}, "范围不同"),
    ({"size": (64, 65)}, "范围不同"),
    ({"crs": "EPSG:4326", "origin": (113.6, 34.7), "res": 0.00001}, "投影坐标系"),
    ({"dtype": "float32"}, "像素类型"),
])
def test_pairs_that_are_not_co_registered_are_refused_with_the_reason(tmp_path, kw, reason):
    a = _tif(tmp_path / "a.tif")
    b = _tif(tmp_path / "b.tif", **kw)
    with pytest.raises(ValidationFailed, match=reason):
        changes.check_pair(a, b)


def test_missing_crs_is_refused(tmp_path):
    a = _tif(tmp_path / "a.tif")
    b = tmp_path / "b.tif"
    with rasterio.open(b, "w", driver="GTiff", width=64, height=64, count=1, dtype="uint8") as ds:
        ds.write(np.zeros((64, 64), np.uint8), 1)
    with pytest.raises(ValidationFailed, match="没有坐标参考系"):
        changes.check_pair(a, b)


def test_corrupt_and_truncated_files_are_refused(tmp_path):
    a = _tif(tmp_path / "a.tif", size=(600, 600))
    junk = tmp_path / "junk.tif"
    junk.write_bytes(b"II*\x00" + b"\x00garbage" * 50)
    with pytest.raises(ValidationFailed, match="无法读取"):
        changes.check_pair(a, junk)
    cut = tmp_path / "cut.tif"
    data = a.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValidationFailed, match="无法读取"):
        changes.check_pair(a, cut)
    with pytest.raises(ValidationFailed, match="不存在"):
        changes.check_pair(a, tmp_path / "nothing.tif")


def test_images_over_the_size_limit_are_refused_before_any_work(tmp_path):
    a = _tif(tmp_path / "a.tif", size=(200, 200))
    b = _tif(tmp_path / "b.tif", size=(200, 200))
    with pytest.raises(ValidationFailed, match="过大"):
        changes.check_pair(a, b, changes.DetectParams(max_pixels=10_000))
    with pytest.raises(ValidationFailed, match="过大"):
        changes.check_pair(a, b, changes.DetectParams(max_bytes=1_000))
    with pytest.raises(ValidationFailed, match="过大"):
        changes.detect(a, b, params=changes.DetectParams(max_pixels=10_000))


def test_scoring_matches_one_to_one_at_iou_half():
    truth = [box(0, 0, 10, 10), box(20, 0, 30, 10), box(50, 50, 60, 60)]
    det = [box(1, 0, 11, 10), box(0, 0, 10, 10), box(20, 0, 24, 10), box(100, 100, 110, 110)]
    s = changes.score(det, truth)
    # (0,0,10,10) matches exactly; (1,0,11,10) overlaps the same truth but it is taken; (20..24) IoU 0.4
    assert (s.tp, s.fp, s.fn) == (1, 3, 2)
    assert s.precision == pytest.approx(0.25)
    assert s.recall == pytest.approx(1 / 3)


def test_precision_and_recall_on_three_generated_pairs_reach_the_target(pairs):
    rep = changes.score_pairs(pairs)
    assert len(rep["pairs"]) == 3
    truth_total = rep["all"]["tp"] + rep["all"]["fn"]
    assert truth_total >= 30  # the generator planted buildings to find
    assert rep["all"]["precision"] >= 0.9 and rep["all"]["recall"] >= 0.9
    assert rep["in_zone"]["precision"] >= 0.9 and rep["in_zone"]["recall"] >= 0.9


def test_a_pair_without_change_yields_no_structures(tmp_path):
    p = synth.PairParams(size=256, seed=5, new_per_km2=0.0)
    synth.write_pair(tmp_path, p, name="same")
    # the generator plants at least 4 new buildings; remove them by using the before image twice
    _, dets = changes.detect(tmp_path / "same_A.tif", tmp_path / "same_A.tif")
    assert dets == []


def test_small_blocks_merge_pieces_cut_by_seams(pairs):
    a, b = pairs / "pair01_A.tif", pairs / "pair01_B.tif"
    _, whole = changes.detect(a, b, params=changes.DetectParams(block=1024))
    _, tiled = changes.detect(a, b, params=changes.DetectParams(block=256))
    truth = [g for g, _ in changes.load_truth(pairs / "pair01_truth.geojson")]
    s_whole, s_tiled = changes.score([d.polygon for d in whole], truth), changes.score([d.polygon for d in tiled], truth)
    assert s_tiled.recall >= 0.9
    assert abs(len(tiled) - len(whole)) <= 1
    assert s_tiled.tp >= s_whole.tp - 1


def test_detections_in_a_zone_carry_the_road_and_where(pairs):
    zones = changes.zones_from_pair_roads(pairs / "pair02_roads.geojson", date(2022, 4, 20))
    _, dets = changes.detect(pairs / "pair02_A.tif", pairs / "pair02_B.tif", zones)
    kept = [d for d in dets if d.road_id]
    assert kept and all(d.where in ("road_land", "control_zone") for d in kept)
    assert any(d.road_id is None for d in dets)  # buildings planted away from the road are not kept


def test_chips_are_png_images(pairs):
    _, dets = changes.detect(pairs / "pair01_A.tif", pairs / "pair01_B.tif")
    before, after = changes.chips(pairs / "pair01_A.tif", pairs / "pair01_B.tif", dets[0].polygon)
    assert before.startswith(b"\x89PNG") and after.startswith(b"\x89PNG") and before != after
