"""Complaints and barriers on the store: routing, merging, receipt-code privacy, rewards, figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from zhifa.complaints import service
from zhifa.complaints.orm import Complaint
from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.clock import TZ
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed
from zhifa.supervision.orm import WorkOrder

NOW = datetime(2022, 5, 6, 10, 0, tzinfo=TZ)
SUP = Actor("sup", Role.SUPERVISOR, "410000", None)
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100
ZHENGZHOU = (113.66, 34.76)


def _submit(db, tmp_path, **kw):
    defaults = dict(category="road_environment", description="路边有人打场晒粮，占用行车道", lon=ZHENGZHOU[0], lat=ZHENGZHOU[1])
    defaults.update(kw)
    with unit_of_work(db) as s:
        c = service.submit(s, sub=service.Submission(**defaults), photos=[JPEG], uploads_dir=tmp_path / "up", now=NOW)
        return c.complaint_id, c.receipt_code, c.unit_code


def test_a_report_goes_to_the_county_where_it_is_and_its_photo_is_stored_by_hash(db, tmp_path):
    cid, code, unit = _submit(db, tmp_path)
    assert unit.startswith("4101")
    stored = list((tmp_path / "up").rglob("*"))
    assert any(p.is_file() and len(p.name) == 64 for p in stored)


def test_a_place_outside_the_province_is_refused_with_the_reason(db, tmp_path):
    with pytest.raises(ValidationFailed, match="河南省"):
        _submit(db, tmp_path, lon=121.47, lat=31.23)  # Shanghai


def test_a_second_report_at_the_same_place_is_merged_and_both_reporters_hear_the_result(db, tmp_path):
    first_id, first_code, _ = _submit(db, tmp_path)
    second_id, second_code, _ = _submit(db, tmp_path, lon=ZHENGZHOU[0] + 0.0005)
    with unit_of_work(db) as s:
        assert s.get(Complaint, second_id).merged_into == first_id
        service.accept(s, actor=SUP, complaint_id=first_id, now=NOW, calendar=cn_calendar())
        service.resolve(s, actor=SUP, complaint_id=first_id, result="已清理占道晒粮，并告知村委会", now=NOW)
    with unit_of_work(db) as s:
        for code in (first_code, second_code):
            view = service.public_view(s, code)
            assert view["status"] == "resolved" and "已清理" in view["result"]
            assert any("合并" in m for _, m in view["notices"])


def test_accepting_as_a_supervisor_issues_a_numbered_work_order(db, tmp_path):
    cid, _, _ = _submit(db, tmp_path)
    with unit_of_work(db) as s:
        c = service.accept(s, actor=SUP, complaint_id=cid, now=NOW, calendar=cn_calendar())
        order = s.get(WorkOrder, c.order_id)
    assert order.number.startswith("豫交执督〔2022〕") and order.source_ref == cid


def test_a_receipt_code_shows_only_its_own_report(db, tmp_path):
    _submit(db, tmp_path)
    with unit_of_work(db) as s:
        with pytest.raises(NotFound):
            service.public_view(s, "NOTACODE42")
        with pytest.raises(NotFound):
            service.public_view(s, "")


def test_the_reporter_rates_after_resolution_and_that_closes_it(db, tmp_path):
    cid, code, _ = _submit(db, tmp_path)
    with unit_of_work(db) as s:
        with pytest.raises(IllegalTransition):
            service.rate(s, code=code, rating=5, now=NOW)  # not resolved yet
    with unit_of_work(db) as s:
        service.accept(s, actor=SUP, complaint_id=cid, now=NOW)
        service.resolve(s, actor=SUP, complaint_id=cid, result="已处理", now=NOW)
        service.rate(s, code=code, rating=5, now=NOW)
        assert s.get(Complaint, cid).status == "closed"


def test_rewards_go_only_to_confirmed_real_name_tip_offs(db, tmp_path):
    anon_id, _, _ = _submit(db, tmp_path, category="illegal_operation", description="某小区门口每天有黑车拉客去郑州")
    real_id, _, _ = _submit(db, tmp_path, category="overload", description="砂石厂每天夜里装载超限货车出厂",
                            real_name=True, reporter_name="张三", reporter_phone="13800138000", lon=113.9, lat=34.5)
    with unit_of_work(db) as s:
        for cid in (anon_id, real_id):
            service.accept(s, actor=SUP, complaint_id=cid, now=NOW)
            service.resolve(s, actor=SUP, complaint_id=cid, result="查实", now=NOW)
        with pytest.raises(ValidationFailed, match="匿名"):
            service.grant_reward(s, actor=SUP, complaint_id=anon_id, amount_yuan=500, now=NOW)
        service.grant_reward(s, actor=SUP, complaint_id=real_id, amount_yuan=500, now=NOW)
        with pytest.raises(ValidationFailed, match="已兑现"):
            service.grant_reward(s, actor=SUP, complaint_id=real_id, amount_yuan=500, now=NOW)


def test_a_barrier_report_goes_to_the_barriers_unit_and_counts_in_the_figures(db, tmp_path):
    officer = Actor("o", Role.OFFICER, "410000", None)
    with unit_of_work(db) as s:
        b = service.register_barrier(s, actor=officer, name="某村口限高架", road="X012", lon=114.30, lat=35.75,
                                     owner="某村委会", height_limit_mm=2200, width_limit_mm=None, today=NOW.date(), now=NOW)
        bid, bunit = b.barrier_id, b.unit_code
    cid, _, unit = _submit(db, tmp_path, category="barrier", description="限高架太低，货车无法通行", barrier_id=bid)
    assert unit == bunit
    with unit_of_work(db) as s:
        service.set_barrier_status(s, actor=officer, barrier_id=bid, status="illegal", today=NOW.date(), now=NOW)
        service.set_barrier_status(s, actor=officer, barrier_id=bid, status="removed", today=NOW.date(), now=NOW)
        service.accept(s, actor=SUP, complaint_id=cid, now=NOW)
        service.resolve(s, actor=SUP, complaint_id=cid, result="已拆除", now=NOW)
        f = service.figures(s, actor=SUP, start=date(2022, 1, 1), end=date(2022, 12, 31))
    assert f["barriers_removed"] == 1 and f["barrier_reports_received"] == 1
    assert f["barrier_reports_handled_rate"] == 1.0
