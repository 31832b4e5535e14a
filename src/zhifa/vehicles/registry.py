"""Registry files (schemas.md "Registries"): column specs, validation rules, idempotent upsert.

vehicles, enterprises, drivers and passenger_whitelist are kept here. Oversize permits and the
watch-list have their own slices; `DISPATCH` names the import verbs those files are handed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.records.schemas import Column, TableSpec
from zhifa.records.validate import ROW_NO, enum_rule, reason_if
from zhifa.vehicles.orm import Driver, Enterprise, PassengerWhitelist, Vehicle


def _c(name: str, kind: str = "str", nullable: bool = False) -> Column:
    return Column(name, kind, nullable)


VEHICLES = TableSpec(
    name="vehicles",
    label_zh="车辆",
    kind="registry",
    time_column=None,
    natural_key=("plate", "plate_color"),
    columns=(
        _c("plate"),
        _c("plate_color"),
        _c("vehicle_class", "int", True),
        _c("axle_count", "int", True),
        _c("vehicle_kind", "str", True),
        _c("owner_name", "str", True),
        _c("owner_kind", "str", True),
        _c("enterprise_id", "str", True),
        _c("use", "str", True),
        _c("transport_permit_no", "str", True),
        _c("registered_unit_code", "str", True),
    ),
    # optional technical parameters (车辆技术参数) beyond schemas.md: a tractor with a single drive axle
    # (6 axles: 46 t, not 49 t) and single-tyre axles (−3 t each) change the limit of Order 62 Art. 3;
    # entry weighing cannot see them, so the registry is where the determination gets them
    platform_columns=(_c("single_drive_axle", "bool", True), _c("single_tyre_axles", "int", True)),
)

ENTERPRISES = TableSpec(
    name="enterprises",
    label_zh="企业",
    kind="registry",
    time_column=None,
    natural_key=("enterprise_id",),
    columns=(
        _c("enterprise_id"),
        _c("name"),
        _c("kind"),
        _c("unit_code", "str", True),
        _c("licence_no", "str", True),
        _c("key_source", "bool", True),
    ),
    # the platform's own column: publication date of the key loading-source list (重点源头公布日期)
    platform_columns=(_c("published_on", "ts", True),),
)

DRIVERS = TableSpec(
    name="drivers",
    label_zh="驾驶员",
    kind="registry",
    time_column=None,
    natural_key=("driver_id",),
    columns=(
        _c("driver_id"),
        _c("name"),
        _c("qualification_no", "str", True),
        _c("enterprise_id", "str", True),
    ),
)

PASSENGER_WHITELIST = TableSpec(
    name="passenger_whitelist",
    label_zh="客运白名单",
    kind="registry",
    time_column=None,
    natural_key=("plate", "plate_color", "enterprise_id", "valid_from"),
    columns=(
        _c("plate"),
        _c("plate_color"),
        _c("enterprise_id"),
        _c("route_from", "str", True),
        _c("route_to", "str", True),
        _c("valid_from", "ts"),
        _c("valid_to", "ts"),
    ),
)

REGISTRY_TABLES: dict[str, TableSpec] = {
    s.name: s for s in (VEHICLES, ENTERPRISES, DRIVERS, PASSENGER_WHITELIST)
}

# Files handed over to other slices as they are (column sets of schemas.md)
OVERSIZE_PERMITS = TableSpec(
    name="oversize_permits",
    label_zh="大件运输许可",
    kind="dispatch",
    time_column=None,
    natural_key=("permit_no",),
    columns=tuple(
        _c(n, "str", True)
        for n in (
            "permit_no class plate plate_color trailer_plate enterprise_id cargo length_mm width_mm height_mm "
            "gross_weight_kg axle_count route valid_from valid_to allowed_hours"
        ).split()
    ),
)
WATCHLIST = TableSpec(
    name="watchlist",
    label_zh="布控",
    kind="dispatch",
    time_column=None,
    natural_key=("entry_id",),
    columns=tuple(
        _c(n, "str", True)
        for n in "entry_id plate plate_color reason source issued_by_unit priority valid_from valid_to status".split()
    ),
)
# table → (module, function) called as fn(session, *, actor, frame, now)
DISPATCH: dict[str, tuple[str, str]] = {
    "oversize_permits": ("zhifa.permits.service", "import_permits"),
    "watchlist": ("zhifa.interception.service", "import_watchlist"),
}
DISPATCH_TABLES: dict[str, TableSpec] = {"oversize_permits": OVERSIZE_PERMITS, "watchlist": WATCHLIST}

ENTERPRISE_KINDS = ("transport", "passenger", "hazmat", "loading_source", "ride_hailing_platform", "repair")
OWNER_KINDS = ("person", "enterprise")
USES = ("operating", "non_operating")
_UNIT_CODE = r"^\d{6}$"


def extra_rules(spec: TableSpec) -> list[pl.Expr]:
    """Registry rules beyond the shared column checks."""
    if spec is VEHICLES:
        code = pl.col("registered_unit_code")
        return [
            enum_rule("owner_kind", OWNER_KINDS, "所有人类型"),
            enum_rule("use", USES, "使用性质"),
            reason_if(
                code.is_not_null() & ~code.str.contains(_UNIT_CODE),
                "registered_unit_code: 应为6位行政区划代码",
            ),
        ]
    if spec is ENTERPRISES:
        code = pl.col("unit_code")
        return [
            enum_rule("kind", ENTERPRISE_KINDS, "企业类型"),
            reason_if(code.is_not_null() & ~code.str.contains(_UNIT_CODE), "unit_code: 应为6位行政区划代码"),
        ]
    if spec is PASSENGER_WHITELIST:
        return [reason_if(pl.col("valid_to") < pl.col("valid_from"), "valid_to: 有效期止早于有效期起")]
    return []


MODELS: dict[str, type] = {
    "vehicles": Vehicle,
    "enterprises": Enterprise,
    "drivers": Driver,
    "passenger_whitelist": PassengerWhitelist,
}


@dataclass(frozen=True)
class UpsertReport:
    inserted: int
    updated: int
    unchanged: int


def _values(spec: TableSpec, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for c in spec.columns + spec.platform_columns:
        if c.name not in row:
            continue
        v = row[c.name]
        if c.name == "published_on" and isinstance(v, datetime):
            v = v.date()
        if c.name == "key_source" and v is None:
            v = False
        out[c.name] = v
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b  # aware comparisons
    return a == b


def upsert(session: Session, spec: TableSpec, good: pl.DataFrame, *, now: datetime) -> UpsertReport:
    """Insert new registry rows, update changed ones, count identical ones (idempotent)."""
    model = MODELS[spec.name]
    key = spec.natural_key
    frame = good.drop(ROW_NO, strict=False).unique(subset=list(key), keep="last", maintain_order=True)
    rows = frame.to_dicts()
    cols = [getattr(model, k) for k in key]
    existing: dict[tuple, Any] = {}
    keys = [tuple(r[k] for k in key) for r in rows]
    wanted = set(keys)
    firsts = sorted({k[0] for k in keys})
    for i in range(0, len(firsts), 500):
        stmt = select(model).where(cols[0].in_(firsts[i : i + 500]))
        for obj in session.execute(stmt).scalars():
            k = tuple(getattr(obj, n) for n in key)
            if k in wanted:
                existing[k] = obj
    inserted = updated = unchanged = 0
    new_rows = []
    for k, row in zip(keys, rows, strict=True):
        values = _values(spec, row)
        obj = existing.get(k)
        if obj is None:
            new_rows.append({**values, "created_at": now, "updated_at": now})
            inserted += 1
            continue
        changed = {n: v for n, v in values.items() if not _same(getattr(obj, n), v)}
        if changed:
            for n, v in changed.items():
                setattr(obj, n, v)
            obj.updated_at = now
            updated += 1
        else:
            unchanged += 1
    if new_rows:
        session.execute(model.__table__.insert(), new_rows)
    session.flush()
    return UpsertReport(inserted=inserted, updated=updated, unchanged=unchanged)
