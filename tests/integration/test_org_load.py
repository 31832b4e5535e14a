"""Loading the reference data twice changes nothing (SQLite via `db`, PostgreSQL via `pg_container`)."""

import pytest
from sqlalchemy import func, select

from zhifa.db.session import unit_of_work
from zhifa.org import service
from zhifa.org.orm import RoadSegment, Site, Team, Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.audit import verify_chain
from zhifa.shared.orm import AuditEvent


def _counts(db):
    with unit_of_work(db) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Unit, Team, Site, RoadSegment, AuditEvent)
        }


def _load_twice(db, now):
    with unit_of_work(db) as s:
        first = service.load_reference(s, actor=SYSTEM, now=now)
    after_first = _counts(db)
    with unit_of_work(db) as s:
        second = service.load_reference(s, actor=SYSTEM, now=now)
    after_second = _counts(db)
    return first, second, after_first, after_second


def _check(db, now):
    first, second, after_first, after_second = _load_twice(db, now)
    assert after_first == after_second
    assert after_first["units"] == first["units"] and after_first["sites"] == first["sites"]
    assert after_first["road_segments"] == first["road_segments"]
    assert all(
        second[f"{t}_{k}"] == 0
        for t in ("units", "teams", "sites", "road_segments")
        for k in ("created", "updated")
    )
    with unit_of_work(db) as s:
        assert verify_chain(s).ok


def test_loading_twice_on_sqlite_adds_nothing(db, clock):
    _check(db, clock.now())


@pytest.mark.usefixtures("pg_url")
def test_loading_twice_on_postgresql_adds_nothing(pg_container, clock):
    _check(pg_container.db, clock.now())
