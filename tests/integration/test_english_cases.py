"""The case pages and the party portal in English (cookie lang=en); Chinese stays the default.

Data legitimately stays Chinese (party names, plates, facts, legal citations, document numbers), so each
page is checked against a bound on the share of CJK letters in <main> rather than zero."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_cases_http import _open_notified, seed
from tests.integration.test_cases_http import login as cases_login
from tests.support import cjk_share, csrf_from, english
from zhifa.web.app import create_app


@pytest.fixture
def app(container):
    seed(container)
    return create_app(container)


def _english_page(client: TestClient, path: str, bound: float = 0.2) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    share = cjk_share(r.text)
    assert share < bound, (path, round(share, 3))
    return r.text


def _walk_to_decided(client: TestClient, tok: str, case_id: str) -> None:
    h = {"x-csrf-token": tok}
    r = client.post(f"/api/cases/{case_id}/advance", json={"target": "decided", "fine_yuan": 2500}, headers=h)
    assert r.status_code == 200, r.text
    assert client.post(f"/api/cases/{case_id}/advance", json={"target": "served"}, headers=h).status_code == 200


def test_officer_pages_in_english_and_chinese_by_default(app):
    with TestClient(app) as client:
        tok = cases_login(client, "off")
        c = _open_notified(client, tok)
        _open_notified(client, tok, plate="豫A33333")
        assert "我的案件" in client.get("/cases").text  # default: Chinese
        assert "案件 " + c["case_code"] in client.get(f"/cases/{c['case_id']}").text
        english(client)
        page = _english_page(client, "/cases")
        assert "My cases" in page and "Due today and overdue" in page and "Case code" in page
        assert "Notified" in page and "2 cases in total" in page and "All statuses" in page
        page = _english_page(client, "/cases/new")
        assert "Open a case" in page and "Proposed fine (yuan)" in page and "Natural person" in page
        assert "Transport with gross vehicle mass over the limit" in page  # glossed catalogue item
        # a lead's facts are data (Chinese); the page around them is English
        page = _english_page(client, "/cases/new?lead_id=LEAD1", bound=0.25)
        assert "Based on lead" in page and "GPS monitoring switched off" in page
        page = _english_page(client, f"/cases/{c['case_id']}")
        for text in ("Case " + c["case_code"], "Notified", "Right to a hearing", "Time limits", "Next steps",
                     "Make penalty decision", "Notice of violation", "Case timeline", "Investigation started",
                     "Export case file (PDF)", "Statement and defence"):
            assert text in page, text
        assert 'data-testid="do-decided"' in page  # structure unchanged
        r = client.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": tok, "target": "decided",
                                                                "fine_yuan": "abc"})
        assert "The fine must be a whole number of yuan" in r.text


def test_reviewer_and_admin_pages_in_english(app):
    with TestClient(app) as staff:
        tok = cases_login(staff, "off")
        c = _open_notified(staff, tok, catalogue="PAS-ILLEGAL", fine=30000)
        staff.post(f"/api/cases/{c['case_id']}/advance", json={"target": "legal_review"}, headers={"x-csrf-token": tok})
    with TestClient(app) as rev:
        cases_login(rev, "rev")
        assert "法制审核待办" in rev.get("/cases/review").text
        english(rev)
        page = _english_page(rev, "/cases/review")
        assert "Cases awaiting legal review" in page and c["case_code"] in page and "Submitted at" in page
        # a reviewer reads the catalogue without the admin's JSON editor; the legal citations stay Chinese
        page = _english_page(rev, "/cases/admin/catalogue")
        assert "Discretion standard" in page and "Publish a new version" not in page
    with TestClient(app) as adm:
        cases_login(adm, "adm")
        assert "违法行为事项清单与裁量基准" in adm.get("/cases/admin/catalogue").text
        assert "轻微违法免罚 / 从轻清单" in adm.get("/cases/admin/exemptions").text
        english(adm)
        # the admin's page also holds the JSON editor, whose content is the catalogue data itself (Chinese titles,
        # bands, citations) on top of the citations of the table: a looser bound (about 0.22 measured)
        page = _english_page(adm, "/cases/admin/catalogue", bound=0.3)
        assert "Violation catalogue and discretion standards" in page and "Statutory range (yuan)" in page
        assert "Procedure rules" in page and "late-payment surcharge" in page and "Publish a new version" in page
        assert "1 to 10 t over the limit" in page  # glossed discretion band
        assert page.count('action="/cases/admin/catalogue"') == 1
        page = _english_page(adm, "/cases/admin/exemptions")
        assert "Minor-violation exemption / mitigation list" in page and "Conditions (all required)" in page
        assert "No penalty" in page and "First violation" in page and "Use by unit" in page


def test_portal_in_english(app, container):
    with TestClient(app) as staff:
        tok = cases_login(staff, "off")
        c = _open_notified(staff, tok)
        with TestClient(app) as party:
            assert "不见面执法 · 当事人服务" in party.get("/portal").text
            english(party)
            page = _english_page(party, "/portal")
            assert "Party services" in page and "Case code" in page and "Look up" in page
            ptok = csrf_from(page)
            r = party.post("/portal/lookup", data={"csrf_token": ptok, "plate": "豫B99999", "case_code": c["case_code"]})
            assert r.status_code == 404
            assert re.search(r'data-testid="error">([^<]+)<', r.text).group(1) == "Wrong plate number or case code"
            party.post("/portal/lookup", data={"csrf_token": ptok, "plate": c["plate"], "case_code": c["case_code"]})
            page = _english_page(party, "/portal/case")
            assert "Notice of violation" in page and "Statement and defence" in page and "Proposed fine" in page
            party.post("/portal/statement", data={"csrf_token": ptok, "kind": "defence", "text": "device fault"})
            page = _english_page(party, "/portal/case?notice=submitted")
            assert "The enforcement unit will consider your statement" in page and "Your submissions" in page
            _walk_to_decided(staff, tok, c["case_id"])
            page = _english_page(party, "/portal/case")
            assert "Pay online" in page and "Amount due" in page and "Fine decided" in page
            r = party.post("/portal/pay", data={"csrf_token": ptok}, follow_redirects=False)
            order_no = r.headers["location"].rsplit("/", 1)[1]
            page = _english_page(party, f"/portal/pay/{order_no}")
            assert "Pay by QR code" in page and "Scan this payment code" in page and "(Simulation) Scanned and paid" in page
            party.cookies.delete("lang")
            assert "扫码缴款" in party.get(f"/portal/pay/{order_no}").text
