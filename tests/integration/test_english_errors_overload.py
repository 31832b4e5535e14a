"""Errors of overload control (held vehicles, trace-back, leads, notices) and of the credit list in English
(cookie lang=en); Chinese stays the default. Uses the world of tests/integration/test_english_overload.py."""

from __future__ import annotations

from tests.integration.test_english_overload import client  # noqa: F401 - `client` is a fixture
from tests.support import csrf_from, english


def _held_form(client, **over: str) -> dict[str, str]:  # noqa: F811
    token = csrf_from(client.get("/overload/held").text)
    return {"plate": "豫F66666", "plate_color": "yellow", "station_id": "CS1", "reason": "超限未卸载",
            "csrf_token": token, **over}


def test_held_vehicle_errors_in_english_and_chinese_by_default(client):  # noqa: F811
    r = client.post("/overload/held", data=_held_form(client, station_id="W1"))
    assert r.status_code == 422 and "须为超限检测站" in r.text
    r = client.post("/overload/held/NOPE/clear", data={"service_note": "x", "csrf_token": _held_form(client)["csrf_token"]})
    assert r.status_code == 404 and "滞留车辆不存在" in r.text
    english(client)
    r = client.post("/overload/held", data=_held_form(client, station_id="W1"))
    assert r.status_code == 422 and "The site must be an overload check station" in r.text and "须为超限检测站" not in r.text
    r = client.post("/overload/held", data=_held_form(client, reason=" "))
    assert r.status_code == 422 and "Enter the reason for holding the vehicle" in r.text
    r = client.post("/overload/held", data=_held_form(client, plate="豫F6666"))
    assert r.status_code == 422 and "Invalid plate number: " in r.text  # the reason itself comes from shared/plates
    r = client.post("/overload/held/NOPE/clear", data={"service_note": "x", "csrf_token": _held_form(client)["csrf_token"]})
    assert r.status_code == 404 and "Held vehicle not found" in r.text


def test_trace_back_lead_and_notice_errors_in_english(client):  # noqa: F811
    page = client.get("/overload/trace").text
    task_id = page.split('action="/overload/trace/')[1].split("/close")[0]
    token = csrf_from(page)
    r = client.post(f"/overload/trace/{task_id}/close", data={"outcome": "penalty", "note": " ", "csrf_token": token})
    assert r.status_code == 422 and "须填写处理情况" in r.text
    english(client)
    r = client.post(f"/overload/trace/{task_id}/close", data={"outcome": "nothing", "note": "x", "csrf_token": token})
    assert r.status_code == 422
    assert "The outcome must be a rectification order, an administrative penalty or no violation found" in r.text
    r = client.post(f"/overload/trace/{task_id}/close", data={"outcome": "penalty", "note": "x", "csrf_token": token})
    assert r.status_code == 422 and "An administrative penalty requires the amount of the fine" in r.text
    r = client.post("/overload/trace/NOPE/close", data={"outcome": "penalty", "note": "x", "csrf_token": token})
    assert r.status_code == 404 and "Trace-back task not found" in r.text
    r = client.get("/overload/notices/NOPE.pdf")
    assert r.status_code == 404 and "Notice of intended penalty not found" in r.text
    r = client.get("/api/overload/leads/NOPE/evidence")
    assert r.status_code == 404
    assert r.json() == {"detail": "线索不存在", "detail_en": "Lead not found"}
    r = client.get("/api/overload/entry-rate", params={"month": "2022/03"})
    assert r.status_code == 422 and r.json()["detail_en"] == "The month must be given as YYYY-MM"


def test_credit_errors_in_english_and_chinese_by_default(client):  # noqa: F811
    r = client.get("/credit/export.xml")
    assert r.status_code == 422 and "导出格式须为 csv 或 json" in r.text
    english(client)
    r = client.get("/credit/export.xml")
    assert r.status_code == 422 and "The export format must be csv or json" in r.text
