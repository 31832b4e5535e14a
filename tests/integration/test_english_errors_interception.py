"""Errors of 布控拦截 in English (cookie `lang=en`): flashes, row errors of an import, error pages and the API's
`detail_en`; without the cookie the same errors are shown in Chinese as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_interception_http import login, seed
from tests.support import english
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed(container)
    with TestClient(create_app(container)) as c:
        yield c


def _add_without_reason(c: TestClient, tok: str):
    return c.post("/watch/add", data={"csrf_token": tok, "plate": "豫C54321", "plate_color": "blue", "reason": "  ",
                                      "valid_to": "2022-03-10T00:00", "case_no": "C-7"}, follow_redirects=True)


def _import(c: TestClient, tok: str, body: str, path: str = "/watch/import"):
    return c.post(path, data={"csrf_token": tok}, files={"file": ("w.csv", body.encode(), "text/csv")},
                  follow_redirects=True)


BAD_WATCH_CSV = "plate,plate_color,reason,valid_to\n豫A12345,purple,套牌,2022-03-10T00:00:00+08:00\n"
BAD_WHITELIST_CSV = ("plate,plate_color,enterprise_id,valid_from,valid_to\n"
                     "豫A11111,blue,E1,2022-06-01T00:00:00+08:00,2022-01-01T00:00:00+08:00\n")


def test_watch_list_flashes_and_row_errors_in_english(client):
    c = client
    tok = login(c, "prov")
    english(c)
    r = _add_without_reason(c, tok)
    assert r.status_code == 200 and "A watch-list entry needs a reason" in r.text
    assert "布控须填写事由" not in r.text
    r = _import(c, tok, BAD_WATCH_CSV)
    assert "row 1: Invalid plate colour: purple" in r.text, r.text
    r = _import(c, tok, BAD_WHITELIST_CSV, "/whitelist/import")
    assert "valid_to must be later than valid_from" in r.text
    r = c.post("/watch/NOPE/revoke", data={"csrf_token": tok, "reason": "x"})
    assert r.status_code == 404 and "Watch-list entry not found" in r.text


def test_watch_list_errors_stay_chinese_by_default(client):
    c = client
    tok = login(c, "prov")
    r = _add_without_reason(c, tok)
    assert "布控须填写事由" in r.text and "needs a reason" not in r.text
    r = _import(c, tok, BAD_WATCH_CSV)
    assert "车牌颜色无效: purple" in r.text and "Invalid plate colour" not in r.text
    r = _import(c, tok, BAD_WHITELIST_CSV, "/whitelist/import")
    assert "有效期止须晚于起" in r.text
    r = c.post("/watch/NOPE/revoke", data={"csrf_token": tok, "reason": "x"})
    assert r.status_code == 404 and "布控记录不存在" in r.text


def test_the_api_gives_the_chinese_detail_and_its_english_text(client, container):
    c = client
    tok = login(c, "prov")
    h = {"x-csrf-token": tok}
    now = container.clock.now()
    r = c.post("/api/watch", json={"plate": "豫A12345", "plate_color": "blue", "reason": "套牌", "case_no": "C-1",
                                   "valid_to": (now + timedelta(days=400)).isoformat()}, headers=h)
    assert r.status_code == 422
    assert r.json() == {"detail": "布控期限不得超过 366 天", "detail_en": "A watch-list entry may last at most 366 days"}
    item = {"external_ref": "SX-1", "source_unit": "山西省执法总队", "category": "overload", "facts": " "}
    r = c.post("/api/forwarded-leads", json=item, headers=h)
    err = r.json()["errors"][0]
    assert err == {"row": 1, "error": "抄告缺少字段: facts", "error_en": "The forwarded lead is missing fields: facts"}


def test_a_toll_operator_sees_task_errors_in_english(client):
    c = client
    tok = login(c, "gyop")
    english(c)
    r = c.post("/intercept/tasks/NOPE/outcome", data={"csrf_token": tok, "outcome": "not_seen"})
    assert r.status_code == 404 and "Interception task not found" in r.text and "拦截任务不存在" not in r.text
    c.cookies.delete("lang")
    r = c.post("/intercept/tasks/NOPE/outcome", data={"csrf_token": tok, "outcome": "not_seen"})
    assert r.status_code == 404 and "拦截任务不存在" in r.text
