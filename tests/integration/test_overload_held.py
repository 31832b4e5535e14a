"""Vehicles held at check stations (O8): hold, overdue sweep, clearing with the service given."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, Unit
from zhifa.overload import held
from zhifa.overload.orm import HeldVehicle
from zhifa.shared.access import Actor, Role
from zhifa.shared.clock import TZ
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed

NOW = datetime(2022, 3, 1, 9, tzinfo=TZ)
OFFICER = Actor("o", Role.OFFICER, "410100", frozenset({"410100", "410102"}))
OTHER = Actor("x", Role.OFFICER, "410300", frozenset({"410300"}))


@pytest.fixture
def station(db):
    with unit_of_work(db) as s:
        s.add_all([Unit(unit_code="410100", name="郑州市", level="city"), Unit(unit_code="410102", name="中原区", level="county")])
        s.flush()
        s.add(Site(site_id="CS1", kind="check_station", name="中原超限检测站", unit_code="410102", lon=113.6, lat=34.7))
    return "CS1"


def test_a_held_vehicle_becomes_overdue_after_its_deadline_and_stays_counted_when_cleared(db, station):
    with unit_of_work(db) as s:
        h = held.hold(s, actor=OFFICER, plate="豫A12345", plate_color="yellow", station_id=station, reason="超限未卸载",
                      now=NOW)
        hid, deadline = h.held_id, h.deadline
    assert deadline == NOW + timedelta(days=held.holding_rule(NOW.date()).days)
    with unit_of_work(db) as s:
        assert held.sweep_overdue(s, actor=OFFICER, now=deadline - timedelta(minutes=1)) == 0
        assert held.sweep_overdue(s, actor=OFFICER, now=deadline + timedelta(minutes=1)) == 1
        assert held.sweep_overdue(s, actor=OFFICER, now=deadline + timedelta(days=1)) == 0
    with unit_of_work(db) as s:
        with pytest.raises(ValidationFailed):
            held.clear(s, actor=OFFICER, held_id=hid, service_note=" ", now=deadline + timedelta(days=2))
        held.clear(s, actor=OFFICER, held_id=hid, service_note="联系车主卸载并接受处理", now=deadline + timedelta(days=2))
        with pytest.raises(IllegalTransition):
            held.clear(s, actor=OFFICER, held_id=hid, service_note="again", now=deadline + timedelta(days=3))
        row = s.get(HeldVehicle, hid)
    assert (row.status, row.overdue) == ("cleared", True)


def test_another_city_cannot_see_or_clear_it(db, station):
    with unit_of_work(db) as s:
        hid = held.hold(s, actor=OFFICER, plate="豫A12345", plate_color="yellow", station_id=station, reason="x",
                        now=NOW).held_id
    with unit_of_work(db) as s:
        assert held.list_held(s, actor=OTHER) == []
        with pytest.raises(NotFound):
            held.clear(s, actor=OTHER, held_id=hid, service_note="y", now=NOW)
