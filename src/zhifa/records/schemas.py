"""The record tables of the ingest contract (shared/schemas.md) as column specs.

Each table is a list of `Column`s in contract order with the Polars dtype it has in the lake.
Files are recognised by their exact column set; the only extra columns a file may carry are the
documented platform columns (`PLATFORM_COLUMNS`), so that a file exported from the lake loads again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

TZ_NAME = "Asia/Shanghai"
TS = pl.Datetime("us", TZ_NAME)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | int | float | bool | ts | json_list
    nullable: bool = False

    @property
    def dtype(self) -> pl.DataType:
        return {
            "str": pl.String(),
            "int": pl.Int64(),
            "float": pl.Float64(),
            "bool": pl.Boolean(),
            "ts": TS,
            "json_list": pl.String(),
        }[self.kind]


@dataclass(frozen=True)
class TableSpec:
    name: str
    label_zh: str
    columns: tuple[Column, ...]
    time_column: str | None
    natural_key: tuple[str, ...]
    # columns the platform adds in the lake (documented; a file may carry them too)
    platform_columns: tuple[Column, ...] = field(default=())
    kind: str = "record"  # record | registry

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns + self.platform_columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def lake_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns + self.platform_columns}


def _c(name: str, kind: str = "str", nullable: bool = False) -> Column:
    return Column(name, kind, nullable)


# Platform columns added by ingest (documented here: the only extras a record file may carry).
BATCH_ID = _c("batch_id", "str", True)  # the ingest batch that brought the row
PLATE_UNRECOGNISED = _c("plate_unrecognised", "bool", True)  # empty plate (未识别) on gantry/toll rows

GANTRY_PASS = TableSpec(
    name="gantry_pass",
    label_zh="门架通行记录",
    columns=(
        _c("record_id"),
        _c("gantry_id"),
        _c("pass_time", "ts"),
        _c("plate", "str", True),
        _c("plate_color", "str", True),
        _c("vehicle_class", "int"),
        _c("axle_count", "int", True),
        _c("direction", "int"),
        _c("media"),
    ),
    time_column="pass_time",
    natural_key=("record_id",),
    platform_columns=(PLATE_UNRECOGNISED, BATCH_ID),
)

TOLL_TXN = TableSpec(
    name="toll_txn",
    label_zh="收费站出入口记录",
    columns=(
        _c("record_id"),
        _c("station_id"),
        _c("lane", "str", True),
        _c("event"),
        _c("event_time", "ts"),
        _c("plate", "str", True),
        _c("plate_color", "str", True),
        _c("vehicle_class", "int"),
        _c("axle_count", "int", True),
        _c("gross_weight_kg", "int", True),
        _c("entry_station_id", "str", True),
        _c("entry_time", "ts", True),
    ),
    time_column="event_time",
    natural_key=("record_id",),
    platform_columns=(PLATE_UNRECOGNISED, BATCH_ID),
)

WIM = TableSpec(
    name="wim",
    label_zh="非现场执法点称重记录",
    columns=(
        _c("record_id"),
        _c("site_id"),
        _c("measured_at", "ts"),
        _c("plate"),
        _c("plate_color"),
        _c("axle_count", "int"),
        _c("vehicle_kind"),
        _c("single_drive_axle", "bool", True),
        _c("single_tyre_axles", "int", True),
        _c("gross_weight_kg", "int"),
        _c("axle_weights_kg", "json_list"),
        _c("speed_kmh", "float"),
        _c("length_mm", "int", True),
        _c("width_mm", "int", True),
        _c("height_mm", "int", True),
        _c("lane", "str", True),
        _c("evidence", "json_list", True),
    ),
    time_column="measured_at",
    natural_key=("record_id",),
    platform_columns=(BATCH_ID,),
)

STATIC_WEIGH = TableSpec(
    name="static_weigh",
    label_zh="超限检测站复检记录",
    columns=(
        _c("record_id"),
        _c("station_id"),
        _c("measured_at", "ts"),
        _c("plate"),
        _c("plate_color"),
        _c("axle_count", "int"),
        _c("vehicle_kind"),
        _c("gross_weight_kg", "int"),
        _c("length_mm", "int", True),
        _c("width_mm", "int", True),
        _c("height_mm", "int", True),
        _c("officer_id", "str", True),
    ),
    time_column="measured_at",
    natural_key=("record_id",),
    platform_columns=(BATCH_ID,),
)

GPS_POINT = TableSpec(
    name="gps_point",
    label_zh="动态监控定位点",
    columns=(
        _c("plate"),
        _c("plate_color"),
        _c("ts", "ts"),
        _c("lon", "float"),
        _c("lat", "float"),
        _c("speed_kmh", "float", True),
    ),
    time_column="ts",
    natural_key=("plate", "plate_color", "ts"),
    platform_columns=(BATCH_ID,),
)

RECORD_TABLES: dict[str, TableSpec] = {
    t.name: t for t in (GANTRY_PASS, TOLL_TXN, WIM, STATIC_WEIGH, GPS_POINT)
}

# Which column of a record table names a site, and the site kind it must be (org.Site.kind).
SITE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "gantry_pass": (("gantry_id", "gantry"),),
    "toll_txn": (("station_id", "toll_station"), ("entry_station_id", "toll_station")),
    "wim": (("site_id", "wim"),),
    "static_weigh": (("station_id", "check_station"),),
    "gps_point": (),
}


def identify(columns: Iterable[str], specs: Iterable[TableSpec]) -> TableSpec | None:
    """The spec whose contract columns equal the file's columns, apart from documented platform columns."""
    cols = {c.strip() for c in columns}
    for spec in specs:
        extras = {c.name for c in spec.platform_columns}
        if set(spec.column_names) <= cols and cols - set(spec.column_names) <= extras:
            return spec
    return None


def identify_record_table(columns: Iterable[str]) -> TableSpec | None:
    return identify(columns, RECORD_TABLES.values())


def closest(columns: Iterable[str], specs: Iterable[TableSpec]) -> tuple[TableSpec, set[str], set[str]]:
    """The spec sharing most columns with the file, with (missing, unexpected) columns: for messages."""
    cols = {c.strip() for c in columns}
    best = max(specs, key=lambda s: len(cols & set(s.column_names)))
    allowed = set(best.column_names) | {c.name for c in best.platform_columns}
    return best, set(best.column_names) - cols, cols - allowed
