"""Supervision over HTTP: a supervisor assigns, the city handles, the callback reopens; rankings and the
quarterly bulletin as a PDF that turns into PNG pages."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000"), ("zz", "officer", "410100"), ("ly", "officer", "410300")])
    with TestClient(create_app(container)) as c:
        yield c


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/supervision/orders").text)})


def test_order_lifecycle_through_the_pages(client):
    login(client, "sup")
    token = csrf_from(client.get("/supervision/orders").text)
    r = client.post("/supervision/orders", data={"unit_code": "410100", "title": "核查郑州某检测站乱罚款举报",
                                                  "source": "complaint", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    assert "豫交执督〔2022〕0001号" in client.get(url).text
    _logout(client)

    login(client, "ly")
    assert client.get(url).status_code == 404  # 洛阳 cannot see 郑州's order
    assert client.get("/api/supervision/orders").json()["count"] == 0
    _logout(client)

    login(client, "zz")
    token = csrf_from(client.get(url).text)
    client.post(url + "/act", data={"action": "accept", "csrf_token": token})
    client.post(url + "/act", data={"action": "complete", "note": "已核实并退还罚款", "csrf_token": token})
    _logout(client)

    login(client, "sup")
    token = csrf_from(client.get(url).text)
    client.post(url + "/act", data={"action": "callback_dissatisfied", "note": "当事人不满意", "csrf_token": token})
    page = client.get(url).text
    assert "承办中" in page and "回访：不满意" in page


def test_an_illegal_action_is_refused_with_a_message(client):
    login(client, "sup")
    token = csrf_from(client.get("/supervision/orders").text)
    created = client.post("/api/supervision/orders", json={"unit_code": "410100", "title": "测试"},
                          headers={"X-CSRF-Token": token})
    assert created.status_code == 201
    oid = created.json()["order_id"]
    r = client.post(f"/api/supervision/orders/{oid}/act", json={"action": "callback_satisfied"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and "不能执行" in r.json()["detail"]


def test_ranking_page_and_bulletin_pdf(client, tmp_path):
    login(client, "sup")
    page = client.get("/supervision/ranking?period=2022Q1")
    assert page.status_code == 200 and "济源" in page.text and "巩义市" in page.text and "公式" in page.text
    pdf = client.get("/supervision/ranking/bulletin.pdf?period=2022Q1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to check the bulletin's pages")
    (tmp_path / "b.pdf").write_bytes(pdf.content)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "b.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)
    text = subprocess.run(["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "省直管县" in text and "郑州市" in text


def test_a_city_user_sees_ranks_but_not_other_cities_figures(client):
    login(client, "zz")
    data = client.get("/api/supervision/ranking?period=2022Q1").json()
    others = [r for r in data["cities"] if r["unit_code"] != "410100"]
    assert all(r["case_completion_rate"] is None for r in others)
    assert len(data["cities"]) == 18


def test_an_unknown_action_or_source_is_a_clear_refusal_not_a_server_error(client):
    login(client, "sup")
    token = csrf_from(client.get("/supervision/orders").text)
    bad_source = client.post("/supervision/orders", data={"unit_code": "410100", "title": "测试", "source": "rumour",
                                                          "csrf_token": token})
    assert bad_source.status_code == 422 and "未知的工单来源" in bad_source.text
    created = client.post("/api/supervision/orders", json={"unit_code": "410100", "title": "测试"},
                          headers={"X-CSRF-Token": token})
    oid = created.json()["order_id"]
    r = client.post(f"/api/supervision/orders/{oid}/act", json={"action": "shred"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 422 and "未知的工单操作" in r.json()["detail"] and "Unknown" in r.json()["detail_en"]
