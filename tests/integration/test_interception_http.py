"""The interception loop over HTTP: 布控 → live matcher (in-process stream) → task at the station → outcome."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from zhifa.db.session import unit_of_work
from zhifa.interception.live import LiveMatcher, load_graph
from zhifa.interception.orm import InterceptTask, StreamDeadLetter
from zhifa.interception.stream import MemoryStream
from zhifa.org.orm import RoadSegment, Site, Team, Unit
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

PASSWORD = "secret-pass-123"


def seed(container) -> None:
    now = container.clock.now()
    with unit_of_work(container.db) as s:
        for code, name, level, parent, city in [("410000", "河南省", "province", None, None),
                                                ("410100", "郑州市", "city", "410000", "410100"),
                                                ("410181", "巩义市", "county", "410000", "410100"),
                                                ("410300", "洛阳市", "city", "410000", "410300")]:
            s.add(Unit(unit_code=code, name=name, level=level, parent_code=parent, city_code=city))
        s.flush()
        s.add(Team(team_id="T-GY", unit_code="410181", name="巩义大队", kind="brigade"))
        chain = [("LY-G1", "gantry", "410300", 112.6), ("LY-T1", "toll_station", "410300", 112.8),
                 ("GY-G1", "gantry", "410181", 112.95), ("GY-T1", "toll_station", "410181", 113.0),
                 ("ZZ-G1", "gantry", "410100", 113.4), ("ZZ-T1", "toll_station", "410100", 113.6)]
        for sid, kind, unit, lon in chain:
            s.add(Site(site_id=sid, kind=kind, name=sid + "站", unit_code=unit, road="G30", lon=lon, lat=34.7,
                       direction=1))
        s.flush()
        for (a, *_), (b, *_) in zip(chain, chain[1:], strict=False):
            s.add(RoadSegment(segment_id=f"{a}>{b}", road="G30", from_site=a, to_site=b, length_m=15_000))
        for username, role, unit, site in [("prov", "analyst", "410000", None), ("ly", "analyst", "410300", None),
                                           ("gyop", "toll_operator", "410181", "GY-T1"),
                                           ("zzop", "toll_operator", "410100", "ZZ-T1")]:
            create_user(s, actor=SYSTEM, username=username, password=PASSWORD, role=role, unit_code=unit,
                        site_id=site, now=now)


@pytest.fixture
def app_client(container):
    seed(container)
    with TestClient(create_app(container)) as c:
        yield c


def csrf(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


def login(c: TestClient, user: str) -> str:
    token = csrf(c.get("/login").text)
    r = c.post("/login", data={"username": user, "password": PASSWORD, "csrf_token": token, "next": "/"},
               follow_redirects=False)
    assert r.status_code in (302, 303), r.text[:300]
    return csrf(c.get("/watch" if user in ("prov", "ly") else "/intercept/station").text)


def test_watch_hit_task_outcome_loop(app_client, container):
    c = app_client
    tok = login(c, "prov")
    now = container.clock.now()
    r = c.post("/api/watch", json={"plate": "豫A80251", "plate_color": "yellow", "reason": "涉嫌非法改装",
                                   "legal_basis": "《公路安全保护条例》第33条", "valid_to": (now + timedelta(days=3)).isoformat(),
                                   "vehicle_class": 15, "axle_count": 5}, headers={"x-csrf-token": tok})
    assert r.status_code == 201, r.text
    entry_id = r.json()["entry_id"]
    assert c.post("/api/watch", json={"plate": "豫A80251", "plate_color": "yellow", "reason": "x",
                                      "valid_to": now.isoformat()}, headers={"x-csrf-token": tok}).status_code == 422
    assert c.post("/api/watch", json={}, headers={}).status_code in (403, 422)

    stream = MemoryStream(batch_size=50)
    live = LiveMatcher(container.db, stream, container.clock, graph=load_graph(container.db))
    container.clock.advance(minutes=1)
    t0 = container.clock.now() - timedelta(seconds=5)  # after the listing: event time decides
    stream.publish([
        # an OCR misreading (8→B) at the Luoyang gantry, then a clean read at Gongyi
        {"record_id": "g1", "gantry_id": "LY-G1", "pass_time": t0.isoformat(), "plate": "豫AB0251",
         "plate_color": "yellow", "vehicle_class": 15, "axle_count": 5, "direction": 1, "media": "obu"},
        {"record_id": "bad", "gantry_id": "LY-G1", "pass_time": "not a time", "plate": "豫A1"},
    ])
    stream.publish_raw("{broken")
    live.run(block_ms=0, idle_exit=True)
    assert live.report.hits == 1 and live.report.malformed == 1 and live.report.dead_messages == 1
    with unit_of_work(container.db) as s:
        stations = sorted(s.execute(select(InterceptTask.station_id)).scalars())
        assert len(list(s.execute(select(StreamDeadLetter)).scalars())) == 2
    assert stations == ["GY-T1", "LY-T1", "ZZ-T1"]

    clock = container.clock
    clock.advance(minutes=1)
    stream.publish([{"record_id": "g2", "gantry_id": "GY-G1", "pass_time": (t0 + timedelta(minutes=20)).isoformat(),
                     "plate": "豫A80251", "plate_color": "yellow", "vehicle_class": 15, "axle_count": 5}])
    live.run(block_ms=0, idle_exit=True)
    live_json = c.get("/api/intercept/live").json()
    assert [v["site_id"] for v in live_json["vehicles"]] == ["GY-G1"]
    assert sorted(t["station_id"] for t in live_json["open_tasks"]) == ["GY-T1", "ZZ-T1"]  # LY-T1 passed
    assert "every 5s" in c.get("/intercept/live").text
    assert c.get("/intercept/assets/live.js").status_code == 200
    hits = c.get(f"/api/watch/{entry_id}/hits").json()["items"]
    assert {h["match_kind"] for h in hits} == {"exact", "lookalike"}
    detail = c.get(f"/watch/{entry_id}")
    assert detail.status_code == 200 and "豫AB0251" in detail.text and "近似" in detail.text

    # the Gongyi operator sees only the Gongyi task, in the station page
    c.post("/logout", data={"csrf_token": tok})
    tok = login(c, "gyop")
    page = c.get("/intercept/station").text
    assert "GY-T1" in page and "ZZ-T1" not in page and 'hx-trigger="every 5s"' in page
    assert "station.css" in page and c.get("/intercept/assets/station.css").status_code == 200
    tasks = c.get("/api/intercept/tasks?status=open").json()["items"]
    assert [t["station_id"] for t in tasks] == ["GY-T1"]
    r = c.post(f"/intercept/tasks/{tasks[0]['task_id']}/outcome",
               data={"csrf_token": tok, "outcome": "intercepted", "findings": "超限 35%", "case_id": "C1"},
               follow_redirects=False)
    assert r.status_code == 303 and "message" in r.headers["location"]
    # the vehicle is caught: the Zhengzhou task is withdrawn, nothing is left open anywhere
    with unit_of_work(container.db) as s:
        assert {t.station_id: t.status for t in s.execute(select(InterceptTask)).scalars()} == {
            "GY-T1": "answered", "LY-T1": "withdrawn", "ZZ-T1": "withdrawn"}
    # another station's task is not found for this operator
    with unit_of_work(container.db) as s:
        zz = s.execute(select(InterceptTask).where(InterceptTask.station_id == "ZZ-T1")).scalar_one()
    assert c.post(f"/api/intercept/tasks/{zz.task_id}/outcome", json={"outcome": "not_seen"},
                  headers={"x-csrf-token": tok}).status_code == 404

    c.post("/logout", data={"csrf_token": tok})
    tok = login(c, "prov")
    figs = c.get("/api/intercept/figures?by=city&days=2").json()
    by = {r["key"]: r for r in figs["items"]}
    assert by["410100"]["intercepted"] == 1 and by["410100"]["hit_to_intercept_rate"] == 1.0
    assert figs["late_total"] == 0
    assert "无一延迟" in c.get("/intercept/figures").text


def test_watch_pages_import_and_scope(app_client, container):
    c = app_client
    tok = login(c, "ly")
    csv_body = ("plate,plate_color,reason,source,issued_by_unit,priority,valid_from,valid_to,status\n"
                "豫C12345,blue,非法营运,credit,410300,1,2022-03-01T00:00:00+08:00,2022-04-01T00:00:00+08:00,active\n"
                "豫C1234,blue,非法营运,credit,410300,1,2022-03-01T00:00:00+08:00,2022-04-01T00:00:00+08:00,active\n")
    r = c.post("/watch/import", data={"csrf_token": tok}, files={"file": ("w.csv", csv_body.encode(), "text/csv")},
               follow_redirects=True)
    assert "第2行" in r.text and "未导入任何记录" in r.text
    r = c.post("/watch/import", data={"csrf_token": tok, "partial": "1"},
               files={"file": ("w.csv", csv_body.encode(), "text/csv")}, follow_redirects=True)
    assert "豫C12345" in r.text
    r = c.post("/watch/add", data={"csrf_token": tok, "plate": "豫C54321", "plate_color": "blue", "reason": "套牌",
                                   "valid_to": "2022-03-10T00:00", "case_no": "洛交执罚〔2022〕1号"},
               follow_redirects=True)
    assert "已布控 豫C54321" in r.text
    c.post("/logout", data={"csrf_token": tok})
    login(c, "prov")
    assert c.get("/api/watch").json()["total"] == 2
    for path in ("/watch", "/intercept/live", "/intercept/figures?by=station", "/forwarded", "/whitelist"):
        assert c.get(path).status_code == 200, path


def test_forwarded_leads_api_json_and_csv(app_client, container):
    c = app_client
    tok = login(c, "prov")
    item = {"external_ref": "SX-2022-0007", "source_unit": "山西省交通运输综合行政执法总队", "source_province": "晋",
            "category": "third_class", "facts": "车辆在山西境内超限运输，已告知", "plate": "豫A80251",
            "plate_color": "yellow", "occurred_at": "2022-02-27T10:00:00+08:00", "target_unit": "410181"}
    r = c.post("/api/forwarded-leads?watch=true", json=[item, {"external_ref": "x"}], headers={"x-csrf-token": tok})
    body = r.json()
    assert len(body["created"]) == 1 and body["errors"][0]["row"] == 2
    again = c.post("/api/forwarded-leads", json=item, headers={"x-csrf-token": tok}).json()
    assert again["repeated"] == body["created"]
    csv_body = "external_ref,source_unit,category,facts,plate,plate_color\nHB-1,湖北省执法局,overload,超限,鄂A12345,yellow\n"
    r = c.post("/api/forwarded-leads", content=csv_body.encode(), headers={"x-csrf-token": tok, "content-type": "text/csv"})
    assert len(r.json()["created"]) == 1
    lid = body["created"][0]
    assert c.post(f"/api/forwarded-leads/{lid}/assign", json={"unit_code": "410181", "assignee": "李四"},
                  headers={"x-csrf-token": tok}).json()["status"] == "assigned"
    assert c.post(f"/api/forwarded-leads/{lid}/close", json={"result": "已立案"},
                  headers={"x-csrf-token": tok}).json()["status"] == "closed"
    comp = {r["unit_code"]: r for r in c.get("/api/forwarded-leads/completion").json()["items"]}
    assert comp["410181"]["completion_rate"] == 1.0 and comp["410000"]["completion_rate"] == 0.0
    assert c.get("/api/watch?source=forwarded").json()["total"] == 1
