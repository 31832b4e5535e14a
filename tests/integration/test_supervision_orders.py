"""Work orders on the real stores: numbering under concurrency, lifecycle, sweep, jurisdiction."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.shared.audit import history
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.clock import TZ
from zhifa.shared.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from zhifa.supervision import service
from zhifa.supervision.orm import WorkOrder

PROVINCE_SUP = Actor("sup", Role.SUPERVISOR, "410000", None)
ZZ_OFFICER = Actor("zz", Role.OFFICER, "410100", frozenset({"410100", "410102", "410105"}))
LY_OFFICER = Actor("ly", Role.OFFICER, "410300", frozenset({"410300", "410302"}))
NOW = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)
CAL = cn_calendar()


def _create(db, unit="410100", now=NOW):
    with unit_of_work(db) as s:
        return service.create_order(s, actor=PROVINCE_SUP, unit_code=unit, source="complaint",
                                    title="投诉：某收费站执法人员态度恶劣", calendar=CAL, now=now).order_id


def test_lifecycle_with_a_dissatisfied_callback_reopening_the_order(db):
    oid = _create(db)
    with unit_of_work(db) as s:
        service.act(s, actor=ZZ_OFFICER, order_id=oid, action="accept", now=NOW)
        service.act(s, actor=PROVINCE_SUP, order_id=oid, action="urge", note="请加快办理", now=NOW)
        service.act(s, actor=ZZ_OFFICER, order_id=oid, action="complete", note="已约谈当事人并整改", now=NOW)
        service.act(s, actor=PROVINCE_SUP, order_id=oid, action="callback_dissatisfied", note="群众不满意", now=NOW)
    with unit_of_work(db) as s:
        o = s.get(WorkOrder, oid)
        assert (o.status, o.reopen_count, o.urge_count) == ("accepted", 1, 1)
        actions = [e.action for e in history(s, "work_order", oid)]
    assert actions == ["supervision.assign", "supervision.accept", "supervision.urge",
                       "supervision.complete", "supervision.callback_dissatisfied"]


def test_only_the_handling_unit_completes_and_only_the_issuer_calls_back(db):
    oid = _create(db)
    with unit_of_work(db) as s:
        with pytest.raises(NotFound):
            service.act(s, actor=LY_OFFICER, order_id=oid, action="accept", now=NOW)
        with pytest.raises(PermissionDenied):
            service.act(s, actor=ZZ_OFFICER, order_id=oid, action="urge", now=NOW)
        with pytest.raises(IllegalTransition):
            service.act(s, actor=ZZ_OFFICER, order_id=oid, action="complete", note="x", now=NOW)


def test_completing_without_a_result_is_refused(db):
    oid = _create(db)
    with unit_of_work(db) as s:
        service.act(s, actor=ZZ_OFFICER, order_id=oid, action="accept", now=NOW)
        with pytest.raises(ValidationFailed):
            service.act(s, actor=ZZ_OFFICER, order_id=oid, action="complete", note="  ", now=NOW)


def test_the_time_limit_counts_working_days_across_a_holiday(db):
    # 2022-04-02 (Sat) is an adjusted working day and 04-03..05 are 清明 holidays, so the three working
    # days after Fri 04-01 are 04-02, 04-06 and 04-07
    oid = _create(db, now=datetime(2022, 4, 1, 9, tzinfo=TZ))
    with unit_of_work(db) as s:
        o = s.get(WorkOrder, oid)
    assert o.due_date == CAL.add_working_days(o.assigned_at.date(), 10)
    assert CAL.add_working_days(datetime(2022, 4, 1).date(), 3).isoformat() == "2022-04-07"


def test_sweep_reminds_then_escalates_each_once(db):
    oid = _create(db)
    with unit_of_work(db) as s:
        due = s.get(WorkOrder, oid).due_date
    day_before = datetime.combine(due - timedelta(days=1), datetime.min.time(), tzinfo=TZ)
    after = datetime.combine(due + timedelta(days=1), datetime.min.time(), tzinfo=TZ)
    with unit_of_work(db) as s:
        assert service.sweep(s, actor=PROVINCE_SUP, calendar=CAL, now=NOW) == service.SweepReport(0, 0)
        assert service.sweep(s, actor=PROVINCE_SUP, calendar=CAL, now=day_before).reminded == 1
        assert service.sweep(s, actor=PROVINCE_SUP, calendar=CAL, now=after) == service.SweepReport(0, 1)
        assert service.sweep(s, actor=PROVINCE_SUP, calendar=CAL, now=after) == service.SweepReport(0, 0)


def test_a_city_officer_lists_only_its_orders(db):
    _create(db, "410100")
    _create(db, "410300")
    with unit_of_work(db) as s:
        rows, total = service.list_orders(s, actor=ZZ_OFFICER)
    assert total == 1 and rows[0].unit_code == "410100"


@pytest.mark.postgres
def test_fifty_parallel_creations_get_fifty_consecutive_numbers(pg_container):
    db = pg_container.db
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def create() -> None:
        try:
            barrier.wait()
            _create(db)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=create) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with unit_of_work(db) as s:
        seqs = sorted(s.execute(select(WorkOrder.seq)).scalars())
        numbers = set(s.execute(select(WorkOrder.number)).scalars())
    assert seqs == list(range(1, 51))
    assert len(numbers) == 50
