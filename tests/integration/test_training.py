"""Training and satisfaction surveys through the service and the HTTP API (the training slice is mounted
here by hand until it is listed in zhifa.cli.main.COMMAND_SLICES)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

import zhifa.training.orm  # noqa: F401 - tables for create_schema until the slice is registered
from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.bootstrap import create_schema
from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.training import service
from zhifa.web.app import create_app
from zhifa.web.deps import csrf_protect

SUP = Actor(username="sup", role=Role.SUPERVISOR, unit_code="410000", unit_codes=None)


def _app(container):
    from zhifa.cli.main import COMMAND_SLICES
    from zhifa.training import api, pages

    app = create_app(container)
    if "training" not in COMMAND_SLICES:
        app.include_router(api.router, dependencies=[Depends(csrf_protect)])
        app.include_router(pages.router, dependencies=[Depends(csrf_protect)])
    return app


@pytest.fixture
def seeded(container):
    create_schema(container)  # the training tables, imported above
    seed_units(container)
    seed_users(container, [("zz1", "officer", "410102"), ("zz2", "officer", "410102"), ("kf1", "officer", "410202"),
                           ("kf2", "officer", "410202"), ("zzsup", "supervisor", "410100"),
                           ("provsup", "supervisor", "410000")])
    return container


def test_hours_from_sessions_and_tests_rank_units_and_count_figures(seeded, clock):
    now = clock.now()
    with unit_of_work(seeded.db) as s:
        law = service.create_course(s, actor=SUP, title="行政处罚法专题", category="law", hours=40, mode="offline", now=now)
        web = service.create_course(s, actor=SUP, title="路政执法实务（线上）", category="skills", hours=24, mode="online",
                                    now=now)
        s1 = service.schedule_session(s, actor=SUP, course_id=law.course_id, starts_on=date(2022, 3, 7),
                                      ends_on=date(2022, 3, 11), place="省厅培训中心", now=now, unit_code="410100")
        s2 = service.schedule_session(s, actor=SUP, course_id=law.course_id, starts_on=date(2021, 11, 1),
                                      ends_on=date(2021, 11, 5), place="开封", now=now, unit_code="410200")
        assert service.record_attendance(s, actor=SUP, session_id=s1.session_id, usernames=["zz1", "zz2", "kf1", "zz1"],
                                         now=now) == 3
        assert service.record_attendance(s, actor=SUP, session_id=s1.session_id, usernames=["zz1"], now=now) == 0
        service.record_attendance(s, actor=SUP, session_id=s2.session_id, usernames=["kf2"], now=now)
        test = service.create_test(s, actor=SUP, course_id=web.course_id, title="路政实务测试", now=now, questions=[
            {"q": "高速公路建筑控制区不少于几米？", "options": ["10", "20", "30"], "answer": 2},
            {"q": "国道建筑控制区不少于几米？", "options": ["20", "15"], "answer": 0}])
        test_id = test.test_id
    zz1 = Actor(username="zz1", role=Role.OFFICER, unit_code="410102", unit_codes=frozenset({"410102"}))
    with unit_of_work(seeded.db) as s:
        a = service.submit_attempt(s, actor=zz1, test_id=test_id, answers=[2, 1], now=now)
        assert (a.score, a.passed, a.hours_credited) == (50.0, False, 0.0)
        b = service.submit_attempt(s, actor=zz1, test_id=test_id, answers=[2, 0], now=now)
        assert (b.score, b.passed, b.hours_credited) == (100.0, True, 24.0)
        c = service.submit_attempt(s, actor=zz1, test_id=test_id, answers=[2, 0], now=now)
        assert c.hours_credited == 0.0  # hours only for the first pass
    with unit_of_work(seeded.db) as s:
        hours = service.hours_in_year(s, actor=SUP, year=2022)
        assert hours == {"zz1": 64.0, "zz2": 40.0, "kf1": 40.0}
        r = service.ranking(s, actor=SUP, year=2022)
        by = {x.unit_code: x for x in r.rows}
        assert by["410102"].completed == 1 and by["410102"].rank == 1 and by["410202"].completed == 0
        city = {x.unit_code: x for x in service.ranking(s, actor=SUP, year=2022, by="city").rows}
        assert set(city) == {"410100", "410200"}
        f = service.figures(s, actor=SUP, year=2022)
        assert (f["sessions_held"], f["trainees"], f["test_attempts"]) == (1, 3, 3)
        assert f["test_pass_rate"] == pytest.approx(2 / 3, abs=1e-4)
        assert service.figures(s, actor=SUP, year=2021)["trainees"] == 1
        # a city supervisor sees only the city's officers
        zzsup = Actor(username="zzsup", role=Role.SUPERVISOR, unit_code="410100",
                      unit_codes=frozenset({"410100", "410102"}))
        assert {x.unit_code for x in service.ranking(s, actor=zzsup, year=2022).rows} == {"410102"}


def test_officers_cannot_organise_training(seeded, clock):
    from zhifa.shared.errors import PermissionDenied

    officer = Actor(username="zz1", role=Role.OFFICER, unit_code="410102", unit_codes=frozenset({"410102"}))
    with pytest.raises(PermissionDenied), unit_of_work(seeded.db) as s:
        service.create_course(s, actor=officer, title="x", category="law", hours=2, mode="offline", now=clock.now())


def test_survey_by_public_link_and_results_by_unit_and_year(seeded, clock):
    c = TestClient(_app(seeded))
    login(c, "provsup")
    page = c.get("/training/surveys?year=2022")
    assert page.status_code == 200
    h = {"X-CSRF-Token": csrf_from(page.text)}
    sid = c.post("/api/training/surveys", json={"unit_code": "410102", "year": 2022}, headers=h).json()["survey_id"]
    sid2 = c.post("/api/training/surveys", json={"unit_code": "410202", "year": 2022}, headers=h).json()["survey_id"]
    public = TestClient(c.app)
    form = public.get(f"/training/surveys/{sid}/respond")
    assert form.status_code == 200 and "满意度测评" in form.text
    tok = csrf_from(form.text)
    for scores in ([5, 5, 5, 4, 5], [4, 4, 4, 4, 4], [2, 3, 2, 3, 2]):
        r = public.post(f"/training/surveys/{sid}/respond", data={"csrf_token": tok, "comment": "",
                                                                    **{f"s{i}": str(v) for i, v in enumerate(scores)}})
        assert r.status_code == 200 and "感谢" in r.text
    bad = public.post(f"/training/surveys/{sid}/respond", data={"csrf_token": tok, "s0": "9"})
    assert bad.status_code == 422
    public.post(f"/training/surveys/{sid2}/respond", data={"csrf_token": tok, **{f"s{i}": "5" for i in range(5)}})
    res = {x["unit_code"]: x for x in c.get("/api/training/surveys/results?year=2022").json()["data"]}
    assert res["410102"]["responses"] == 3 and res["410102"]["satisfaction_rate"] == pytest.approx(2 / 3)
    assert res["410202"]["mean"] == 5.0
    with unit_of_work(seeded.db) as s:
        service.close_survey(s, actor=SUP, survey_id=sid, now=clock.now())
    assert public.get(f"/training/surveys/{sid}/respond").status_code == 404


def test_training_pages_and_online_test_by_http(seeded):
    c = TestClient(_app(seeded))
    login(c, "provsup")
    page = c.get("/training")
    assert page.status_code == 200 and "学时达标排名" in page.text
    h = {"X-CSRF-Token": csrf_from(page.text)}
    course = c.post("/api/training/courses", json={"title": "执法文书制作", "category": "business", "hours": 8},
                    headers=h).json()["course_id"]
    test = c.post("/api/training/tests", json={"course_id": course, "questions": [
        {"q": "送达回证由谁签收？", "options": ["受送达人", "执法人员"], "answer": 0}]}, headers=h).json()["test_id"]
    sess = c.post("/api/training/sessions", json={"course_id": course, "starts_on": "2022-02-10", "ends_on": "2022-02-10",
                                                  "place": "郑州"}, headers=h).json()["session_id"]
    assert c.post(f"/api/training/sessions/{sess}/attendance", json={"usernames": ["nobody"]}, headers=h).status_code == 422
    assert c.post(f"/api/training/sessions/{sess}/attendance", json={"usernames": ["kf1"]}, headers=h).json()["added"] == 1
    o = TestClient(c.app)
    login(o, "zz1")
    tp = o.get(f"/training/tests/{test}")
    assert tp.status_code == 200 and "送达回证" in tp.text
    r = o.post(f"/training/tests/{test}", data={"csrf_token": csrf_from(tp.text), "q0": "0"})
    assert r.status_code == 200 and "得分 100.0 分，通过" in r.text
    fig = c.get("/api/training/figures?year=2022").json()
    assert (fig["sessions_held"], fig["trainees"], fig["test_attempts"]) == (1, 1, 1)
    rank = c.get("/api/training/ranking?year=2022").json()
    assert rank["required_hours"] == 60 and {x["unit_code"] for x in rank["data"]} == {"410102", "410202"}
