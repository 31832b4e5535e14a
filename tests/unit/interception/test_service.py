from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from sqlalchemy import func, select

from tests.unit.interception.interception_helpers import (
    ANALYST,
    CITY,
    CITY_ANALYST,
    COUNTY,
    OPERATOR_S2,
    OPERATOR_S3,
    LineGraph,
    seed_org,
)
from zhifa.db.session import unit_of_work
from zhifa.interception import service as svc
from zhifa.interception.matcher import Matcher
from zhifa.interception.model import Record
from zhifa.interception.orm import InterceptTask, WatchHit
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed
from zhifa.shared.orm import AuditEvent


@pytest.fixture
def world(db, clock):
    seed_org(db, clock.now())
    return db


def add(db, clock, plate="豫A80251", color="yellow", **kw):
    with unit_of_work(db) as s:
        e = svc.add_watch_entry(s, actor=ANALYST, plate=plate, plate_color=color, reason="涉嫌非法营运",
                                legal_basis="《道路运输条例》第63条", valid_to=clock.now() + timedelta(days=7),
                                now=clock.now(), issued_by_unit=kw.pop("unit", CITY), **kw)
        return e.entry_id


def matcher_for(db, clock) -> Matcher:
    with unit_of_work(db) as s:
        return Matcher(svc.load_watch_entries(s, now=clock.now()))


def commit(db, clock, m, recs):
    with unit_of_work(db) as s:
        return svc.commit_hits(s, hits=m.match_many(recs, now=clock.now()), graph=LineGraph(),
                               stations=svc.StationDirectory(), now=clock.now())


def r(rid, site, t, plate="豫A80251", kind="gantry", color="yellow"):
    return Record(record_id=rid, kind=kind, site_id=site, event_time=t, plate=plate, plate_color=color,
                  vehicle_class=15, axle_count=5)


def tasks(db, status=None):
    with unit_of_work(db) as s:
        stmt = select(InterceptTask)
        if status:
            stmt = stmt.where(InterceptTask.status == status)
        return {t.station_id: t for t in s.execute(stmt).scalars()}


def test_add_entry_validation(world, clock):
    with unit_of_work(world) as s:
        for kw, why in [(dict(valid_to=None), "截止"), (dict(plate="豫A8025"), "无效"),
                        (dict(legal_basis=None), "法律依据"), (dict(plate_color="purple"), "颜色"),
                        (dict(valid_to=clock.now() - timedelta(hours=1)), "晚于")]:
            args = dict(plate="豫A80251", plate_color="yellow", reason="x", legal_basis="依据",
                        valid_to=clock.now() + timedelta(days=1))
            args.update(kw)
            with pytest.raises(ValidationFailed) as ei:
                svc.add_watch_entry(s, actor=ANALYST, now=clock.now(), **args)
            assert why in ei.value.message


def test_import_refuses_bad_rows_unless_partial(world, clock):
    frame = pl.DataFrame({
        "entry_id": ["W1", "W2", "W3"],
        "plate": ["豫A80251", "not-a-plate", "豫B12345"],
        "plate_color": ["yellow", "yellow", "blue"],
        "reason": ["非法营运", "超限", ""],
        "source": ["credit", "detector", "manual"],
        "issued_by_unit": [CITY, CITY, CITY],
        "priority": [1, 2, 2],
        "valid_from": ["2022-03-01T00:00:00+08:00"] * 3,
        "valid_to": ["2022-04-01T00:00:00+08:00"] * 3,
        "status": ["active"] * 3,
    })
    with unit_of_work(world) as s:
        rep = svc.import_watchlist(s, actor=ANALYST, frame=frame, now=clock.now())
    assert rep.imported == 0 and [n for n, _ in rep.errors] == [2, 3]
    with unit_of_work(world) as s:
        assert s.execute(select(func.count()).select_from(svc.WatchlistEntry)).scalar_one() == 0
        rep = svc.import_watchlist(s, actor=ANALYST, frame=frame, now=clock.now(), partial=True)
    assert rep.imported == 1
    with unit_of_work(world) as s:  # the same ids again are refused as duplicates
        rep = svc.import_watchlist(s, actor=ANALYST, frame=frame.head(1), now=clock.now())
    assert rep.imported == 0 and "重复" in rep.errors[0][1]


