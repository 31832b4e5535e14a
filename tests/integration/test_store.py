"""The SQL store on both databases: unit of work, audit chain, concurrent appends."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.shared.audit import record, verify_chain
from zhifa.shared.orm import AuditEvent


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request):
    if request.param == "sqlite":
        return request.getfixturevalue("container").db
    return request.getfixturevalue("pg_container").db


def test_a_failed_unit_of_work_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with unit_of_work(store) as s:
            record(s, actor=SYSTEM, action="t.x", object_type="t", object_id="1")
            raise RuntimeError("boom")
    with unit_of_work(store) as s:
        assert s.execute(select(AuditEvent)).first() is None


def test_tampering_is_found_on_both_databases(store):
    for i in range(4):
        with unit_of_work(store) as s:
            record(s, actor=SYSTEM, action="t.x", object_type="t", object_id=str(i), after={"n": i})
    with unit_of_work(store) as s:
        assert verify_chain(s).ok
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="mallory"))
    with unit_of_work(store) as s:
        rep = verify_chain(s)
    assert not rep.ok and rep.first_broken_seq == 2


@pytest.mark.postgres
def test_concurrent_appends_keep_one_unbroken_chain(pg_container):
    db = pg_container.db
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for i in range(10):
                with unit_of_work(db) as s:
                    record(s, actor=SYSTEM, action="t.x", object_type="t", object_id=f"{k}-{i}")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with unit_of_work(db) as s:
        rep = verify_chain(s)
    assert rep.ok and rep.checked == 80
