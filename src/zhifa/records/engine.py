"""The analytics engine: an Ibis backend over the lake, DuckDB by default, Spark for the same expressions.

`connect(lake_dir)` registers every lake table that has files (`gantry_pass`, `toll_txn`, …) with
its hive `day` partition column, so detectors write one Ibis expression and run it on either engine.
Both engines run their sessions in UTC (ibis forces UTC on Spark), so the same expression gives
the same answer; for Shanghai wall-clock hours use `local_time(t.pass_time).hour()` (China has had
no daylight saving since 1991: local time is UTC+8). The `day` partition is the Shanghai day already.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhifa.records import lake
from zhifa.records.schemas import RECORD_TABLES

UTC_OFFSET_HOURS = 8  # Asia/Shanghai, fixed since 1991

ENGINES = ("duckdb", "spark")


def _glob(lake_dir: Path, table: str) -> str:
    return (lake.table_dir(lake_dir, table) / f"{lake.DAY}=*" / "part-*.parquet").as_posix()


def connect_duckdb(lake_dir: Path) -> Any:
    import ibis

    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone='UTC'")
    registered = []
    for table in RECORD_TABLES:
        if lake.part_files(lake_dir, table):
            con.read_parquet(
                _glob(lake_dir, table), table_name=table, hive_partitioning=True, union_by_name=True
            )
            registered.append(table)
    con.zhifa_tables = registered
    return con


@lru_cache(maxsize=1)
def spark_session() -> Any:
    """One local Spark session per process (start-up costs 4–10 s), built on first use."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    warehouse = tempfile.mkdtemp(prefix="zhifa-spark-warehouse-")
    return (
        SparkSession.builder.master("local[2]")
        .appName("zhifa")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
        .getOrCreate()
    )


def connect_spark(lake_dir: Path) -> Any:
    import ibis

    session = spark_session()
    con = ibis.pyspark.connect(session)
    registered = []
    for table in RECORD_TABLES:
        if lake.part_files(lake_dir, table):
            # Spark discovers `day=` directories itself when given the table directory
            df = session.read.option("basePath", str(lake.table_dir(lake_dir, table))).parquet(
                _glob(lake_dir, table)
            )
            df.createOrReplaceTempView(table)
            registered.append(table)
    con.zhifa_tables = registered
    return con


def connect(lake_dir: Path, engine: str = "duckdb") -> Any:
    """An Ibis backend with the lake tables registered; `con.table("gantry_pass")` to start."""
    if engine == "duckdb":
        return connect_duckdb(Path(lake_dir))
    if engine == "spark":
        return connect_spark(Path(lake_dir))
    raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")


def tables(con: Any) -> list[str]:
    """The lake tables registered by `connect` (ibis 12's list_tables breaks on DuckDB 2.x)."""
    return list(getattr(con, "zhifa_tables", []))


def local_time(ts: Any) -> Any:
    """An Ibis timestamp expression shifted to Shanghai wall-clock time (for hour/day extraction)."""
    import ibis

    return ts + ibis.interval(hours=UTC_OFFSET_HOURS)