def test_every_search_is_audited_and_scoped(world, clock):
    add(world, clock)
    add(world, clock, plate="豫F11111", color="blue", unit="410600")
    with unit_of_work(world) as s:
        rows, total = svc.search_watchlist(s, actor=CITY_ANALYST, now=clock.now())
        assert total == 1 and rows[0].plate == "豫F11111"
        rows, total = svc.search_watchlist(s, actor=ANALYST, now=clock.now(), plate="A80")
        assert total == 1
    with unit_of_work(world) as s:
        n = s.execute(select(func.count()).select_from(AuditEvent)
                      .where(AuditEvent.action == "interception.watch_search")).scalar_one()
    assert n == 2


def test_hit_dispatches_downstream_tasks_with_team_and_deadline(world, clock):
    eid = add(world, clock)
    m = matcher_for(world, clock)
    t0 = clock.now()
    rep = commit(world, clock, m, [r("a", "G2", t0)])
    assert rep.hits == 1 and rep.tasks_created == 3  # S2, S3, S4 downstream of G2
    ts = tasks(world)
    assert set(ts) == {"S2", "S3", "S4"}
    assert ts["S2"].team_id == "T-GY" and ts["S4"].team_id == "T-HB" and ts["S4"].unit_code == "410600"
    # truck class 15 at 70 km/h: 10 km ≈ 514 s
    assert abs((ts["S2"].eta - t0).total_seconds() - 10_000 / (70 / 3.6)) < 1
    assert ts["S2"].deadline == ts["S2"].eta + timedelta(minutes=30)
    assert all(t.entry_id == eid for t in ts.values())


def test_redelivery_makes_no_duplicate_hits_or_tasks(world, clock):
    add(world, clock)
    t0 = clock.now()
    commit(world, clock, matcher_for(world, clock), [r("a", "G2", t0)])
    rep = commit(world, clock, matcher_for(world, clock), [r("a", "G2", t0)])  # a restarted matcher
    assert rep.hits == 0 and rep.duplicates == 1 and rep.tasks_created == 0
    with unit_of_work(world) as s:
        assert s.execute(select(func.count()).select_from(WatchHit)).scalar_one() == 1
    assert len(tasks(world)) == 3


def test_later_record_updates_prediction_and_out_of_order_does_not(world, clock):
    add(world, clock)
    m = matcher_for(world, clock)
    t0 = clock.now()
    commit(world, clock, m, [r("a", "G2", t0)])
    clock.advance(minutes=20)
    rep = commit(world, clock, m, [r("b", "G3", t0 + timedelta(minutes=9))])
    # passed S2: the S2 task is withdrawn, S3 and S4 are updated
    assert rep.tasks_withdrawn == 1 and rep.tasks_updated == 2
    assert set(tasks(world, "open")) == {"S3", "S4"}
    s3_eta = tasks(world)["S3"].eta
    assert abs((s3_eta - (t0 + timedelta(minutes=9))).total_seconds() - 25_000 / (70 / 3.6)) < 1
    # an older record arriving now is stored as a hit but does not move the prediction back
    rep = commit(world, clock, m, [r("c", "G2", t0 + timedelta(minutes=1))])
    assert rep.hits == 1 and rep.stale == 1 and rep.tasks_created == 0
    assert set(tasks(world, "open")) == {"S3", "S4"}


def test_exit_elsewhere_withdraws_tasks(world, clock):
    add(world, clock)
    m = matcher_for(world, clock)
    t0 = clock.now()
    commit(world, clock, m, [r("a", "S1", t0, kind="entry")])
    assert set(tasks(world, "open")) == {"S2", "S3", "S4"}
    rep = commit(world, clock, m, [r("b", "S3", t0 + timedelta(minutes=40), kind="exit")])
    assert rep.tasks_withdrawn == 2
    open_ = tasks(world, "open")
    assert set(open_) == {"S3"}
    assert "驶离" in tasks(world)["S2"].withdrawn_reason


