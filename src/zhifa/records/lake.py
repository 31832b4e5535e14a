"""The record lake: `<lake_dir>/<table>/day=YYYY-MM-DD/part-<batch>.parquet`.

The day is the record's event time in Asia/Shanghai. A part file is written to a hidden temporary
name and renamed into place, so readers never see half a file and a failed write leaves nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import polars as pl

from zhifa.records.schemas import RECORD_TABLES, TZ_NAME, TableSpec

DAY = "day"


def table_dir(lake_dir: Path, table: str) -> Path:
    return Path(lake_dir) / table


def day_dir(lake_dir: Path, table: str, day: date) -> Path:
    return table_dir(lake_dir, table) / f"{DAY}={day.isoformat()}"


def list_days(lake_dir: Path, table: str) -> list[date]:
    """Days holding at least one part file, oldest first."""
    root = table_dir(lake_dir, table)
    if not root.is_dir():
        return []
    out = []
    for d in root.iterdir():
        if d.is_dir() and d.name.startswith(f"{DAY}=") and any(d.glob("part-*.parquet")):
            try:
                out.append(date.fromisoformat(d.name.split("=", 1)[1]))
            except ValueError:
                continue
    return sorted(out)


def part_files(lake_dir: Path, table: str, days: Iterable[date] | None = None) -> list[Path]:
    root = table_dir(lake_dir, table)
    if days is None:
        return sorted(root.glob(f"{DAY}=*/part-*.parquet"))
    out: list[Path] = []
    for d in days:
        out.extend(sorted(day_dir(lake_dir, table, d).glob("part-*.parquet")))
    return out


def _with_day(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    assert spec.time_column
    return frame.with_columns(pl.col(spec.time_column).dt.convert_time_zone(TZ_NAME).dt.date().alias(DAY))


def conform(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Exactly the lake columns, in order and with the lake dtypes (missing platform columns null)."""
    exprs = []
    for name, dtype in spec.lake_schema.items():
        if name in frame.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype).alias(name))
    return frame.select(exprs)


def stage_batch(
    lake_dir: Path, spec: TableSpec, frame: pl.DataFrame, batch_id: str
) -> list[tuple[Path, Path]]:
    """Write one part file per day to a temporary name; return (temp, final) pairs to `publish`.

    On any error the temporary files already written are removed and the error re-raised.
    """
    if frame.height == 0:
        return []
    staged: list[tuple[Path, Path]] = []
    try:
        framed = _with_day(frame, spec)
        for (day,), part in framed.partition_by(DAY, as_dict=True, maintain_order=True).items():
            d = day_dir(lake_dir, spec.name, day)
            d.mkdir(parents=True, exist_ok=True)
            final = d / f"part-{batch_id}.parquet"
            tmp = d / f".tmp-part-{batch_id}.parquet"
            conform(part.drop(DAY), spec).write_parquet(tmp, compression="snappy", statistics=True)
            staged.append((tmp, final))
    except BaseException:
        discard(staged)
        raise
    return staged


def publish(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Rename staged files into place (atomic per file on one filesystem)."""
    out = []
    for tmp, final in staged:
        os.replace(tmp, final)
        out.append(final)
    return out


def discard(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _final in staged:
        tmp.unlink(missing_ok=True)


def unpublish(files: Iterable[Path]) -> None:
    for f in files:
        Path(f).unlink(missing_ok=True)


def write_batch(lake_dir: Path, spec: TableSpec, frame: pl.DataFrame, batch_id: str) -> list[Path]:
    """Write typed rows of one table as a batch (one part per day); returns the files written."""
    return publish(stage_batch(lake_dir, spec, frame, batch_id))


def scan(lake_dir: Path, table: str, days: Iterable[date] | None = None) -> pl.LazyFrame:
    """A Polars lazy frame over the table (with the `day` column); empty with the right schema if none."""
    spec = RECORD_TABLES[table]
    files = part_files(lake_dir, table, days)
    schema = {**spec.lake_schema, DAY: pl.Date()}
    if not files:
        return pl.DataFrame(schema=schema).lazy()
    return pl.scan_parquet(
        [str(f) for f in files],
        hive_partitioning=True,
        hive_schema={DAY: pl.Date()},
        missing_columns="insert",
        extra_columns="ignore",
        schema={k: v for k, v in spec.lake_schema.items()},
    )


def read(lake_dir: Path, table: str, days: Iterable[date] | None = None) -> pl.DataFrame:
    return scan(lake_dir, table, days).collect()


def duckdb_source(lake_dir: Path, table: str) -> str:
    """The DuckDB table function over a table's files, e.g. for `con.sql(f"select … from {src}")`."""
    glob = (table_dir(lake_dir, table) / f"{DAY}=*" / "part-*.parquet").as_posix().replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning=true, union_by_name=true)"


def read_duckdb(lake_dir: Path, table: str, con=None) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """The table read through DuckDB (hive partitions), as a Polars frame."""
    import duckdb

    if not part_files(lake_dir, table):
        return read(lake_dir, table)
    own = con is None
    con = con or duckdb.connect()
    try:
        con.sql("SET TimeZone='Asia/Shanghai'")
        return con.sql(f"select * from {duckdb_source(lake_dir, table)}").pl()
    finally:
        if own:
            con.close()
