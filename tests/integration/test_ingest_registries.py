"""Registry files: detected by columns, validated, upserted idempotently; permits/watch-list dispatched."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from zhifa.db.session import unit_of_work
from zhifa.records.orm import Quarantine
from zhifa.records.service import ingest_file
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.shared.errors import ValidationFailed
from zhifa.vehicles.orm import Enterprise, PassengerWhitelist, Vehicle
from zhifa.vehicles.service import find_vehicle, is_whitelisted

NOW = datetime(2022, 3, 3, 9, 0, tzinfo=TZ)

VEHICLE_COLS = [
    "plate",
    "plate_color",
    "vehicle_class",
    "axle_count",
    "vehicle_kind",
    "owner_name",
    "owner_kind",
    "enterprise_id",
    "use",
    "transport_permit_no",
    "registered_unit_code",
]
ENTERPRISE_COLS = ["enterprise_id", "name", "kind", "unit_code", "licence_no", "key_source"]
WHITELIST_COLS = ["plate", "plate_color", "enterprise_id", "route_from", "route_to", "valid_from", "valid_to"]


def write(path, header, body):
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body)
    return path


def ingest(container, path):
    return ingest_file(container, path, actor=SYSTEM, now=NOW)


VEHICLES = [
    [
        "豫A88888",
        "yellow",
        "16",
        "6",
        "tractor_semitrailer",
        "郑州某物流",
        "enterprise",
        "E1",
        "operating",
        "TP1",
        "410100",
    ],
    ["豫 a12345", "blue", "1", "2", "", "张三", "person", "", "non_operating", "", "410100"],
    ["豫A1234", "blue", "1", "2", "", "李四", "person", "", "non_operating", "", "410100"],  # bad plate
    [
        "豫A55555",
        "yellow",
        "13",
        "2",
        "rigid",
        "王五",
        "alien",
        "",
        "operating",
        "",
        "41010",
    ],  # three reasons
]


def test_vehicles_are_upserted_and_reingest_is_idempotent(container, tmp_path):
    f = write(tmp_path / "vehicles.csv", VEHICLE_COLS, VEHICLES)
    first = ingest(container, f)
    assert (first.table, first.ingested, first.quarantined) == ("vehicles", 2, 2)
    second = ingest(container, f)
    assert (second.ingested, second.updated, second.quarantined, second.duplicates) == (0, 0, 0, 4)
    with unit_of_work(container.db) as s:
        assert s.scalar(select(func.count()).select_from(Vehicle)) == 2
        assert s.scalar(select(func.count()).select_from(Quarantine)) == 2
        v = find_vehicle(s, "豫A12345", "blue")
        assert v is not None and v.owner_name == "张三"
        assert find_vehicle(s, "豫A12345", "yellow") is None
        reasons = s.execute(select(Quarantine.reason).order_by(Quarantine.row_no)).scalars().all()
    assert "plate:" in reasons[0]
    assert "axle_count: 轴数与车型不符" in reasons[1] and "owner_kind:" in reasons[1]
    assert "registered_unit_code: 应为6位行政区划代码" in reasons[1]


def test_a_changed_registry_row_updates_the_entry(container, tmp_path):
    ingest(container, write(tmp_path / "v1.csv", VEHICLE_COLS, VEHICLES[:2]))
    changed = [VEHICLES[0][:5] + ["新主人"] + VEHICLES[0][6:]]
    rep = ingest(container, write(tmp_path / "v2.csv", VEHICLE_COLS, changed))
    assert (rep.ingested, rep.updated) == (0, 1)
    with unit_of_work(container.db) as s:
        assert find_vehicle(s, "豫A88888", "yellow").owner_name == "新主人"


def test_vehicle_technical_parameters_are_optional_columns(container, tmp_path):
    """single_drive_axle / single_tyre_axles may follow the schemas.md columns; files without them still load
    and leave stored values alone; a value that is not a boolean or an integer is quarantined."""
    cols = VEHICLE_COLS + ["single_drive_axle", "single_tyre_axles"]
    body = [VEHICLES[0] + ["true", "0"], VEHICLES[1] + ["", ""], ["豫A66666"] + VEHICLES[0][1:] + ["maybe", "x"]]
    rep = ingest(container, write(tmp_path / "v.csv", cols, body))
    assert (rep.table, rep.ingested, rep.quarantined) == ("vehicles", 2, 1)
    ingest(container, write(tmp_path / "v2.csv", VEHICLE_COLS, VEHICLES[:1]))  # an older file without them
    with unit_of_work(container.db) as s:
        v = find_vehicle(s, "豫A88888", "yellow")
        assert (v.single_drive_axle, v.single_tyre_axles) == (True, 0)
        p = find_vehicle(s, "豫A12345", "blue")
        assert (p.single_drive_axle, p.single_tyre_axles) == (None, None)


def test_enterprises_with_key_source_and_publication_date(container, tmp_path):
    body = [
        ["E1", "某砂石厂", "loading_source", "410100", "L1", "true", "2021-06-01"],
        ["E2", "某网约车平台", "ride_hailing_platform", "410000", "", "", ""],
        ["E3", "不明企业", "mining", "410100", "", "maybe", ""],
    ]
    rep = ingest(container, write(tmp_path / "ent.csv", ENTERPRISE_COLS + ["published_on"], body))
    assert (rep.table, rep.ingested, rep.quarantined) == ("enterprises", 2, 1)
    with unit_of_work(container.db) as s:
        e1 = s.get(Enterprise, "E1")
        assert e1.key_source is True and e1.published_on == date(2021, 6, 1)
        assert s.get(Enterprise, "E2").key_source is False
        (reason,) = s.execute(select(Quarantine.reason)).scalars().all()
    assert "kind: 企业类型不在允许范围" in reason and "key_source: 无法读作布尔值" in reason


def test_passenger_whitelist_and_is_whitelisted(container, tmp_path):
    body = [
        ["豫A66666", "yellow", "E9", "郑州", "洛阳", "2022-01-01", "2022-12-31"],
        ["豫A77777", "yellow", "E9", "郑州", "开封", "2022-06-01", "2022-01-01"],  # ends before it starts
    ]
    f = write(tmp_path / "wl.csv", WHITELIST_COLS, body)
    rep = ingest(container, f)
    assert (rep.table, rep.ingested, rep.quarantined) == ("passenger_whitelist", 1, 1)
    assert ingest(container, f).ingested == 0
    with unit_of_work(container.db) as s:
        assert s.scalar(select(func.count()).select_from(PassengerWhitelist)) == 1
        assert is_whitelisted(s, "豫A66666", "yellow", datetime(2022, 12, 31, 20, 0, tzinfo=TZ))
        assert not is_whitelisted(s, "豫A66666", "yellow", datetime(2023, 1, 1, 0, 1, tzinfo=TZ))
        assert not is_whitelisted(s, "豫A66666", "blue", datetime(2022, 5, 1, tzinfo=TZ))
        assert not is_whitelisted(s, "豫A77777", "yellow", datetime(2022, 5, 1, tzinfo=TZ))


def test_watchlist_file_is_dispatched_or_refused_clearly(container, tmp_path, monkeypatch):
    cols = [
        "entry_id",
        "plate",
        "plate_color",
        "reason",
        "source",
        "issued_by_unit",
        "priority",
        "valid_from",
        "valid_to",
        "status",
    ]
    f = write(
        tmp_path / "wl.csv",
        cols,
        [["W1", "豫A88888", "yellow", "超限", "manual", "410100", "1", "2022-03-01", "2022-04-01", "active"]],
    )
    import importlib.util

    from zhifa.records import service

    calls = []
    real_find = importlib.util.find_spec
    monkeypatch.setattr(
        service.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "zhifa.interception.service" else real_find(name, *a),
    )
    with pytest.raises(ValidationFailed, match="布控.*尚未提供"):
        ingest(container, f)

    class FakeModule:
        @staticmethod
        def import_watchlist(session, *, actor, frame, now):
            calls.append((actor.username, frame.height, now))
            return 1

    monkeypatch.setattr(service.importlib.util, "find_spec", lambda name, *a: object())
    monkeypatch.setattr(service.importlib, "import_module", lambda name: FakeModule)
    rep = ingest(container, f)
    assert (rep.table, rep.ingested) == ("watchlist", 1)
    assert calls == [("system", 1, NOW)]


def test_rows_refused_by_the_permits_slice_are_quarantined_with_its_reason(container, tmp_path, monkeypatch):
    from dataclasses import dataclass, field

    from zhifa.records import service

    cols = (
        "permit_no class plate plate_color trailer_plate enterprise_id cargo length_mm width_mm height_mm "
        "gross_weight_kg axle_count route valid_from valid_to allowed_hours"
    ).split()
    body = [
        [
            "P1",
            "1",
            "豫A88888",
            "yellow",
            "",
            "E1",
            "钢梁",
            "20000",
            "3000",
            "4200",
            "60000",
            "6",
            "S1;S2",
            "2022-03-01",
            "2022-03-31",
            "22:00-06:00",
        ],
        [
            "P2",
            "1",
            "豫A99999",
            "yellow",
            "",
            "E1",
            "钢梁",
            "20000",
            "3000",
            "4200",
            "60000",
            "6",
            "S1;S9",
            "2022-03-01",
            "2022-03-31",
            "22:00-06:00",
        ],
    ]
    f = write(tmp_path / "permits.csv", cols, body)

    @dataclass
    class Report:
        created: int = 1
        updated: int = 0
        refused: list = field(default_factory=lambda: [("P2", "路线不连通：S1→S9")])

    class FakeModule:
        @staticmethod
        def import_permits(session, *, actor, frame, now):
            return Report()

    monkeypatch.setattr(service.importlib.util, "find_spec", lambda name, *a: object())
    monkeypatch.setattr(service.importlib, "import_module", lambda name: FakeModule)
    rep = ingest(container, f)
    assert (rep.table, rep.ingested, rep.quarantined) == ("oversize_permits", 1, 1)
    with unit_of_work(container.db) as s:
        (q,) = s.execute(select(Quarantine)).scalars().all()
        assert (q.table_name, q.row_no, q.reason) == ("oversize_permits", 2, "路线不连通：S1→S9")