def test_outcomes_transitions_and_operator_scope(world, clock):
    add(world, clock)
    commit(world, clock, matcher_for(world, clock), [r("a", "G2", clock.now())])
    ts = tasks(world)
    with unit_of_work(world) as s:
        with pytest.raises(NotFound):  # another station's task is invisible to the operator
            svc.report_outcome(s, actor=OPERATOR_S3, task_id=ts["S2"].task_id, outcome="not_seen", now=clock.now())
        with pytest.raises(ValidationFailed):
            svc.report_outcome(s, actor=OPERATOR_S2, task_id=ts["S2"].task_id, outcome="intercepted", now=clock.now())
        with pytest.raises(ValidationFailed):
            svc.report_outcome(s, actor=OPERATOR_S2, task_id=ts["S2"].task_id, outcome="false_hit", now=clock.now())
        assert [t.station_id for t in svc.list_tasks(s, actor=OPERATOR_S2, status="open")] == ["S2"]
    clock.advance(minutes=5)
    with unit_of_work(world) as s:
        t = svc.report_outcome(s, actor=OPERATOR_S2, task_id=ts["S2"].task_id, outcome="intercepted",
                               findings="核载7人实载15人", case_id="C-1", now=clock.now())
        assert t.status == "answered" and t.answered_late is False
    # caught at S2: the other stations' tasks are withdrawn
    assert set(tasks(world, "withdrawn")) == {"S3", "S4"}
    with unit_of_work(world) as s:
        with pytest.raises(IllegalTransition):
            svc.report_outcome(s, actor=OPERATOR_S2, task_id=ts["S2"].task_id, outcome="not_seen", now=clock.now())


def test_overdue_escalates_and_late_answer_counts(world, clock):
    add(world, clock)
    commit(world, clock, matcher_for(world, clock), [r("a", "G2", clock.now())])
    s2, s4 = tasks(world)["S2"], tasks(world)["S4"]
    clock.current = s4.deadline + timedelta(minutes=1)
    with unit_of_work(world) as s:
        esc = {t.station_id: t.escalation_level for t in svc.sweep_overdue(s, now=clock.now())}
    # level 1 at the deadline, one more per 30 min: S2 is 61 min past, S3 35 min, S4 1 min
    assert esc == {"S2": 3, "S3": 2, "S4": 1}
    with unit_of_work(world) as s:
        assert svc.sweep_overdue(s, now=clock.now()) == []  # not twice for the same level
    with unit_of_work(world) as s:
        t = svc.report_outcome(s, actor=OPERATOR_S2, task_id=s2.task_id, outcome="not_seen", now=clock.now())
        assert t.answered_late is True
    with unit_of_work(world) as s:
        by_station = {f.key: f for f in svc.figures(s, actor=ANALYST, by="station", since=clock.now() - timedelta(days=1),
                                                    until=clock.now() + timedelta(days=1), now=clock.now())}
        by_city = {f.key: f for f in svc.figures(s, actor=ANALYST, by="city", since=clock.now() - timedelta(days=1),
                                                 until=clock.now() + timedelta(days=1), now=clock.now())}
        by_team = {f.key: f for f in svc.figures(s, actor=ANALYST, by="team", since=clock.now() - timedelta(days=1),
                                                 until=clock.now() + timedelta(days=1), now=clock.now())}
    assert by_station["S2"].answered_late == 1 and by_station["S2"].late == 1
    assert by_station["S3"].open_overdue == 1 and by_station["S3"].answered == 0
    assert by_city[CITY].watch_count == 1 and by_city[CITY].hits == 1 and by_city[CITY].tasks == 2
    assert by_city[CITY].watch_issued == 1 and by_city[CITY].hit_records == 1
    assert by_city["410600"].tasks == 1 and by_city["410600"].watch_issued == 0  # S4 is in Hebi
    assert by_team["T-GY"].name == "巩义大队" and by_team["T-GY"].tasks == 2


def test_hit_to_intercept_rate(world, clock):
    add(world, clock)
    commit(world, clock, matcher_for(world, clock), [r("a", "G2", clock.now())])
    s3 = tasks(world)["S3"]
    with unit_of_work(world) as s:
        svc.report_outcome(s, actor=ANALYST, task_id=s3.task_id, outcome="intercepted", findings="查获", now=clock.now())
        f = {x.key: x for x in svc.figures(s, actor=ANALYST, by="city", since=clock.now() - timedelta(hours=1),
                                           until=clock.now() + timedelta(hours=1), now=clock.now())}
    assert f[CITY].intercepted == 1 and f[CITY].hit_to_intercept_rate == 1.0
    assert f[CITY].late == 0  # 无一延迟


