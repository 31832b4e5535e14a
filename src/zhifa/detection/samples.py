"""Small record frames in exactly the schemas.md columns, for tests, parity checks and benchmarks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

from zhifa.detection.context import RECORD_TABLES, DetectContext, Registries
from zhifa.detection.engines import register_frame

COLUMNS: dict[str, list[str]] = {
    "gantry_pass": ["record_id", "gantry_id", "pass_time", "plate", "plate_color", "vehicle_class", "axle_count",
                    "direction", "media"],
    "toll_txn": ["record_id", "station_id", "lane", "event", "event_time", "plate", "plate_color", "vehicle_class",
                 "axle_count", "gross_weight_kg", "entry_station_id", "entry_time"],
    "wim": ["record_id", "site_id", "measured_at", "plate", "plate_color", "axle_count", "vehicle_kind",
            "single_drive_axle", "single_tyre_axles", "gross_weight_kg", "axle_weights_kg", "speed_kmh", "length_mm",
            "width_mm", "height_mm", "lane", "evidence"],
    "static_weigh": ["record_id", "station_id", "measured_at", "plate", "plate_color", "axle_count", "vehicle_kind",
                     "gross_weight_kg", "length_mm", "width_mm", "height_mm", "officer_id"],
    "gps_point": ["plate", "plate_color", "ts", "lon", "lat", "speed_kmh"],
}

DTYPES: dict[str, str] = {
    "vehicle_class": "Int64", "axle_count": "Int64", "direction": "Int64", "gross_weight_kg": "Int64",
    "length_mm": "Int64", "width_mm": "Int64", "height_mm": "Int64", "single_tyre_axles": "Int64",
    "speed_kmh": "float64", "lon": "float64", "lat": "float64",
}
TIME_COLUMNS = {"pass_time", "event_time", "entry_time", "measured_at", "ts"}


def gantry(record_id: str, site: str, t: datetime, plate: str, color: str = "blue", vclass: int = 1,
           axles: int | None = 2) -> dict[str, Any]:
    return dict(record_id=record_id, gantry_id=site, pass_time=t, plate=plate, plate_color=color,
                vehicle_class=vclass, axle_count=axles, direction=1, media="obu")


def toll(record_id: str, station: str, event: str, t: datetime, plate: str, color: str = "blue", vclass: int = 1,
         axles: int | None = 2, gross: int | None = None) -> dict[str, Any]:
    return dict(record_id=record_id, station_id=station, lane="1", event=event, event_time=t, plate=plate,
                plate_color=color, vehicle_class=vclass, axle_count=axles, gross_weight_kg=gross,
                entry_station_id=None, entry_time=None)


def wim(record_id: str, site: str, t: datetime, plate: str, color: str = "yellow", axles: int = 6,
        gross: int = 40000, length: int | None = 17000, width: int | None = 2500, height: int | None = 3900) -> dict:
    return dict(record_id=record_id, site_id=site, measured_at=t, plate=plate, plate_color=color, axle_count=axles,
                vehicle_kind="tractor_semitrailer", single_drive_axle=False, single_tyre_axles=0,
                gross_weight_kg=gross, axle_weights_kg=json.dumps([gross // axles] * axles), speed_kmh=60.0,
                length_mm=length, width_mm=width, height_mm=height, lane="1", evidence="[]")


def static(record_id: str, station: str, t: datetime, plate: str, color: str = "yellow", axles: int = 6,
           gross: int = 40000, length: int = 17000, width: int = 2500, height: int = 3900) -> dict:
    return dict(record_id=record_id, station_id=station, measured_at=t, plate=plate, plate_color=color,
                axle_count=axles, vehicle_kind="tractor_semitrailer", gross_weight_kg=gross, length_mm=length,
                width_mm=width, height_mm=height, officer_id="o1")


def gps(plate: str, t: datetime, color: str = "yellow", lon: float = 113.6, lat: float = 34.7) -> dict:
    return dict(plate=plate, plate_color=color, ts=t, lon=lon, lat=lat, speed_kmh=70.0)


def arrow_schema(table: str) -> Any:
    import pyarrow as pa

    fields = []
    for c in COLUMNS[table]:
        if c in TIME_COLUMNS:
            typ = pa.timestamp("us", tz="UTC")
        elif DTYPES.get(c) == "Int64":
            typ = pa.int64()
        elif DTYPES.get(c) == "float64":
            typ = pa.float64()
        elif c == "single_drive_axle":
            typ = pa.bool_()
        else:
            typ = pa.string()
        fields.append(pa.field(c, typ))
    return pa.schema(fields)


def arrow(table: str, rows: Iterable[dict[str, Any]]) -> Any:
    """Rows → a pyarrow Table with the schemas.md columns and types (null columns keep their type)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame(table, rows), schema=arrow_schema(table), preserve_index=False)


def frame(table: str, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=COLUMNS[table])
    for c in df.columns:
        if c in TIME_COLUMNS:
            df[c] = pd.to_datetime(df[c], utc=True)
        elif c in DTYPES:
            df[c] = df[c].astype(DTYPES[c])
        elif c == "single_drive_axle":
            df[c] = df[c].astype("boolean")
        else:
            df[c] = df[c].astype("string").astype(object).where(df[c].notna(), None)
    return df


def context(con: Any, day: date, registries: Registries, history_days: int = 1, **rows: list[dict]) -> DetectContext:
    """A detector context over hand-made rows (one list per record table) registered on `con`."""
    tables: dict[str, Any] = {}
    for table in RECORD_TABLES:
        if table in rows:
            tables[table] = register_frame(con, f"t_{table}", arrow(table, rows[table]))
        else:
            tables[table] = None
    return DetectContext(day=day, tables=tables, registries=registries, history=tables if history_days > 1 else {},
                         history_days=history_days)
