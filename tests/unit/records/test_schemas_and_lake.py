"""Table identification by columns, natural keys, and the day-partitioned lake."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from zhifa.records import lake
from zhifa.records.schemas import GANTRY_PASS, GPS_POINT, RECORD_TABLES, identify_record_table
from zhifa.records.validate import Context, validate
from zhifa.shared.clock import TZ


@pytest.mark.parametrize("name", sorted(RECORD_TABLES))
def test_each_table_is_identified_by_its_exact_columns_in_any_order(name):
    cols = list(reversed(RECORD_TABLES[name].column_names))
    assert identify_record_table(cols).name == name


def test_a_missing_column_identifies_no_table():
    assert identify_record_table(GANTRY_PASS.column_names[:-1]) is None


def test_an_undocumented_extra_column_identifies_no_table():
    assert identify_record_table([*GANTRY_PASS.column_names, "remark"]) is None


def test_documented_platform_columns_are_allowed():
    assert identify_record_table([*GANTRY_PASS.column_names, "batch_id", "plate_unrecognised"]) is GANTRY_PASS


def test_natural_keys():
    assert GANTRY_PASS.natural_key == ("record_id",)
    assert GPS_POINT.natural_key == ("plate", "plate_color", "ts")


def _good(times):
    n = len(times)
    frame = pl.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(n)],
            "gantry_id": ["G1"] * n,
            "pass_time": times,
            "plate": ["豫A12345"] * n,
            "plate_color": ["blue"] * n,
            "vehicle_class": ["1"] * n,
            "axle_count": ["2"] * n,
            "direction": ["1"] * n,
            "media": ["obu"] * n,
        }
    )
    return validate(frame, GANTRY_PASS, Context(now=datetime(2022, 3, 5, tzinfo=TZ))).good


def test_batches_are_partitioned_by_the_shanghai_day_of_the_event(tmp_path):
    # 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai
    good = _good(["2022-03-01T08:00:00+08:00", "2022-03-01T23:30:00Z", "2022-03-01T23:59:59"])
    files = lake.write_batch(tmp_path, GANTRY_PASS, good, "b1")
    assert sorted(f.parent.name for f in files) == ["day=2022-03-01", "day=2022-03-02"]
    assert lake.list_days(tmp_path, "gantry_pass") == [date(2022, 3, 1), date(2022, 3, 2)]
    by_day = lake.read(tmp_path, "gantry_pass").group_by("day").len().sort("day")
    assert by_day.rows() == [(date(2022, 3, 1), 2), (date(2022, 3, 2), 1)]


def test_polars_and_duckdb_read_the_same_rows(tmp_path):
    lake.write_batch(
        tmp_path, GANTRY_PASS, _good(["2022-03-01T08:00:00+08:00", "2022-03-02T09:00:00+08:00"]), "b1"
    )
    lake.write_batch(
        tmp_path, GANTRY_PASS, _good(["2022-03-02T10:00:00+08:00"]).with_columns(record_id=pl.lit("x")), "b2"
    )
    a = lake.read(tmp_path, "gantry_pass").sort("record_id")
    b = lake.read_duckdb(tmp_path, "gantry_pass").sort("record_id")
    assert a.select("record_id", "day").rows() == b.select("record_id", "day").rows()
    assert a["pass_time"].to_list() == b["pass_time"].to_list()


def test_reading_an_empty_table_gives_the_schema(tmp_path):
    out = lake.read(tmp_path, "wim")
    assert out.height == 0 and "measured_at" in out.columns


def test_a_failed_write_leaves_no_files(tmp_path, monkeypatch):
    good = _good(["2022-03-01T08:00:00+08:00", "2022-03-02T08:00:00+08:00"])
    calls = {"n": 0}
    real = pl.DataFrame.write_parquet

    def flaky(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(self, *a, **k)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", flaky)
    with pytest.raises(OSError):
        lake.write_batch(tmp_path, GANTRY_PASS, good, "b1")
    assert list(tmp_path.rglob("*.parquet")) == []
