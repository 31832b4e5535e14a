"""The same Ibis expressions give the same answers on DuckDB and on Spark over one sample lake."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import polars as pl
import pytest

from zhifa.records import engine, lake
from zhifa.records.schemas import GANTRY_PASS
from zhifa.records.validate import Context, validate
from zhifa.shared.clock import TZ


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory):
    rng = random.Random(7)
    root = tmp_path_factory.mktemp("lake")
    start = datetime(2022, 3, 1, 0, 0, tzinfo=TZ)
    rows = []
    for i in range(3000):
        t = start + timedelta(seconds=rng.randrange(0, 3 * 86400))
        plate = f"豫{rng.choice('ABCD')}{rng.randrange(10000, 10400)}"
        rows.append(
            dict(
                record_id=f"r{i}",
                gantry_id=f"G{rng.randrange(1, 9)}",
                pass_time=t.isoformat(),
                plate="" if rng.random() < 0.03 else plate,
                plate_color="blue",
                vehicle_class="1",
                axle_count="2",
                direction=str(rng.choice((1, 2))),
                media=rng.choice(("obu", "cpc")),
            )
        )
    good = validate(pl.DataFrame(rows), GANTRY_PASS, Context(now=start + timedelta(days=10))).good
    # three batches so that days have several part files
    parts = good.with_row_index("i").with_columns(k=pl.col("i") % 3).partition_by("k", as_dict=False)
    for k, part in enumerate(parts):
        lake.write_batch(root, GANTRY_PASS, part.drop("i", "k"), f"b{k}")
    return root


def passes_per_gantry_hour(t):
    return (
        t.group_by(gantry_id=t.gantry_id, day=t.day, hour=engine.local_time(t.pass_time).hour())
        .agg(passes=t.count(), obu=(t.media == "obu").sum())
        .order_by(["gantry_id", "day", "hour"])
    )


def plates_per_day(t):
    return t.filter(t.plate.notnull()).group_by("day").agg(plates=t.plate.nunique()).order_by("day")


def _run(con, build):
    return build(con.table("gantry_pass")).to_pyarrow().to_pylist()


@pytest.mark.spark
def test_duckdb_and_spark_give_identical_results(sample_lake):
    duck = engine.connect(sample_lake, "duckdb")
    spark = engine.connect(sample_lake, "spark")
    for build in (passes_per_gantry_hour, plates_per_day):
        a, b = _run(duck, build), _run(spark, build)
        assert a == b, build.__name__
        assert len(a) > 0
    total = _run(duck, lambda t: t.aggregate(n=t.count()))
    assert total == [{"n": 3000}]
    # hours are Shanghai hours on both engines: the polars reading of the lake agrees
    ref = (
        lake.read(sample_lake, "gantry_pass")
        .group_by("gantry_id", "day", pl.col("pass_time").dt.hour().alias("hour"))
        .len()
        .sort("gantry_id", "day", "hour")
    )
    assert [r["passes"] for r in _run(duck, passes_per_gantry_hour)] == ref["len"].to_list()


def test_duckdb_engine_registers_only_tables_with_files(sample_lake):
    con = engine.connect(sample_lake, "duckdb")
    assert engine.tables(con) == ["gantry_pass"]
    with pytest.raises(ValueError):
        engine.connect(sample_lake, "clickhouse")
