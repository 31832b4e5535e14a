"""What a detector run sees: the record tables (Ibis), the day, and the registries it needs.

Registries are small (thousands of rows) and are handed to the detectors as plain Python objects; the
record tables (millions of rows) stay in the analytics engine until the last aggregation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import ibis.expr.types as ir

from zhifa.shared.clock import TZ

RECORD_TABLES = ("gantry_pass", "toll_txn", "wim", "static_weigh", "gps_point")


@dataclass(frozen=True)
class SiteInfo:
    site_id: str
    kind: str
    name: str
    unit_code: str
    city_code: str
    city_name: str = ""
    lon: float | None = None
    lat: float | None = None
    road: str | None = None
    functions: tuple[str, ...] = ()

    @property
    def is_border(self) -> bool:
        return any(f in {"border", "province_border", "省界"} for f in self.functions)


@dataclass(frozen=True)
class VehicleInfo:
    plate: str
    plate_color: str
    vehicle_class: int | None = None
    use: str | None = None  # operating | non_operating
    enterprise_id: str | None = None
    enterprise_kind: str | None = None  # transport | passenger | hazmat | ride_hailing_platform | …
    axle_count: int | None = None
    vehicle_kind: str | None = None


@dataclass(frozen=True)
class WhitelistEntry:
    plate: str
    plate_color: str
    route_from: str | None
    route_to: str | None
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True)
class PermitInfo:
    permit_no: str
    plate: str
    plate_color: str
    permit_class: int
    length_mm: int
    width_mm: int
    height_mm: int
    gross_weight_kg: int
    axle_count: int | None
    route_sites: tuple[str, ...]
    valid_from: datetime
    valid_to: datetime
    allowed_hours: str | None
    unit_code: str = "410000"


@dataclass
class Registries:
    sites: dict[str, SiteInfo] = field(default_factory=dict)
    vehicles: dict[tuple[str, str], VehicleInfo] = field(default_factory=dict)
    whitelist: dict[tuple[str, str], list[WhitelistEntry]] = field(default_factory=dict)
    permits: list[PermitInfo] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)
    province_code: str = "410000"

    def unit_of(self, site_id: str | None) -> str:
        s = self.sites.get(site_id or "")
        return s.unit_code if s else self.province_code

    def city_of(self, site_id: str | None) -> str:
        s = self.sites.get(site_id or "")
        return s.city_code if s else "?"

    def city_name(self, city_code: str) -> str:
        return self.unit_names.get(city_code, city_code)

    def site_name(self, site_id: str | None) -> str:
        s = self.sites.get(site_id or "")
        return s.name if s else (site_id or "?")

    def whitelisted(self, plate: str, color: str, at: datetime) -> list[WhitelistEntry]:
        out = []
        for e in self.whitelist.get((plate, color), []):
            if (e.valid_from is None or e.valid_from <= at) and (e.valid_to is None or at <= e.valid_to):
                out.append(e)
        return out


@dataclass
class DetectContext:
    day: date
    tables: dict[str, ir.Table | None]
    registries: Registries
    engine: str = "duckdb"
    history: dict[str, ir.Table | None] = field(default_factory=dict)  # multi-day tables (look-back)
    history_days: int = 14
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def day_start(self) -> datetime:
        return datetime.combine(self.day, time(0), tzinfo=TZ)

    @property
    def day_end(self) -> datetime:
        return self.day_start + timedelta(days=1)

    def table(self, name: str) -> ir.Table | None:
        return self.tables.get(name)


def to_pandas(expr: ir.Table) -> Any:
    """Execute an expression on its backend and return a pandas frame (both engines)."""
    return expr.to_pandas()


def from_epoch(t: int | float) -> datetime:
    return datetime.fromtimestamp(int(t), tz=TZ)