def test_forwarded_lead_loop_and_completion_rate(world, clock):
    item = {"external_ref": "JX-2022-001", "source_unit": "江西省交通运输综合执法局", "source_province": "赣",
            "category": "overload", "facts": "该车在江西超限运输", "plate": "豫A80251", "plate_color": "yellow",
            "target_unit": COUNTY}
    with unit_of_work(world) as s:
        lead, created = svc.receive_forwarded(s, actor=ANALYST, item=item, now=clock.now(), watch=True)
        assert created and lead.watch_entry_id
        again, created2 = svc.receive_forwarded(s, actor=ANALYST, item=item, now=clock.now())
        assert not created2 and again.lead_id == lead.lead_id
        with pytest.raises(ValidationFailed):
            svc.receive_forwarded(s, actor=ANALYST, item={"external_ref": "x"}, now=clock.now())
        lid = lead.lead_id
        item2 = dict(item, external_ref="JX-2022-002")
        svc.receive_forwarded(s, actor=ANALYST, item=item2, now=clock.now())
    with unit_of_work(world) as s:
        svc.assign_forwarded(s, actor=ANALYST, lead_id=lid, unit_code=COUNTY, assignee="张三", now=clock.now())
        svc.handle_forwarded(s, actor=ANALYST, lead_id=lid, now=clock.now())
        with pytest.raises(ValidationFailed):
            svc.close_forwarded(s, actor=ANALYST, lead_id=lid, result=" ", now=clock.now())
        svc.close_forwarded(s, actor=ANALYST, lead_id=lid, result="已立案查处", now=clock.now())
        with pytest.raises(IllegalTransition):
            svc.handle_forwarded(s, actor=ANALYST, lead_id=lid, now=clock.now())
        rows = svc.forwarded_completion(s, actor=ANALYST, now=clock.now())
    assert rows == [{"unit_code": COUNTY, "received": 2, "closed": 1, "closed_on_time": 1, "overdue_open": 0,
                     "completion_rate": 0.5}]


def test_live_matcher_processes_dead_letters_and_sweeps(world, clock):
    from zhifa.interception.live import LiveMatcher
    from zhifa.interception.stream import MemoryStream

    add(world, clock)
    st = MemoryStream()
    live = LiveMatcher(world, st, clock, graph=LineGraph(), sweep_every=timedelta(0))
    clock.advance(minutes=1)
    st.publish([{"record_id": "a", "gantry_id": "G2", "pass_time": clock.now().isoformat(), "plate": "豫A80251",
                 "plate_color": "yellow", "vehicle_class": 15, "axle_count": 5},
                {"record_id": "b", "gantry_id": "G2", "pass_time": clock.now().isoformat(), "plate": "豫A80251",
                 "plate_color": "purple"}])
    rep = live.run(block_ms=0, idle_exit=True)
    assert (rep.hits, rep.malformed, rep.tasks_created) == (1, 1, 3)
    assert "颜色" in st.dead[0][1]
    clock.advance(hours=3)  # every task is past its deadline now
    live.run(block_ms=0, idle_exit=True)
    assert {t.escalation_level > 0 for t in tasks(world, "open").values()} == {True}


def test_live_matcher_picks_up_new_and_revoked_entries(world, clock):
    from zhifa.interception.live import LiveMatcher
    from zhifa.interception.stream import MemoryStream

    first = add(world, clock)
    live = LiveMatcher(world, MemoryStream(), clock, graph=LineGraph(), refresh_every=timedelta(0))
    assert live.refresh(force=True) == 1
    second = add(world, clock, plate="豫B12345", color="blue")
    with unit_of_work(world) as s:
        svc.revoke_watch_entry(s, actor=ANALYST, entry_id=first, reason="已结案", now=clock.now())
    assert live.refresh() == 1
    assert [e.entry_id for e in live.matcher.entries()] == [second]
