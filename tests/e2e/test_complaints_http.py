"""The public door over HTTP: the report form, receipt-code follow-up, Open311, staff handling."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.web.app import create_app

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000"), ("zz", "officer", "410100"), ("ly", "officer", "410300")])
    with TestClient(create_app(container)) as c:
        yield c


def _report(client, **fields):
    token = csrf_from(client.get("/report").text)
    data = {"category": "road_environment", "description": "路面有人打场晒粮，占用车道", "lon": "113.66", "lat": "34.76",
            "csrf_token": token}
    data.update(fields)
    return client.post("/report", data=data, files=[("photos", ("a.jpg", JPEG, "image/jpeg"))])


def test_the_public_form_gives_a_receipt_code_that_shows_progress(client):
    r = _report(client)
    assert r.status_code == 200, r.text
    code = r.text.split('data-testid="receipt-code">')[1].split("<")[0].strip()
    page = client.get(f"/report/status?code={code}")
    assert page.status_code == 200 and "已接收" in page.text


def test_a_refused_submission_says_why_and_keeps_nothing(client):
    r = _report(client, lon="121.47", lat="31.23")
    assert r.status_code == 422 and "河南省" in r.text
    r = client.post("/report", data={"category": "other", "description": "x" * 10, "lon": "113.6", "lat": "34.7",
                                     "csrf_token": csrf_from(client.get("/report").text)},
                    files=[("photos", ("evil.jpg", b"<svg onload=alert(1)>", "image/jpeg"))])
    assert r.status_code == 422 and "JPEG" in r.text


def test_the_form_needs_its_csrf_token(client):
    r = client.post("/report", data={"category": "other", "description": "无令牌提交", "lon": "113.6", "lat": "34.7"})
    assert r.status_code == 403


def test_open311_services_create_and_status(client):
    services = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services} >= {"barrier", "illegal_operation"}
    created = client.post("/open311/v2/requests.json", data={
        "service_code": "illegal_operation", "lat": "34.75", "long": "113.62", "description": "小区门口黑车拉客去机场"})
    assert created.status_code == 200, created.text
    rid = created.json()[0]["service_request_id"]
    status = client.get(f"/open311/v2/requests/{rid}.json").json()[0]
    assert status["status"] == "open" and status["service_code"] == "illegal_operation"
    assert client.get("/open311/v2/requests.json").status_code == 400  # no listing of other people's reports
    bad = client.post("/open311/v2/requests.json", data={"service_code": "nope", "lat": "34.75", "long": "113.62",
                                                         "description": "xxxxxxxx"})
    assert bad.status_code == 400 and bad.json()[0]["description"]


def test_public_submissions_are_rate_limited_per_address(client, container):
    container.settings.public_rate_limit_per_minute = 2
    codes = [client.post("/open311/v2/requests.json", data={
        "service_code": "other", "lat": "34.75", "long": "113.62", "description": f"第{i}次测试提交内容"}).status_code
        for i in range(3)]
    assert codes == [200, 200, 429]


def test_staff_see_only_their_jurisdiction_and_close_the_loop(client):
    r = _report(client)
    code = r.text.split('data-testid="receipt-code">')[1].split("<")[0].strip()
    login(client, "ly")
    assert client.get("/api/complaints").json()["count"] == 0  # 洛阳 does not see 郑州's report
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/complaints").text)})
    login(client, "zz")
    rows = client.get("/api/complaints").json()["data"]
    assert len(rows) == 1
    cid = rows[0]["complaint_id"]
    page = client.get(f"/complaints/{cid}")
    token = csrf_from(page.text)
    client.post(f"/complaints/{cid}/act", data={"verb": "accept", "csrf_token": token})
    client.post(f"/complaints/{cid}/act", data={"verb": "resolve", "text": "已清理", "csrf_token": token})
    view = client.get(f"/report/status?code={code}")
    assert "已处理" in view.text and "已清理" in view.text
