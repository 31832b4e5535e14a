"""Errors of supervision (work orders, inspections, rankings) in English (cookie `lang=en`) on pages and as the
API's `detail_en`; without the cookie the same errors are shown in Chinese as before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, english, login, seed_units, seed_users
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000"), ("zzsup", "supervisor", "410100")])
    with TestClient(create_app(container)) as c:
        yield c


def _order(c: TestClient, tok: str) -> str:
    r = c.post("/supervision/orders", data={"csrf_token": tok, "unit_code": "410000", "source": "instruction",
                                            "title": "核查超限站执法情况"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[-1]


def _errors(c: TestClient, tok: str) -> dict[str, str]:
    """The text of each page showing an error, by a short name."""
    order_id = _order(c, tok)
    out = {}
    r = c.post(f"/supervision/orders/{order_id}/act", data={"csrf_token": tok, "action": "complete", "note": " "})
    assert r.status_code == 422
    out["no_result"] = r.text
    r = c.post(f"/supervision/orders/{order_id}/act", data={"csrf_token": tok, "action": "complete", "note": "已办"})
    assert r.status_code == 409
    out["transition"] = r.text
    r = c.post("/supervision/inspections", data={"csrf_token": tok, "title": "暗访", "kind": "secret",
                                                 "units": "410100", "start": "2022-02-25", "end": "2022-02-20"})
    assert r.status_code == 422
    out["dates"] = r.text
    r = c.get("/supervision/orders/NOPE")
    assert r.status_code == 404
    out["missing"] = r.text
    r = c.get("/supervision/ranking?period=someday")
    assert r.status_code == 422
    out["period"] = r.text
    return out


def test_supervision_errors_in_english(client):
    login(client, "sup")
    tok = csrf_from(client.get("/supervision/orders").text)
    english(client)
    pages = _errors(client, tok)
    assert "Completing a work order needs the result of its handling" in pages["no_result"]
    assert "A work order that is “assigned” does not allow “complete”" in pages["transition"]
    assert "The end date cannot be earlier than the start date" in pages["dates"]
    assert "Work order not found" in pages["missing"]
    assert "The period must look like 2022Q1, 2022-03 or 2022" in pages["period"]
    for text in pages.values():
        assert "不能" not in text and "不存在" not in text


def test_supervision_errors_stay_chinese_by_default(client):
    login(client, "sup")
    tok = csrf_from(client.get("/supervision/orders").text)
    pages = _errors(client, tok)
    assert "办结须填写办理结果" in pages["no_result"]
    assert "工单状态为「assigned」时不能执行「complete」" in pages["transition"]
    assert "结束日期不能早于开始日期" in pages["dates"]
    assert "工单不存在" in pages["missing"]
    assert "统计期间格式应为 2022Q1、2022-03 或 2022" in pages["period"]


def test_the_api_adds_the_english_text_next_to_the_chinese_detail(client):
    login(client, "zzsup")
    h = {"X-CSRF-Token": csrf_from(client.get("/supervision/orders").text)}
    r = client.post("/api/supervision/orders", json={"unit_code": "410300", "source": "instruction", "title": "核查"},
                    headers=h)
    assert r.status_code == 403
    assert r.json() == {"detail": "只能向本单位及下级单位交办工单",
                        "detail_en": "Work orders may only be assigned to your own unit or the units below it"}
    r = client.get("/api/supervision/ranking?period=someday")
    assert r.status_code == 422 and r.json()["detail_en"] == "The period must look like 2022Q1, 2022-03 or 2022"
