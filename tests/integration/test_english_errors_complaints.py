"""Errors of complaints and barriers in English (cookie `lang=en`): the public report form, the receipt-code
lookup, Open311 (a `description_en` next to the GeoReport v2 `description`) and the staff pages; without the
cookie the same errors are shown in Chinese as before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, english, login, seed_units, seed_users
from zhifa.web.app import create_app

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000")])
    with TestClient(create_app(container)) as c:
        yield c


def _report(c: TestClient, **fields: str):
    data = {"category": "road_environment", "description": "路面有人打场晒粮，占用车道", "lon": "113.66", "lat": "34.76",
            "csrf_token": csrf_from(c.get("/report").text)}
    data.update(fields)
    return c.post("/report", data=data, files=[("photos", ("a.jpg", JPEG, "image/jpeg"))])


def test_the_public_sees_errors_in_english(client):
    english(client)
    r = _report(client, lon="121.47", lat="31.23")  # Shanghai
    assert r.status_code == 422 and "The location must be within Henan Province" in r.text
    assert "河南省境内" not in r.text
    r = _report(client, lon="abc")
    assert r.status_code == 422 and "Coordinates and the kilometre post must be numbers" in r.text
    r = client.get("/report/status?code=NOPE0000")
    assert r.status_code == 404 and "Receipt code not found" in r.text and "回执码不存在" not in r.text


def test_the_public_sees_errors_in_chinese_by_default(client):
    r = _report(client, lon="121.47", lat="31.23")
    assert r.status_code == 422 and "位置须在河南省境内" in r.text and "Henan Province" not in r.text
    r = client.get("/report/status?code=NOPE0000")
    assert r.status_code == 404 and "回执码不存在" in r.text


def test_open311_errors_keep_their_georeport_shape_with_an_english_text(client):
    r = client.post("/open311/v2/requests.json", data={"service_code": "other", "lat": "31.23", "long": "121.47",
                                                       "description": "上海的一处问题描述"})
    assert r.status_code == 400
    assert r.json() == [{"code": 400, "description": "位置须在河南省境内",
                         "description_en": "The location must be within Henan Province"}]
    r = client.get("/open311/v2/requests/NOPE0000.json")
    assert r.status_code == 404 and r.json()[0]["description_en"] == "Receipt code not found"
    r = client.get("/open311/v2/requests.json")
    assert r.status_code == 400 and r.json()[0]["description"].startswith("须提供 service_request_id")
    assert r.json()[0]["description_en"].startswith("service_request_id (the receipt code) is required")


def test_staff_pages_show_errors_in_english(client):
    r = _report(client)
    code = r.text.split('data-testid="receipt-code">')[1].split("<")[0].strip()
    login(client, "sup")
    rows = client.get("/api/complaints").json()["data"]
    cid = next(x["complaint_id"] for x in rows if x["receipt_code"] == code)
    tok = csrf_from(client.get(f"/complaints/{cid}").text)
    english(client)
    r = client.post(f"/complaints/{cid}/act", data={"csrf_token": tok, "verb": "reject", "text": " "})
    assert r.status_code == 422 and "Rejecting a report needs a reason" in r.text
    r = client.post(f"/complaints/{cid}/act", data={"csrf_token": tok, "verb": "reward", "amount_yuan": "100"})
    assert r.status_code == 422 and "An anonymous report cannot be rewarded" in r.text
    r = client.get("/complaints/NOPE")
    assert r.status_code == 404 and "Report not found" in r.text
    client.cookies.delete("lang")
    r = client.post(f"/complaints/{cid}/act", data={"csrf_token": tok, "verb": "reject", "text": " "})
    assert r.status_code == 422 and "不予受理须说明理由" in r.text
