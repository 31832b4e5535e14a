"""The web foundation over HTTP (TestClient): login, CSRF, jurisdiction scoping, language, headers."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy import select

from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.org.orm import Site, Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.shared.orm import AuditEvent
from zhifa.web import deps
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

UNITS = [
    # unit_code, name, level, parent_code, city_code, lon, lat
    ("410000", "河南省", "province", None, None, 113.75, 34.77),
    ("410100", "郑州市", "city", "410000", "410100", 113.62, 34.75),
    ("410300", "洛阳市", "city", "410000", "410300", 112.45, 34.62),
    ("410102", "中原区", "county", "410100", "410100", 113.61, 34.75),
    ("410181", "巩义市", "county", "410000", "410100", 113.02, 34.75),  # 省直管县
    ("410322", "孟津区", "county", "410300", "410300", 112.44, 34.83),
]
SITES = [
    ("ZZ-G1", "gantry", "郑州西门架", "410100", 113.50, 34.78),
    ("ZZ-T1", "toll_station", "郑州南收费站", "410102", 113.66, 34.60),
    ("ZZ-W1", "wim", "中原非现场点", "410102", 113.58, 34.72),
    ("LY-G1", "gantry", "洛阳东门架", "410300", 112.60, 34.66),
    ("LY-C1", "check_station", "孟津超限检测站", "410322", 112.43, 34.82),
    ("GY-T1", "toll_station", "巩义收费站", "410181", 113.01, 34.74),
]
PASSWORD = "secret-pass-123"


def seed_org(container) -> None:
    """A tiny province: two cities, three counties, six sites, a few leads."""
    now = datetime(2022, 3, 1, 8, 0, tzinfo=TZ)
    with unit_of_work(container.db) as s:
        for code, name, level, parent, city, lon, lat in UNITS:
            s.add(Unit(unit_code=code, name=name, level=level, parent_code=parent, city_code=city, lon=lon, lat=lat))
        s.flush()
        for sid, kind, name, unit, lon, lat in SITES:
            s.add(Site(site_id=sid, kind=kind, name=name, unit_code=unit, lon=lon, lat=lat))
        for i, (unit, rule, status) in enumerate(
            [("410102", "truck_100t", "open"), ("410300", "gps_off", "open"), ("410322", "truck_100t", "confirmed")]
        ):
            s.add(
                Lead(
                    lead_id=f"L{i}", rule=rule, start=now, end=now, unit_code=unit, explanation="test",
                    evidence={}, dedup_key=f"k{i}", status=status, created_at=now,
                )
            )
        s.flush()
        for username, role, unit in [
            ("prov", "analyst", "410000"),
            ("zz", "analyst", "410100"),
            ("gy", "officer", "410181"),
            ("party1", "party", "410100"),
        ]:
            create_user(s, actor=SYSTEM, username=username, password=PASSWORD, role=role, unit_code=unit, now=now)


@pytest.fixture
def client(container):
    seed_org(container)
    with TestClient(create_app(container)) as c:
        yield c


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token in page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "/"):
    page = client.get("/login")
    token = csrf_from(page.text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_url},
        follow_redirects=False,
    )


def test_anonymous_api_request_is_refused_with_401(client):
    r = client.get("/api/me")
    assert r.status_code == 401
    assert r.json()["detail"]


def test_anonymous_page_request_redirects_to_login_with_next(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2F"


def test_anonymous_htmx_request_gets_hx_redirect(client):
    r = client.get("/", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.headers["HX-Redirect"].startswith("/login")


def test_login_then_me_and_dashboard(client):
    r = login(client, "zz")
    assert r.status_code == 303 and r.headers["location"] == "/"
    me = client.get("/api/me").json()
    assert me["username"] == "zz" and me["unit_code"] == "410100" and me["unit_name"] == "郑州市"
    assert "410102" in me["unit_codes"] and "410181" not in me["unit_codes"]  # 巩义 reports to the province
    page = client.get("/")
    assert page.status_code == 200
    assert "交通运输综合执法综合管理服务平台" in page.text
    assert "郑州市" in page.text and 'id="map"' in page.text


def test_wrong_password_is_refused_and_audited(client, container):
    r = login(client, "zz", "wrong-password")
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text
    assert client.get("/api/me").status_code == 401
    with unit_of_work(container.db) as s:
        actions = [(e.action, e.actor) for e in s.execute(select(AuditEvent)).scalars()]
    assert ("auth.login_failed", "zz") in actions


def test_unknown_user_is_refused_the_same_way(client):
    r = login(client, "nobody", "whatever-123")
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_successful_login_is_audited(client, container):
    login(client, "prov")
    with unit_of_work(container.db) as s:
        assert s.execute(select(AuditEvent).where(AuditEvent.action == "auth.login")).scalars().one().actor == "prov"


def test_login_is_rate_limited_after_repeated_failures(client):
    for _ in range(5):
        assert login(client, "zz", "bad-password").status_code == 401
    r = login(client, "zz")  # even the right password waits now
    assert r.status_code == 429


def test_login_without_csrf_token_is_refused_with_403(client):
    client.get("/login")
    r = client.post("/login", data={"username": "zz", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_logout_without_csrf_token_is_refused_and_with_it_works(client):
    login(client, "zz")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/api/me").status_code == 200
    token = csrf_from(client.get("/").text)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_open_redirect_after_login_is_not_followed(client):
    r = login(client, "zz", next_url="//evil.example/")
    assert r.headers["location"] == "/"


def test_city_analyst_does_not_see_other_city_sites_but_province_does(client):
    login(client, "zz")
    ids = {f["properties"]["site_id"] for f in client.get("/api/sites").json()["features"]}
    assert ids == {"ZZ-G1", "ZZ-T1", "ZZ-W1"}
    client.cookies.clear()
    login(client, "prov")
    ids = {f["properties"]["site_id"] for f in client.get("/api/sites").json()["features"]}
    assert {"LY-G1", "LY-C1", "GY-T1"} <= ids and len(ids) == len(SITES)


def test_dashboard_summary_is_scoped_and_counted_by_city(client):
    login(client, "zz")
    d = client.get("/api/dashboard/summary").json()
    assert [c["unit_code"] for c in d["cities"]] == ["410100"]
    assert d["site_total"] == 3 and d["lead_total"] == 1
    client.cookies.clear()
    login(client, "prov")
    d = client.get("/api/dashboard/summary").json()
    by_city = {c["unit_code"]: c for c in d["cities"]}
    assert by_city["410100"]["site_total"] == 4  # 巩义's station counts for 郑州 geographically
    assert by_city["410300"]["leads"] == 2 and by_city["410300"]["open_leads"] == 1
    assert {r["rule"]: r["count"] for r in d["leads_by_rule"]} == {"truck_100t": 2, "gps_off": 1}


def test_party_account_cannot_open_staff_pages(client):
    login(client, "party1")
    assert client.get("/api/sites").status_code == 403
    assert client.get("/").status_code == 403


def test_language_switch_changes_page_text(client):
    login(client, "zz")
    assert "指挥中心总览" in client.get("/").text
    r = client.get("/lang/en?next=/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    page = client.get("/").text
    assert "Command centre overview" in page and "指挥中心总览" not in page
    client.get("/lang/zh")
    assert "指挥中心总览" in client.get("/").text


def test_secure_headers_on_pages_and_api(client):
    for path in ("/login", "/healthz"):
        h = client.get(path).headers
        assert h["X-Frame-Options"] == "DENY"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in h["Content-Security-Policy"]
    assert "script-src 'self';" in client.get("/login").headers["Content-Security-Policy"]


def test_session_cookie_is_httponly_and_samesite_lax(client):
    r = client.get("/login")
    cookie = r.headers["set-cookie"]
    assert "zhifa_session=" in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_healthz_and_openapi_are_served(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert "/api/sites" in client.get("/openapi.json").json()["paths"]
    assert "swagger-ui-bundle.js" in client.get("/docs").text


def test_outlines_need_login_and_carry_cities(client):
    assert client.get("/api/map/outlines").status_code == 401
    login(client, "zz")
    gj = client.get("/api/map/outlines").json()
    levels = {f["properties"]["level"] for f in gj["features"]}
    assert levels <= {"province", "city"}


def test_unknown_page_shows_error_page_and_unknown_api_gives_json(client):
    login(client, "zz")
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "页面不存在" in r.text
    assert client.get("/api/no-such").json() == {"detail": "Not Found"}


def test_disabled_user_loses_the_session(client, container):
    from zhifa.org.orm import User

    login(client, "zz")
    with unit_of_work(container.db) as s:
        s.execute(select(User).where(User.username == "zz")).scalar_one().active = False
    assert client.get("/api/me").status_code == 401


def test_every_slice_route_gets_csrf_and_exempt_routes_are_skipped(container):
    seed_org(container)
    app = create_app(container)
    r = APIRouter()

    @r.post("/api/test-change")
    def change(actor: deps.CurrentActor) -> dict[str, str]:
        return {"ok": actor.username}

    @r.post("/api/test-hook")
    @deps.csrf_exempt
    def hook() -> dict[str, str]:
        return {"ok": "hook"}

    app.include_router(r, dependencies=[Depends(deps.csrf_protect)])
    with TestClient(app) as c:
        login(c, "zz")
        assert c.post("/api/test-change").status_code == 403
        token = csrf_from(c.get("/").text)
        assert c.post("/api/test-change", headers={"X-CSRF-Token": token}).json() == {"ok": "zz"}
        assert c.post("/api/test-change", headers={"X-CSRF-Token": "forged"}).status_code == 403
        assert c.post("/api/test-hook").json() == {"ok": "hook"}


def test_a_toll_operators_home_is_the_station_task_page(container):
    from tests.support import login as support_login
    from tests.support import seed_users

    seed_org(container)
    seed_users(container, [("toll1", "toll_operator", "410102")])
    with TestClient(create_app(container)) as c:
        support_login(c, "toll1")
        r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/intercept/station"
