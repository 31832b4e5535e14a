"""Errors of the cases slice and the party portal in English (cookie lang=en); Chinese stays the default.

Form errors on the case pages and the portal, the error page, and the API body (`detail` in Chinese as
before, `detail_en` next to it) all carry the domain error's English text."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_cases_http import _open_notified, seed
from tests.integration.test_cases_http import login as cases_login
from tests.support import csrf_from, english
from zhifa.web.app import create_app


@pytest.fixture
def app(container):
    seed(container)
    return create_app(container)


def _error(html: str) -> str:
    m = re.search(r'data-testid="error"[^>]*>([^<]+)<', html)
    return m.group(1).strip() if m else ""


def test_case_form_errors_in_english_and_chinese_by_default(app):
    with TestClient(app) as client:
        tok = cases_login(client, "off")
        c = _open_notified(client, tok)
        form = {"csrf_token": tok, "catalogue_code": "GPS-OFF", "proposed_fine_yuan": "99999", "facts": "x",
                "party_name": "y", "party_kind": "person", "plate": "豫A1", "act_on": "2022-02-01"}
        r = client.post("/cases/new", data=form)
        assert r.status_code == 422 and "罚款 99999 元超出" in r.text and "法定幅度" in r.text
        r = client.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": tok, "target": "served"})
        assert "案件处于“告知”，不能转为“送达”（普通程序）" in r.text
        english(client)
        r = client.post("/cases/new", data=form)
        assert r.status_code == 422
        assert "A fine of 99999 yuan is outside the statutory range of" in r.text and "法定幅度" not in r.text
        r = client.post("/cases/new", data={**form, "facts": " "})
        assert "Enter the facts of the violation" in r.text
        r = client.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": tok, "target": "served"})
        assert "The case is at “Notified” and cannot move to “Served” (ordinary procedure)" in r.text
        r = client.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": tok, "target": "not_penalised"})
        assert "A decision of no penalty requires a reason" in r.text
        r = client.post(f"/cases/{c['case_id']}/exemption", data={"csrf_token": tok, "item_code": "NOPE", "reason": ""})
        assert "Applying the exemption or mitigation list requires a reason" in r.text
        r = client.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": tok, "target": "decided"})
        assert "The time limit for statement and defence runs until" in r.text


def test_case_api_errors_carry_detail_en(app):
    with TestClient(app) as client:
        tok = cases_login(client, "off")
        c = _open_notified(client, tok)
        r = client.post(f"/api/cases/{c['case_id']}/advance", json={"target": "served"}, headers={"x-csrf-token": tok})
        assert r.status_code == 409
        body = r.json()
        assert body["detail"] == "案件处于“告知”，不能转为“送达”（普通程序）"
        assert body["detail_en"] == "The case is at “Notified” and cannot move to “Served” (ordinary procedure)"


def test_a_case_of_another_city_is_not_found_in_english(app):
    with TestClient(app) as staff:
        tok = cases_login(staff, "off")
        c = _open_notified(staff, tok)
    with TestClient(app) as other:
        cases_login(other, "ly")
        r = other.get(f"/cases/{c['case_id']}")
        assert r.status_code == 404 and "案件不存在" in r.text
        english(other)
        r = other.get(f"/cases/{c['case_id']}")
        assert r.status_code == 404 and "Case not found" in r.text and "案件不存在" not in r.text
        assert other.get(f"/api/cases/{c['case_id']}").json()["detail_en"] == "Case not found"


def test_portal_errors_in_english_and_chinese_by_default(app):
    with TestClient(app) as staff:
        tok = cases_login(staff, "off")
        c = _open_notified(staff, tok)
    with TestClient(app) as party:
        ptok = csrf_from(party.get("/portal").text)
        r = party.post("/portal/lookup", data={"csrf_token": ptok, "plate": "豫B99999", "case_code": c["case_code"]})
        assert r.status_code == 404 and _error(r.text) == "车牌号或案件查询码不正确"
        party.post("/portal/lookup", data={"csrf_token": ptok, "plate": c["plate"], "case_code": c["case_code"]})
        r = party.post("/portal/statement", data={"csrf_token": ptok, "kind": "defence", "text": " "})
        assert "请填写陈述申辩内容" in r.text
        r = party.post("/portal/pay", data={"csrf_token": ptok})
        assert "本案当前不在缴款阶段" in r.text
        english(party)
        r = party.post("/portal/lookup", data={"csrf_token": ptok, "plate": "豫B99999", "case_code": c["case_code"]})
        assert r.status_code == 404 and _error(r.text) == "Wrong plate number or case code"
        party.post("/portal/lookup", data={"csrf_token": ptok, "plate": c["plate"], "case_code": c["case_code"]})
        r = party.post("/portal/statement", data={"csrf_token": ptok, "kind": "defence", "text": " "})
        assert "Enter your statement and defence" in r.text and "请填写陈述申辩内容" not in r.text
        r = party.post("/portal/statement", data={"csrf_token": ptok, "kind": "bogus", "text": "x"})
        assert "Invalid type of submission" in r.text
        r = party.post("/portal/pay", data={"csrf_token": ptok})
        assert "This case is not at the payment stage" in r.text
        r = party.get("/portal/documents/NOPE")
        assert r.status_code == 404 and "Document not found" in r.text
