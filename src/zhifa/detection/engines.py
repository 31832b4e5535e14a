"""Open the record lake on an analytics engine (DuckDB or Spark local) for a set of days.

Only the part files of the requested days are read. Two layouts are accepted: the lake's own
`<table>/day=YYYY-MM-DD/part-*.parquet` and the simulator's `<table>/YYYY-MM-DD.parquet`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import ibis

from zhifa.detection.context import RECORD_TABLES


def day_files(lake_dir: Path, table: str, days: Iterable[date]) -> list[str]:
    root = Path(lake_dir) / table
    out: list[str] = []
    for d in days:
        out.extend(str(p) for p in sorted((root / f"day={d.isoformat()}").glob("*.parquet")))
        flat = root / f"{d.isoformat()}.parquet"
        if flat.exists():
            out.append(str(flat))
    return out


_SPARK: Any = None


def spark_session() -> Any:
    """One local Spark session per process (start-up costs seconds)."""
    global _SPARK
    if _SPARK is None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        wh = tempfile.mkdtemp(prefix="zhifa-spark-wh-")
        _SPARK = (
            SparkSession.builder.master("local[2]")
            .appName("zhifa-detect")
            .config("spark.sql.warehouse.dir", wh)
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
    return _SPARK


def connect(engine: str = "duckdb") -> Any:
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        # Ibis compiles epoch_seconds via a cast to a naive timestamp; in UTC that cast is exact
        con.raw_sql("SET TimeZone='UTC'")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown engine {engine}")


def register_frame(con: Any, name: str, frame: Any) -> Any:
    """Put an in-memory (pandas) frame into the backend as table `name` (tests, samples)."""
    if con.name == "pyspark":
        spark = con._session  # noqa: SLF001
        spark.createDataFrame(frame).createOrReplaceTempView(name)
        return con.table(name)
    return con.create_table(name, frame, overwrite=True)


def open_tables(con: Any, lake_dir: Path, days: Iterable[date], prefix: str = "") -> dict[str, Any]:
    """Record tables of those days on `con`; a table with no files is None."""
    days = list(days)
    out: dict[str, Any] = {}
    for table in RECORD_TABLES:
        files = day_files(lake_dir, table, days)
        name = f"{prefix}{table}"
        if not files:
            out[table] = None
            continue
        if con.name == "pyspark":
            spark = con._session  # noqa: SLF001
            spark.read.option("mergeSchema", "true").parquet(*files).createOrReplaceTempView(name)
            out[table] = con.table(name)
        else:
            out[table] = con.read_parquet(files, table_name=name, union_by_name=True)
    return out
