"""Cases over HTTP (TestClient): officer pages and API, legal review queue, admin pages, the party
portal (no enumeration, rate limit), and the payment callback endpoint."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from zhifa.cases.orm import Case, Payment, PaymentCallback
from zhifa.cases.payment import SimulatedScanPay
from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.org.orm import Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

PASSWORD = "secret-pass-123"
T0 = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)


def seed(container) -> None:
    with unit_of_work(container.db) as s:
        for code, name, level, parent in [("410000", "河南省", "province", None), ("410100", "郑州市", "city", "410000"),
                                          ("410105", "金水区", "county", "410100"), ("410300", "洛阳市", "city", "410000")]:
            s.add(Unit(unit_code=code, name=name, level=level, parent_code=parent, city_code=code[:4] + "00"))
        s.flush()
        for username, role, unit in [("off", "officer", "410105"), ("rev", "legal_reviewer", "410105"),
                                     ("adm", "admin", "410000"), ("ly", "officer", "410300")]:
            create_user(s, actor=SYSTEM, username=username, password=PASSWORD, role=role, unit_code=unit, now=T0)
        s.add(Lead(lead_id="LEAD1", rule="gps_off", plate="豫A11111", start=T0 - timedelta(days=2), end=T0 - timedelta(days=2),
                   unit_code="410105", explanation="两客一危车辆关闭动态监控 3 小时", evidence={}, dedup_key="d1",
                   status="confirmed", created_at=T0))


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token"
    return m.group(1)


def login(client: TestClient, username: str) -> str:
    token = csrf_from(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_from(client.get("/cases" if username != "adm" else "/cases/admin/catalogue").text)


@pytest.fixture
def app(container):
    seed(container)
    return create_app(container)


def test_officer_opens_case_from_lead_and_walks_it_with_api(app, container):
    with TestClient(app) as client:
        tok = login(client, "off")
        r = client.post("/cases/new", data={"csrf_token": tok, "lead_id": "LEAD1", "catalogue_code": "GPS-OFF",
                                            "proposed_fine_yuan": "3000", "facts": "关闭动态监控", "party_name": "王五",
                                            "party_kind": "person", "e_service_consent": "1"}, follow_redirects=False)
        assert r.status_code == 303
        case_id = r.headers["location"].rsplit("/", 1)[1]
        page = client.get(f"/cases/{case_id}")
        assert "立案登记表" in page.text and "豫交执立〔2022〕410105-0001号" in page.text
        h = {"x-csrf-token": tok}
        r = client.post(f"/api/cases/{case_id}/advance", json={"target": "served"}, headers=h)
        assert r.status_code == 409 and "不能转为" in r.json()["detail"]
        assert client.post(f"/api/cases/{case_id}/advance", json={"target": "investigating"}).status_code == 403  # no csrf
        assert client.post(f"/api/cases/{case_id}/advance", json={"target": "investigating"}, headers=h).json()["status"] == "investigating"
        assert client.post(f"/api/cases/{case_id}/advance", json={"target": "notified"}, headers=h).status_code == 200
        tl = client.get(f"/api/cases/{case_id}/timeline").json()
        assert [e["action"] for e in tl if e["action"] != "cases.document"] == ["cases.open", "cases.investigating", "cases.notified"]
        lst = client.get("/api/cases?mine=true").json()
        assert lst["count"] == 1 and lst["data"][0]["lead_id"] == "LEAD1"
        pdf = client.get(f"/cases/{case_id}/case-file")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with TestClient(app) as other:
        login(other, "ly")
        assert other.get(f"/api/cases/{case_id}").status_code == 404
        assert other.get(f"/cases/{case_id}").status_code == 404


def test_form_error_is_shown_not_crashing(app):
    with TestClient(app) as client:
        tok = login(client, "off")
        r = client.post("/cases/new", data={"csrf_token": tok, "catalogue_code": "GPS-OFF", "proposed_fine_yuan": "99999",
                                            "facts": "x", "party_name": "y", "party_kind": "person", "plate": "豫A1",
                                            "act_on": "2022-02-01"})
        assert r.status_code == 422 and "法定幅度" in r.text
        r = client.post("/cases/new", data={"csrf_token": tok, "catalogue_code": "GPS-OFF", "proposed_fine_yuan": "abc",
                                            "facts": "x", "party_name": "y", "party_kind": "person"})
        assert r.status_code == 422


def _open_notified(client, tok, fine=3000, catalogue="GPS-OFF", plate="豫A22222"):
    r = client.post("/api/cases", json={"catalogue_code": catalogue, "proposed_fine_yuan": fine, "facts": "关闭动态监控",
                                        "party_name": "赵六", "party_kind": "person", "plate": plate,
                                        "act_on": "2022-02-20", "e_service_consent": True}, headers={"x-csrf-token": tok})
    assert r.status_code == 201, r.text
    c = r.json()
    for t in ("investigating", "notified"):
        assert client.post(f"/api/cases/{c['case_id']}/advance", json={"target": t}, headers={"x-csrf-token": tok}).status_code == 200
    return c


def test_portal_same_error_for_wrong_plate_or_code_and_rate_limited(app, container):
    with TestClient(app) as staff:
        c = _open_notified(staff, login(staff, "off"))
    with TestClient(app) as party:
        tok = csrf_from(party.get("/portal").text)
        wrong_code = party.post("/portal/lookup", data={"csrf_token": tok, "plate": c["plate"], "case_code": "AAAAAAAAAA"})
        wrong_plate = party.post("/portal/lookup", data={"csrf_token": tok, "plate": "豫B99999", "case_code": c["case_code"]})
        assert wrong_code.status_code == wrong_plate.status_code == 404
        msg = lambda r: re.search(r'data-testid="error">([^<]+)<', r.text).group(1)  # noqa: E731
        assert msg(wrong_code) == msg(wrong_plate) == "车牌号或案件查询码不正确"
        ok = party.post("/portal/lookup", data={"csrf_token": tok, "plate": c["plate"], "case_code": c["case_code"]},
                        follow_redirects=False)
        assert ok.status_code == 303
        page = party.get("/portal/case")
        assert "违法行为通知书" in page.text and "陈述申辩" in page.text
        assert party.get("/api/cases").status_code == 401  # the portal session is no staff login
        limit = container.settings.public_rate_limit_per_minute
        codes = [party.post("/portal/lookup", data={"csrf_token": tok, "plate": "x", "case_code": "y"}).status_code
                 for _ in range(limit)]
        assert codes[-1] == 429


def test_party_defends_officer_decides_party_pays_via_signed_callback(app, container):
    with TestClient(app) as staff:
        tok = login(staff, "off")
        c = _open_notified(staff, tok)
        with TestClient(app) as party:
            ptok = csrf_from(party.get("/portal").text)
            party.post("/portal/lookup", data={"csrf_token": ptok, "plate": c["plate"], "case_code": c["case_code"]})
            r = party.post("/portal/statement", data={"csrf_token": ptok, "kind": "defence", "text": "设备故障"},
                           follow_redirects=False)
            assert r.status_code == 303
            h = {"x-csrf-token": tok}
            assert staff.post(f"/api/cases/{c['case_id']}/advance", json={"target": "decided", "fine_yuan": 2500}, headers=h).json()["fine_yuan"] == 2500
            assert staff.post(f"/api/cases/{c['case_id']}/advance", json={"target": "served"}, headers=h).status_code == 200
            r = party.post("/portal/pay", data={"csrf_token": ptok}, follow_redirects=False)
            order_no = r.headers["location"].rsplit("/", 1)[1]
            assert "zhifa-simpay://" in party.get(f"/portal/pay/{order_no}").text
        with unit_of_work(container.db) as s:
            amount = s.get(Payment, order_no).amount_fen
        assert amount == 250000
        pay = SimulatedScanPay.from_settings(container.settings)
        body, headers = pay.build_callback(order_no=order_no, amount_fen=amount, paid_at=container.clock.now())
        bad = dict(headers, **{"x-zhifa-signature": "f" * 64})
        r = staff.post("/api/payments/callback", content=body, headers=bad)
        assert r.status_code == 422 and "签名" in r.json()["detail"]
        r = staff.post("/api/payments/callback", content=body, headers=headers)
        assert r.status_code == 200 and r.json()["result"] == "accepted"
        r = staff.post("/api/payments/callback", content=body, headers=headers)
        assert r.status_code == 422 and "重放" in r.json()["detail"]
        case = staff.get(f"/api/cases/{c['case_id']}").json()
        assert case["status"] == "closed" and case["paid_fen"] == 250000
    with unit_of_work(container.db) as s:
        outcomes = sorted(o for (o,) in s.execute(select(PaymentCallback.outcome)))
        assert outcomes == ["accepted", "refused", "refused"]
        assert s.execute(select(Case.status)).scalar_one() == "closed"


def test_legal_review_queue_and_reviewer_decides(app):
    with TestClient(app) as staff:
        tok = login(staff, "off")
        c = _open_notified(staff, tok, catalogue="PAS-ILLEGAL", fine=30000)
        with TestClient(app) as party:
            ptok = csrf_from(party.get("/portal").text)
            party.post("/portal/lookup", data={"csrf_token": ptok, "plate": c["plate"], "case_code": c["case_code"]})
            assert "申请听证" in party.get("/portal/case").text
            party.post("/portal/statement", data={"csrf_token": ptok, "kind": "hearing_request", "text": ""})
        h = {"x-csrf-token": tok}
        r = staff.post(f"/api/cases/{c['case_id']}/advance", json={"target": "decided"}, headers=h)
        assert r.status_code == 422 and "法制审核" in r.json()["detail"]
        staff.post(f"/api/cases/{c['case_id']}/advance", json={"target": "legal_review"}, headers=h)
    with TestClient(app) as rev:
        rtok = login(rev, "rev")
        assert c["case_code"] in rev.get("/cases/review").text
        r = rev.post(f"/cases/{c['case_id']}/advance", data={"csrf_token": rtok, "target": "decided", "fine_yuan": "30000"},
                     follow_redirects=False)
        assert r.status_code == 303
        assert rev.get(f"/api/cases/{c['case_id']}").json()["status"] == "decided"


def test_admin_pages_show_catalogue_and_publish_exemption_version(app):
    import json as _json

    with TestClient(app) as adm:
        tok = login(adm, "adm")
        page = adm.get("/cases/admin/catalogue")
        assert "第六十三条" in page.text and "裁量基准" in page.text
        ex = adm.get("/cases/admin/exemptions")
        assert "EX-GPS-ONLINE" in ex.text
        payload = {"conditions": {"first_offence": "初次违法"},
                   "items": [{"code": "EX-NEW", "title": "新事项", "effect": "no_penalty", "catalogue_codes": ["GPS-OFFLINE"],
                              "legal_basis": "行政处罚法第三十三条", "conditions": ["first_offence"]}]}
        r = adm.post("/cases/admin/exemptions", data={"csrf_token": tok, "version": "2022.2", "effective_from": "2022-01-01",
                                                      "source": "测试调整", "payload": _json.dumps(payload)},
                     follow_redirects=False)
        assert r.status_code == 303
        assert "EX-NEW" in adm.get("/cases/admin/exemptions").text
        r = adm.post("/cases/admin/exemptions", data={"csrf_token": tok, "version": "2022.3", "effective_from": "2022-01-02",
                                                      "source": "x", "payload": "{not json"})
        assert "JSON" in r.text


def test_admin_publishes_a_catalogue_version_with_bands_checked(app):
    import json as _json

    with TestClient(app) as adm:
        tok = login(adm, "adm")
        item = {"code": "GPS-OFF", "title": "关闭动态监控", "law": "令55号", "article": "第三十八条", "min_yuan": 2000,
                "max_yuan": 5000, "bands": [{"code": "A", "label": "初次", "min_yuan": 2000, "max_yuan": 6000}]}
        r = adm.post("/cases/admin/catalogue", data={"csrf_token": tok, "version": "2023.1", "effective_from": "2023-01-01",
                                                     "source": "调整", "payload": _json.dumps({"items": [item]})})
        assert "超出法定幅度" in r.text
        item["bands"][0]["max_yuan"] = 3000
        r = adm.post("/cases/admin/catalogue", data={"csrf_token": tok, "version": "2023.1", "effective_from": "2023-01-01",
                                                     "source": "调整", "payload": _json.dumps({"items": [item]})},
                     follow_redirects=False)
        assert r.status_code == 303
        assert "2023.1" in adm.get("/cases/admin/catalogue?on=2023-02-01").text
        assert "第六十三条" in adm.get("/cases/admin/catalogue?on=2022-02-01").text  # the older version still applies


def test_ride_hailing_trip_over_api_opens_two_linked_cases(app):
    with TestClient(app) as client:
        tok = login(client, "off")
        body = {"plate": "豫A6D123", "driver_name": "孙七", "platform_name": "某出行科技有限公司", "act_on": "2022-02-25",
                "facts": "未取得网约车运输证通过平台接单载客", "party_fine_yuan": 5000, "platform_fine_yuan": 8000}
        r = client.post("/api/cases/ride-hailing", json=body, headers={"x-csrf-token": tok})
        assert r.status_code == 201, r.text
        a, b = r.json()
        assert a["linked_group"] == b["linked_group"] and a["catalogue_code"] == "RH-VEHICLE-LIC"
        assert b["catalogue_code"] == "RH-PLATFORM-DISPATCH" and b["party_kind"] == "enterprise"
        assert b["case_code"] in client.get(f"/cases/{a['case_id']}").text  # the detail page links its twin
        r = client.post("/api/cases/ride-hailing", json={**body, "platform_fine_yuan": 99999}, headers={"x-csrf-token": tok})
        assert r.status_code == 422
        assert client.get("/api/cases").json()["count"] == 2


def test_a_long_case_list_shows_fifty_deadlines_and_a_bounded_pager(app, container):
    """A unit with hundreds of overdue deadlines: the page lists the 50 earliest with a link to the rest,
    and the pager names a few pages around the current one, not every page."""
    from zhifa.cases import service as cs
    from zhifa.shared.access import Actor, Role

    officer = Actor(username="off", role=Role.OFFICER, unit_code="410105", unit_codes=frozenset({"410105"}))
    long_ago = datetime(2021, 9, 1, 9, 0, tzinfo=TZ)  # every decision deadline has passed by T0
    with unit_of_work(container.db) as s:
        for i in range(320):
            cs.open_case(s, actor=officer, catalogue_code="GPS-OFF", proposed_fine_yuan=2000, facts="关闭动态监控",
                         party_name=f"当事人{i}", party_kind="person", act_on=date(2021, 8, 30), now=long_ago,
                         plate="豫A12345")
    with TestClient(app) as c:
        login(c, "off")
        html = c.get("/cases?scope=unit&page=5").text
        due = html.split('data-testid="deadlines-today"', 1)[1].split("</section>", 1)[0]
        assert due.count('<a href="/cases/') == 50 and "另有 270 项到期或逾期" in due and "overdue=1" in due
        pager = html.split('data-testid="pager"', 1)[1].split("</p>", 1)[0]
        assert [int(x) for x in re.findall(r"page=(\d+)", pager)] == [1, 3, 4, 6, 7, 11]
        assert "<strong>5</strong>" in pager and pager.count("…") == 2
