"""Registry specs: files identified by their exact columns; registry rules give their reasons."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from zhifa.records.schemas import identify
from zhifa.records.validate import Context, validate
from zhifa.shared.clock import TZ
from zhifa.vehicles.registry import (
    DISPATCH_TABLES,
    ENTERPRISES,
    PASSENGER_WHITELIST,
    REGISTRY_TABLES,
    VEHICLES,
    extra_rules,
)

SPECS = [*REGISTRY_TABLES.values(), *DISPATCH_TABLES.values()]
CTX = Context(now=datetime(2022, 3, 1, tzinfo=TZ))


def test_each_registry_file_is_identified_by_its_columns():
    for spec in SPECS:
        assert identify(list(spec.column_names), SPECS) is spec


def test_enterprises_may_carry_their_publication_date():
    assert identify([*ENTERPRISES.column_names, "published_on"], SPECS) is ENTERPRISES
    assert identify([*VEHICLES.column_names, "published_on"], SPECS) is None


def _one(spec, **cells):
    frame = pl.DataFrame([cells], schema={c: pl.String for c in cells})
    return validate(frame, spec, CTX, extra_rules=extra_rules(spec))


def test_vehicle_with_unknown_use_is_refused():
    cells = {c: None for c in VEHICLES.column_names} | {
        "plate": "豫A12345",
        "plate_color": "blue",
        "use": "taxi",
    }
    res = _one(VEHICLES, **cells)
    assert "use: 使用性质不在允许范围" in res.bad["reason"][0]


def test_vehicle_with_only_plate_and_colour_is_accepted():
    cells = {c: None for c in VEHICLES.column_names} | {"plate": "豫A12345", "plate_color": "blue"}
    assert _one(VEHICLES, **cells).good.height == 1


def test_whitelist_period_ending_before_it_starts_is_refused():
    cells = dict(
        plate="豫A12345",
        plate_color="yellow",
        enterprise_id="E1",
        route_from="郑州",
        route_to="洛阳",
        valid_from="2022-06-01",
        valid_to="2022-05-01",
    )
    assert "valid_to: 有效期止早于有效期起" in _one(PASSENGER_WHITELIST, **cells).bad["reason"][0]


def test_enterprise_unit_code_must_have_six_digits():
    cells = dict(
        enterprise_id="E1", name="某企业", kind="transport", unit_code="4101", licence_no=None, key_source="1"
    )
    assert "unit_code: 应为6位行政区划代码" in _one(ENTERPRISES, **cells).bad["reason"][0]
