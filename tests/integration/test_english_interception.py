"""The 布控拦截 pages in English (cookie `lang=en`) and, by default, still in Chinese.

The data (plates, unit and station names, reasons typed by users) stays Chinese, so each page is checked
for a few English texts and for a small share of CJK characters in its <main>."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_interception_http import csrf, login, seed
from tests.support import cjk_share, english
from zhifa.interception.live import LiveMatcher, load_graph
from zhifa.interception.stream import MemoryStream
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed(container)
    with TestClient(create_app(container)) as c:
        yield c


def _seed_data(c: TestClient, container) -> str:
    """Two watch-list entries, a hit creating tasks at the toll stations, a forwarded lead and a whitelist row;
    returns the id of the entry with hits. Logged in as the province analyst at the end."""
    tok = login(c, "prov")
    now = container.clock.now()
    h = {"x-csrf-token": tok}
    r = c.post("/api/watch", json={"plate": "豫A80251", "plate_color": "yellow", "reason": "涉嫌非法改装",
                                   "legal_basis": "《公路安全保护条例》第33条", "valid_to": (now + timedelta(days=3)).isoformat(),
                                   "vehicle_class": 15, "axle_count": 5}, headers=h)
    assert r.status_code == 201, r.text
    entry_id = r.json()["entry_id"]
    assert c.post("/api/watch", json={"plate": "豫A12345", "plate_color": "blue", "reason": "套牌",
                                      "case_no": "豫交执罚〔2022〕7号", "valid_to": (now + timedelta(days=3)).isoformat()}, headers=h).status_code == 201
    stream = MemoryStream(batch_size=50)
    live = LiveMatcher(container.db, stream, container.clock, graph=load_graph(container.db))
    container.clock.advance(minutes=1)
    t0 = container.clock.now() - timedelta(seconds=5)
    stream.publish([{"record_id": "g1", "gantry_id": "LY-G1", "pass_time": t0.isoformat(), "plate": "豫AB0251",
                     "plate_color": "yellow", "vehicle_class": 15, "axle_count": 5, "direction": 1, "media": "obu"},
                    {"record_id": "g2", "gantry_id": "GY-G1", "pass_time": (t0 + timedelta(seconds=2)).isoformat(),
                     "plate": "豫A80251", "plate_color": "yellow", "vehicle_class": 15, "axle_count": 5}])
    live.run(block_ms=0, idle_exit=True)
    item = {"external_ref": "SX-2022-0007", "source_unit": "山西省执法总队", "source_province": "晋",
            "category": "overload", "facts": "超限运输", "plate": "豫A80251", "plate_color": "yellow",
            "occurred_at": "2022-02-27T10:00:00+08:00", "target_unit": "410181"}
    assert len(c.post("/api/forwarded-leads", json=item, headers=h).json()["created"]) == 1
    body = ("plate,plate_color,enterprise_id,route_from,route_to,valid_from,valid_to\n"
            "豫A11111,blue,E1,郑州,洛阳,2022-01-01T00:00:00+08:00,2023-01-01T00:00:00+08:00\n")
    r = c.post("/whitelist/import", data={"csrf_token": csrf(c.get("/whitelist").text)},
               files={"file": ("w.csv", body.encode(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    return entry_id


def test_interception_pages_in_english(client, container):
    c = client
    entry_id = _seed_data(c, container)
    english(c)
    pages = {
        "/watch": ["Watch-list", "Plate colour", "Bulk import (CSV)", "Revoke", "Yellow"],
        f"/watch/{entry_id}": ["Watch-list entry 豫A80251", "Reason:", "Hits", "Look-alike", "Gantry"],
        "/intercept/live": ["Watch-listed vehicles, live", "Open interception tasks", "Expected arrival", " km)"],
        "/intercept/live/panel": ["Outcome due", "Escalation"],
        "/intercept/figures": ["Watch-list and interception figures", "Hit-to-interception rate", "By toll station",
                               "Completion of forwarded leads"],
        "/intercept/figures?by=station": ["By toll station", "Median response (minutes)"],
        "/intercept/figures?by=team": ["By team", "(no team) 410"],
        "/forwarded": ["Forwarded leads", "Sent by", "Assign", "Received"],
        "/whitelist": ["Whitelist of licensed passenger vehicles", "Operator", "Valid", "Import the whitelist (CSV)"],
    }
    for path, texts in pages.items():
        r = c.get(path)
        assert r.status_code == 200, path
        for text in texts:
            assert text in r.text, (path, text)
        # data (plates, Chinese unit, station and operator names, reasons) legitimately stays Chinese
        assert cjk_share(r.text) < 0.2, (path, cjk_share(r.text))

    # flash messages built by the pages follow the language too
    tok = csrf(c.get("/watch").text)
    r = c.post("/watch/add", data={"csrf_token": tok, "plate": "豫C54321", "plate_color": "blue", "reason": "套牌",
                                   "valid_to": "2022-03-10T00:00", "case_no": "C-7"}, follow_redirects=True)
    assert "豫C54321 is now watch-listed" in r.text
    bad = "plate,plate_color,reason,source,issued_by_unit,priority,valid_from,valid_to,status\nx,blue,r,credit,410000,1,,,\n"
    r = c.post("/watch/import", data={"csrf_token": tok}, files={"file": ("w.csv", bad.encode(), "text/csv")},
               follow_redirects=True)
    assert "Rows with errors: 1; nothing was imported" in r.text and "row 1: " in r.text


def test_station_page_in_english_for_a_toll_operator(client, container):
    c = client
    _seed_data(c, container)
    c.post("/logout", data={"csrf_token": csrf(c.get("/watch").text)})
    login(c, "gyop")
    english(c)
    r = c.get("/intercept/station")
    assert r.status_code == 200
    for text in ("Interception tasks at this station (GY-T1站)", "Refreshes every 5 seconds", "Intercepted",
                 "Not seen", "False hit", "What was found"):
        assert text in r.text, text
    assert cjk_share(r.text) < 0.2, cjk_share(r.text)
    panel = c.get("/intercept/station/panel")
    assert panel.status_code == 200 and "Released" in panel.text
    tasks = c.get("/api/intercept/tasks?status=open").json()["items"]
    r = c.post(f"/intercept/tasks/{tasks[0]['task_id']}/outcome",
               data={"csrf_token": csrf(r.text), "outcome": "not_seen"}, follow_redirects=True)
    assert "Outcome for 豫A80251 reported: Not seen" in r.text


def test_interception_pages_stay_chinese_by_default(client, container):
    c = client
    entry_id = _seed_data(c, container)
    for path, heading in {"/watch": "<h1>布控名单</h1>", f"/watch/{entry_id}": "<h1>布控 豫A80251（黄）</h1>",
                          "/intercept/live": "<h1>布控车辆实时态势</h1>", "/intercept/figures": "<h1>布控拦截统计</h1>",
                          "/forwarded": "<h1>抄告线索</h1>", "/whitelist": "<h1>客运车辆白名单</h1>"}.items():
        r = c.get(path)
        assert r.status_code == 200 and heading in r.text, path
        assert "Watch-list" not in r.text.split("<main", 1)[1], path


def test_every_interception_text_has_both_languages_and_every_template_key_exists():
    from pathlib import Path

    from zhifa.interception import messages

    assert set(messages.ZH) == set(messages.EN)
    assert all(messages.EN.values())
    folder = Path(messages.__file__).parents[1] / "web" / "templates" / "interception"
    used = {k for f in folder.glob("*.html") if not f.name.endswith("_pdf.html")
            for k in re.findall(r"\bt\('([a-z_.]+)'\s*[,)]", f.read_text(encoding="utf-8"))}
    assert used and not used - set(messages.ZH), used - set(messages.ZH)
