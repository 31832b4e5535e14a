import pytest
from sqlalchemy import func, select

from zhifa.db.session import unit_of_work
from zhifa.org import service
from zhifa.org.orm import Site
from zhifa.shared.access import SYSTEM, Role, make_actor
from zhifa.shared.errors import PermissionDenied
from zhifa.shared.orm import AuditEvent


@pytest.fixture
def loaded(db, clock):
    with unit_of_work(db) as s:
        counts = service.load_reference(s, actor=SYSTEM, now=clock.now())
    return counts


def test_loading_writes_every_table_and_one_audit_event_per_table(db, loaded):
    assert loaded["units_created"] == loaded["units"] == 175
    assert loaded["sites_created"] == loaded["sites"] > 1000
    with unit_of_work(db) as s:
        assert s.scalar(select(func.count()).select_from(Site)) == loaded["sites"]
        actions = s.execute(
            select(AuditEvent.object_type).where(AuditEvent.action == "org.load_reference")
        ).scalars()
        assert sorted(actions) == ["road_segments", "sites", "teams", "units"]


def test_a_changed_site_is_put_back_on_reload(db, clock, loaded):
    with unit_of_work(db) as s:
        s.get(Site, "TS000441001").name = "改过的名字"
    with unit_of_work(db) as s:
        counts = service.load_reference(s, actor=SYSTEM, now=clock.now())
        assert counts["sites_updated"] == 1 and counts["sites_created"] == 0
        assert s.get(Site, "TS000441001").name == "安阳站"


def test_only_admins_load_reference_data(db, clock):
    officer = make_actor(username="o", role=Role.OFFICER, unit_code="410000", parents={})
    with unit_of_work(db) as s, pytest.raises(PermissionDenied):
        service.load_reference(s, actor=officer, now=clock.now())


def test_unit_parents_give_a_city_its_counties_but_not_the_directly_administered(db, loaded):
    with unit_of_work(db) as s:
        parents = service.unit_parents(s)
    analyst = make_actor(username="a", role=Role.ANALYST, unit_code="410100", parents=parents)
    assert "410184" in analyst.unit_codes and "410181" not in analyst.unit_codes


def test_sites_are_listed_within_the_jurisdiction(db, loaded):
    with unit_of_work(db) as s:
        parents = service.unit_parents(s)
        county = make_actor(username="c", role=Role.OFFICER, unit_code="410181", parents=parents)
        city = make_actor(username="z", role=Role.ANALYST, unit_code="410100", parents=parents)
        gongyi = service.list_sites(s, county)
        zhengzhou = service.list_sites(s, city, kind="toll_station")
        wims = service.list_sites(s, SYSTEM, kind="wim")
    assert gongyi and {r["unit_code"] for r in gongyi} == {"410181"}
    assert zhengzhou and all(r["kind"] == "toll_station" for r in zhengzhou)
    assert not {r["site_id"] for r in gongyi} & {r["site_id"] for r in zhengzhou}
    assert len(wims) == 60 and all(r["built_on"] is not None for r in wims)


def test_units_can_be_listed_by_level(db, loaded):
    with unit_of_work(db) as s:
        cities = service.list_units(s, level="city")
        direct = service.list_units(s, parent_code="410000", level="county")
    assert len(cities) == 18 and len(direct) == 10
