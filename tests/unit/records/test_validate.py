"""One test per validation rule: a valid row passes; changing one cell gives that rule's reason."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from zhifa.records.schemas import GANTRY_PASS, GPS_POINT, STATIC_WEIGH, TOLL_TXN, WIM
from zhifa.records.validate import Context, parse_timestamp, validate
from zhifa.shared.clock import TZ

NOW = datetime(2022, 3, 1, 12, 0, tzinfo=TZ)
SITES = {
    "G0001": "gantry",
    "T0001": "toll_station",
    "T0002": "toll_station",
    "W0001": "wim",
    "C0001": "check_station",
}
CTX = Context(now=NOW, sites=SITES)

GANTRY = dict(
    record_id="g1",
    gantry_id="G0001",
    pass_time="2022-03-01T08:15:30+08:00",
    plate="豫A12345",
    plate_color="blue",
    vehicle_class="1",
    axle_count="2",
    direction="1",
    media="obu",
)
TOLL = dict(
    record_id="t1",
    station_id="T0001",
    lane="3",
    event="exit",
    event_time="2022-03-01T09:00:00+08:00",
    plate="豫HB7721",
    plate_color="yellow",
    vehicle_class="15",
    axle_count="5",
    gross_weight_kg="41000",
    entry_station_id="T0002",
    entry_time="2022-03-01T07:30:00+08:00",
)
WIM_ROW = dict(
    record_id="w1",
    site_id="W0001",
    measured_at="2022-03-01 10:00:00",
    plate="豫A88888",
    plate_color="yellow",
    axle_count="6",
    vehicle_kind="tractor_semitrailer",
    single_drive_axle="false",
    single_tyre_axles="0",
    gross_weight_kg="49000",
    axle_weights_kg="[7000, 9000, 9000, 8000, 8000, 8000]",
    speed_kmh="62.5",
    length_mm="16500",
    width_mm="2550",
    height_mm="3900",
    lane="1",
    evidence='["a.jpg", "b.mp4"]',
)
STATIC_ROW = dict(
    record_id="s1",
    station_id="C0001",
    measured_at="2022-03-01T10:30:00+08:00",
    plate="豫A88888",
    plate_color="yellow",
    axle_count="6",
    vehicle_kind="tractor_semitrailer",
    gross_weight_kg="52000",
    length_mm="16500",
    width_mm="2550",
    height_mm="3900",
    officer_id="o1",
)
GPS_ROW = dict(
    plate="豫A88888",
    plate_color="yellow",
    ts="2022-03-01T10:00:00+08:00",
    lon="113.6",
    lat="34.7",
    speed_kmh="80",
)

BASE = {
    "gantry_pass": (GANTRY_PASS, GANTRY),
    "toll_txn": (TOLL_TXN, TOLL),
    "wim": (WIM, WIM_ROW),
    "static_weigh": (STATIC_WEIGH, STATIC_ROW),
    "gps_point": (GPS_POINT, GPS_ROW),
}


def run(table: str, **changes: str | None):
    spec, row = BASE[table]
    frame = pl.DataFrame([{**row, **changes}], schema={c: pl.String for c in row})
    return validate(frame, spec, CTX)


def reason_of(table: str, **changes: str | None) -> str:
    res = run(table, **changes)
    assert res.bad.height == 1, f"expected the row to be refused, good={res.good.to_dicts()}"
    return res.bad["reason"][0]


@pytest.mark.parametrize("table", list(BASE))
def test_a_valid_row_of_each_table_passes(table):
    res = run(table)
    assert res.bad.height == 0, res.bad.to_dicts()
    assert res.good.height == 1


def test_plate_not_in_ga36_format_is_refused():
    assert "plate: 号牌不符合 GA 36" in reason_of("gantry_pass", plate="豫A1234")


def test_new_energy_plate_on_a_blue_plate_is_refused_but_on_green_passes():
    assert "plate:" in reason_of("gantry_pass", plate="豫AD12345", plate_color="blue")
    assert run("gantry_pass", plate="豫AD12345", plate_color="green").good.height == 1


def test_plate_is_normalised_before_it_is_stored():
    good = run("gantry_pass", plate=" 豫a 12345 ").good
    assert good["plate"][0] == "豫A12345"


def test_empty_plate_on_a_gantry_pass_is_kept_and_flagged_unrecognised():
    res = run("gantry_pass", plate="", plate_color="")
    assert res.bad.height == 0
    assert res.good["plate_unrecognised"][0] is True
    assert res.good["plate"][0] is None


def test_empty_plate_on_a_toll_txn_is_kept_and_flagged_unrecognised():
    assert run("toll_txn", plate="", plate_color="").good["plate_unrecognised"][0] is True


def test_empty_plate_on_a_wim_record_is_refused():
    assert "plate: 必填字段为空" in reason_of("wim", plate="")


def test_plate_colour_outside_the_allowed_set_is_refused():
    assert "plate_color: 号牌颜色不在允许范围" in reason_of("gantry_pass", plate_color="purple")


def test_plate_colour_national_code_is_read_as_its_name():
    assert run("gantry_pass", plate_color="1").good["plate_color"][0] == "yellow"


def test_vehicle_class_outside_jtt489_is_refused():
    assert "vehicle_class: 车型代码（JT/T 489）不在允许范围" in reason_of("gantry_pass", vehicle_class="5")


def test_vehicle_class_that_is_not_a_number_is_refused():
    assert "vehicle_class: 无法读作整数" in reason_of("gantry_pass", vehicle_class="客一")


@pytest.mark.parametrize(("cls", "axles"), [("13", "2"), ("11", "3"), ("16", "5"), ("1", "4"), ("25", "4")])
def test_axle_count_inconsistent_with_class_is_refused(cls, axles):
    assert "axle_count: 轴数与车型不符" in reason_of("gantry_pass", vehicle_class=cls, axle_count=axles)


@pytest.mark.parametrize(
    ("cls", "axles"), [("16", "6"), ("16", "7"), ("12", "2"), ("1", "2"), ("3", "3"), ("24", "4")]
)
def test_axle_count_consistent_with_class_passes(cls, axles):
    assert run("gantry_pass", vehicle_class=cls, axle_count=axles).bad.height == 0


def test_unknown_site_is_refused():
    assert "gantry_id: 站点不存在" in reason_of("gantry_pass", gantry_id="G9999")


def test_site_of_the_wrong_kind_is_refused():
    assert "gantry_id: 站点类型应为 gantry" in reason_of("gantry_pass", gantry_id="T0001")


def test_unknown_entry_station_on_an_exit_is_refused():
    assert "entry_station_id: 站点不存在" in reason_of("toll_txn", entry_station_id="T9999")


def test_unparseable_time_is_refused():
    assert "pass_time: 无法读作ISO 8601 时间" in reason_of("gantry_pass", pass_time="01/03/2022 08:15")


def test_time_in_the_future_beyond_the_tolerance_is_refused():
    assert "pass_time: 时间晚于当前时间" in reason_of("gantry_pass", pass_time="2022-03-01T12:30:00+08:00")


def test_time_slightly_in_the_future_is_within_the_tolerance():
    assert run("gantry_pass", pass_time="2022-03-01T12:10:00+08:00").bad.height == 0


def test_time_before_2015_is_refused():
    assert "pass_time: 时间早于2015-01-01" in reason_of("gantry_pass", pass_time="2014-12-31T23:59:59+08:00")


def test_naive_time_is_read_as_shanghai_and_offsets_are_honoured():
    s = pl.Series(
        ["2022-03-01 08:00:00", "2022-03-01T00:00:00Z", "2022-03-01T08:00:00.250+08:00", "2022-03-01"]
    )
    out = pl.DataFrame({"s": s}).select(parse_timestamp(pl.col("s")))["s"].to_list()
    assert out[0] == datetime(2022, 3, 1, 8, tzinfo=TZ)
    assert out[1] == datetime(2022, 3, 1, 8, tzinfo=TZ)
    assert out[2] == datetime(2022, 3, 1, 8, 0, 0, 250000, tzinfo=TZ)
    assert out[3] == datetime(2022, 3, 1, 0, tzinfo=TZ)


def test_negative_weight_is_refused():
    assert "gross_weight_kg: 重量不能为负" in reason_of("toll_txn", gross_weight_kg="-1")


def test_wim_gross_over_300_tonnes_is_refused():
    r = reason_of("wim", gross_weight_kg="300001", axle_weights_kg="[50000,50000,50000,50000,50000,50001]")
    assert "gross_weight_kg: 总重超过300吨" in r


def test_axle_weights_far_from_the_gross_are_refused():
    assert "各轴重之和与总重相差超过5%" in reason_of("wim", gross_weight_kg="60000")


def test_axle_weights_within_five_percent_pass():
    assert run("wim", gross_weight_kg="51000").bad.height == 0  # sum 49000, 3.9 % off


def test_axle_weights_that_are_not_a_json_list_are_refused():
    assert "axle_weights_kg: 轴重应为数字组成的 JSON 列表" in reason_of("wim", axle_weights_kg="7000;9000")


def test_axle_weights_count_different_from_axle_count_is_refused():
    assert "轴重个数与轴数不符" in reason_of("wim", axle_weights_kg="[9000, 20000, 20000]")


def test_event_outside_entry_exit_is_refused():
    assert "event: 事件不在允许范围" in reason_of("toll_txn", event="pass")


def test_media_outside_obu_cpc_is_refused():
    assert "media: 通行介质不在允许范围" in reason_of("gantry_pass", media="etc")


def test_direction_outside_1_2_is_refused():
    assert "direction: 方向不在允许范围" in reason_of("gantry_pass", direction="3")


def test_vehicle_kind_outside_the_three_kinds_is_refused():
    assert "vehicle_kind: 车辆类型不在允许范围" in reason_of("static_weigh", vehicle_kind="truck")


def test_gps_point_outside_henan_is_refused():
    assert "lon/lat: 坐标不在河南省范围内" in reason_of("gps_point", lon="121.47", lat="31.23")


def test_missing_required_field_is_refused():
    assert "record_id: 必填字段为空" in reason_of("gantry_pass", record_id="  ")


def test_every_reason_of_a_row_is_reported():
    r = reason_of("gantry_pass", media="etc", direction="9")
    assert "media:" in r and "direction:" in r


def test_native_parquet_dtypes_are_accepted():
    frame = pl.DataFrame(
        {
            **{k: [v] for k, v in GANTRY.items()},
            "pass_time": [datetime(2022, 3, 1, 8, 15, 30)],
            "vehicle_class": [1],
            "axle_count": [2],
            "direction": [1],
        }
    )
    res = validate(frame, GANTRY_PASS, CTX)
    assert res.bad.height == 0
    assert res.good["pass_time"][0] == datetime(2022, 3, 1, 8, 15, 30, tzinfo=TZ)
