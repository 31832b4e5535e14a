from __future__ import annotations

from datetime import datetime

import pytest

from zhifa.db.session import unit_of_work
from zhifa.org.orm import RoadSegment, Site, Unit
from zhifa.permits import rules
from zhifa.permits.orm import OversizePermit
from zhifa.permits.service import import_permits, list_permits
from zhifa.shared.access import Actor, Role
from zhifa.shared.clock import TZ

ADMIN = Actor(username="admin", role=Role.ADMIN, unit_code="410000")
NOW = datetime(2022, 3, 1, 9, tzinfo=TZ)


@pytest.fixture
def network(db):
    with unit_of_work(db) as s:
        s.add(Unit(unit_code="410000", name="河南省", level="province"))
        s.flush()
        for i in range(1, 6):
            s.add(Site(site_id=f"G{i}", kind="gantry", name=f"门架{i}", unit_code="410000", lon=113 + i / 10, lat=34.0))
        s.add(Site(site_id="ISLAND", kind="gantry", name="孤立门架", unit_code="410000", lon=114.0, lat=35.0))
        s.flush()
        for i in range(1, 5):
            s.add(RoadSegment(segment_id=f"S{i}", road="G4", from_site=f"G{i}", to_site=f"G{i + 1}", length_m=8000))
    return db


def row(**kw):
    base = dict(permit_no="P1", plate="豫A66666", plate_color="yellow", length_mm=22000, width_mm=3000,
                height_mm=4300, gross_weight_kg=60000, axle_count=6, route="G1;G3;G5",
                valid_from="2022-03-01T00:00:00+08:00", valid_to="2022-03-03T23:59:00+08:00",
                allowed_hours="22:00-06:00")
    base.update(kw)
    return base


def test_a_permit_on_a_connected_route_is_registered_with_the_full_path(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[row()], now=NOW)
    assert rep.created == 1 and rep.refused == []
    with unit_of_work(network) as s:
        p = s.get(OversizePermit, "P1")
        assert p.route == ["G1", "G3", "G5"]
        assert p.route_sites == ["G1", "G2", "G3", "G4", "G5"]
        assert p.permit_class == 2 and p.escort is False
        assert [x.permit_no for x in list_permits(s, actor=ADMIN)] == ["P1"]


def test_a_route_given_as_segments_is_expanded(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[row(route='["S2", "S3"]')], now=NOW)
        assert rep.created == 1
        assert s.get(OversizePermit, "P1").route_sites == ["G2", "G3", "G4"]


def test_a_route_through_an_unknown_site_is_refused_with_the_reason(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[row(route="G1;G9")], now=NOW)
    assert rep.created == 0
    assert rep.refused == [("P1", "路线含未知站点或路段：G9")]


def test_a_route_between_unconnected_sites_is_refused_with_the_reason(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[row(route="G1;ISLAND"), row(permit_no="P2", route="G5;G1")], now=NOW)
    assert [r[0] for r in rep.refused] == ["P1", "P2"]
    assert all("不连通" in r[1] for r in rep.refused)


def test_a_declared_class_below_the_dimensions_is_refused(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[row(**{"class": 1})], now=NOW)
    assert rep.created == 0 and "类别 1 低于" in rep.refused[0][1]


def test_bad_dates_and_hours_are_refused_not_crashing(network):
    with unit_of_work(network) as s:
        rep = import_permits(s, actor=ADMIN, frame=[
            row(valid_to="2022-02-01T00:00:00+08:00"), row(permit_no="P2", allowed_hours="夜间"),
            row(permit_no="P3", valid_from="not a date"), row(permit_no="P4", plate_color="purple"),
        ], now=NOW)
    assert rep.created == 0 and len(rep.refused) == 4


def test_an_officer_cannot_import_permits(network):
    from zhifa.shared.errors import PermissionDenied

    officer = Actor(username="o", role=Role.OFFICER, unit_code="410102", unit_codes=frozenset({"410102"}))
    with unit_of_work(network) as s, pytest.raises(PermissionDenied):
        import_permits(s, actor=officer, frame=[row()], now=NOW)


@pytest.mark.parametrize(
    ("dims", "klass"),
    [
        ((20000, 3000, 4200, 40000, 6), 1),
        ((20001, 3000, 4200, 40000, 6), 2),
        ((20000, 3000, 4200, 49001, 6), 2),
        ((28000, 3750, 4500, 100000, 6), 2),
        ((28001, 3000, 4000, 40000, 6), 3),
        ((18000, 2500, 4000, 100001, 6), 3),
    ],
)
def test_permit_classes_follow_order_62_article_15(dims, klass):
    assert rules.permit_class(*dims) == klass


def test_allowed_hours_wrap_around_midnight():
    hours = rules.parse_hours("22:00-06:00")
    assert rules.within_hours(datetime(2022, 3, 1, 23, tzinfo=TZ), hours)
    assert rules.within_hours(datetime(2022, 3, 1, 5, 59, tzinfo=TZ), hours)
    assert not rules.within_hours(datetime(2022, 3, 1, 12, tzinfo=TZ), hours)
    assert rules.within_hours(datetime(2022, 3, 1, 12, tzinfo=TZ), None)
