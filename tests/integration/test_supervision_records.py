"""Inspections, interviews, accountability, joint operations and rankings on the store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.support import seed_units
from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.clock import TZ
from zhifa.shared.errors import PermissionDenied, ValidationFailed
from zhifa.supervision import ranking, service

NOW = datetime(2022, 4, 12, 9, 0, tzinfo=TZ)
SUP = Actor("sup", Role.SUPERVISOR, "410000", None)
ZZ_SUP = Actor("zzsup", Role.SUPERVISOR, "410100", frozenset({"410100", "410102"}))


def test_findings_become_rectification_orders_and_count_in_the_rate(db):
    with unit_of_work(db) as s:
        r = service.start_inspection(s, actor=SUP, title="五一暗访", kind="secret", units_visited=["410100", "410181"],
                                     start=date(2022, 4, 30), end=date(2022, 5, 4), now=NOW)
        f1 = service.record_finding(s, actor=SUP, round_id=r.round_id, unit_code="410100", description="检测站未公示收费标准",
                                    calendar=cn_calendar(), now=NOW)
        service.record_finding(s, actor=SUP, round_id=r.round_id, unit_code="410181", description="执法人员未佩戴执法记录仪",
                               calendar=cn_calendar(), now=NOW)
        with pytest.raises(ValidationFailed):
            service.record_finding(s, actor=SUP, round_id=r.round_id, unit_code="410300", description="不在检查范围",
                                   calendar=cn_calendar(), now=NOW)
        service.mark_rectified(s, actor=SUP, finding_id=f1.finding_id, now=NOW)
        fig = service.inspection_figures(s, actor=SUP, start=date(2022, 1, 1), end=date(2022, 12, 31))
    assert fig == {"rounds": 1, "findings": 2, "rectified": 1, "rectification_rate": 0.5}


def test_the_second_interview_in_a_year_disqualifies_the_unit_from_awards(db):
    with unit_of_work(db) as s:
        _, first = service.record_interview(s, actor=SUP, unit_code="410100", subject="郑州支队", reason="负面舆情",
                                            held_on=date(2022, 3, 1), now=NOW)
        _, second = service.record_interview(s, actor=SUP, unit_code="410100", subject="郑州支队", reason="工单超期",
                                             held_on=date(2022, 9, 1), now=NOW)
        _, next_year = service.record_interview(s, actor=SUP, unit_code="410100", subject="郑州支队", reason="x",
                                                held_on=date(2023, 1, 5), now=NOW)
    assert (first, second, next_year) == (False, True, False)


def test_accountability_counts_by_kind_and_refuses_units_out_of_reach(db):
    with unit_of_work(db) as s:
        service.record_accountability(s, actor=SUP, unit_code="410100", officer_name="李某", kind="organisational",
                                      measure="诫勉谈话", reason="执法不规范", decided_on=date(2022, 5, 1), now=NOW)
        service.record_accountability(s, actor=SUP, unit_code="410181", officer_name="王某", kind="judicial",
                                      measure="移交司法", reason="索贿", decided_on=date(2022, 6, 1), now=NOW)
        with pytest.raises(PermissionDenied):
            service.record_accountability(s, actor=ZZ_SUP, unit_code="410300", officer_name="赵某", kind="organisational",
                                          measure="通报批评", reason="x", decided_on=date(2022, 6, 1), now=NOW)
        assert service.accountability_figures(s, actor=SUP, start=date(2022, 1, 1), end=date(2022, 12, 31)) == {
            "total": 2, "organisational": 1, "judicial": 1}
        assert service.accountability_figures(s, actor=ZZ_SUP, start=date(2022, 1, 1), end=date(2022, 12, 31))["total"] == 1


def test_joint_operations_refuse_more_handled_than_checked(db):
    with unit_of_work(db) as s:
        with pytest.raises(ValidationFailed):
            service.record_joint_operation(s, actor=SUP, title="五一打非治违", partners=["公安交警"], areas=["410100"],
                                           start=date(2022, 4, 30), end=date(2022, 5, 4), vehicles_checked=5,
                                           vehicles_handled=6, case_ids=[], now=NOW)
        service.record_joint_operation(s, actor=SUP, title="五一打非治违", partners=["公安交警"], areas=["410100"],
                                       start=date(2022, 4, 30), end=date(2022, 5, 4), vehicles_checked=500,
                                       vehicles_handled=37, case_ids=["c1", "c1", "c2"], now=NOW)
        f = service.joint_operation_figures(s, actor=SUP, start=date(2022, 1, 1), end=date(2022, 12, 31))
    assert f == {"operations": 1, "vehicles_checked": 500, "vehicles_handled": 37}


def test_ranking_counts_orders_per_city_and_shows_no_data_where_there_is_none(container):
    seed_units(container)
    db = container.db
    with unit_of_work(db) as s:
        on_time = service.create_order(s, actor=SUP, unit_code="410102", source="instruction", title="甲",
                                       calendar=cn_calendar(), now=NOW)
        late = service.create_order(s, actor=SUP, unit_code="410300", source="instruction", title="乙",
                                    calendar=cn_calendar(), now=NOW)
        zz_actor = Actor("o", Role.OFFICER, "410000", None)
        service.act(s, actor=zz_actor, order_id=on_time.order_id, action="accept", now=NOW)
        service.act(s, actor=zz_actor, order_id=on_time.order_id, action="complete", note="办结", now=NOW)
        service.act(s, actor=SUP, order_id=on_time.order_id, action="callback_satisfied", now=NOW)
        del late
        start, end = ranking.period_of("2022Q2")
        r = ranking.compute(s, actor=SUP, start=start, end=end)
    by_code = {x.unit_code: x for x in r.cities}
    assert len(r.cities) == 18 and len(r.counties) == 10
    zz, ly, kf = by_code["410100"], by_code["410300"], by_code["410200"]
    assert (zz.figures.orders_due, zz.figures.orders_on_time, zz.figures.satisfied) == (1, 1, 1)
    assert (ly.figures.orders_due, ly.figures.orders_on_time) == (1, 0)
    assert zz.rank == 1 and zz.metrics["score"] == pytest.approx(100.0)
    assert kf.metrics["score"] is None and kf.rank == 0


def test_period_labels():
    assert ranking.period_of("2022Q1") == (date(2022, 1, 1), date(2022, 3, 31))
    assert ranking.period_of("2022-02") == (date(2022, 2, 1), date(2022, 2, 28))
    assert ranking.period_of("2022Q4") == (date(2022, 10, 1), date(2022, 12, 31))
    assert ranking.period_of("2022") == (date(2022, 1, 1), date(2022, 12, 31))
    with pytest.raises(ValueError):
        ranking.period_of("2022Q5")
