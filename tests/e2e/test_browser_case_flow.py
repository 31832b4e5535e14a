"""The whole contactless case in a real browser (Debian chromium via Playwright):
lead → case → notice → the party states a defence on the portal → decision → the party pays by the
simulated scan-to-pay gateway (signed callback over HTTP) → the case is closed.

Screenshots go to test-artifacts/cases/.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.org.orm import Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "cases"
PASSWORD = "browser-pass-123"
T0 = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)


def seed(container) -> None:
    with unit_of_work(container.db) as s:
        for code, name, level, parent in [("410000", "河南省", "province", None), ("410100", "郑州市", "city", "410000"),
                                          ("410105", "金水区", "county", "410100")]:
            s.add(Unit(unit_code=code, name=name, level=level, parent_code=parent, city_code=code[:4] + "00"))
        s.flush()
        create_user(s, actor=SYSTEM, username="officer1", password=PASSWORD, role="officer", unit_code="410105",
                    display_name="李执法", now=T0)
        s.add(Lead(lead_id="LEADGPS1", rule="gps_off", plate="豫A5G789", start=T0 - timedelta(days=3),
                   end=T0 - timedelta(days=3), unit_code="410105", explanation="客运车辆在 G4 京港澳高速关闭动态监控 2 小时 40 分",
                   evidence={}, dedup_key="gps-1", status="confirmed", created_at=T0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(container):
    import uvicorn

    seed(container)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_lead_to_closed_case_without_a_visit(server, browser, container):
    base = server
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    officer.goto(base + "/login")
    officer.fill("input[name=username]", "officer1")
    officer.fill("input[name=password]", PASSWORD)
    officer.click("button[type=submit]")
    officer.wait_for_url(base + "/")

    # lead → case
    officer.goto(base + "/cases/new?lead_id=LEADGPS1")
    assert "LEADGPS1" in officer.content()
    officer.select_option("select[name=catalogue_code]", "GPS-OFF")
    officer.fill("input[name=proposed_fine_yuan]", "3000")
    officer.fill("input[name=party_name]", "郑州某客运有限公司")
    officer.select_option("select[name=party_kind]", "enterprise")
    officer.check("input[name=e_service_consent]")
    shot(officer, "01-open-from-lead")
    officer.click("form[action='/cases/new'] button[type=submit]")
    officer.wait_for_url(re.compile(r".*/cases/[0-9a-f]{24}$"))
    case_url = officer.url
    assert officer.inner_text("[data-testid=case-status]") == "立案"
    code = re.search(r"案件 ([0-9A-Z]{10})", officer.inner_text("h1")).group(1)

    # investigation → notice (告知书 issued)
    officer.click("[data-testid=do-investigating]")
    officer.wait_for_selector("[data-testid=do-notified]")
    officer.click("[data-testid=do-notified]")
    officer.wait_for_selector("text=违法行为通知书")
    assert officer.inner_text("[data-testid=case-status]") == "告知"
    shot(officer, "02-notified")

    # the party: finds the case, reads the notice, states a defence
    party = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True).new_page()
    party.goto(base + "/portal")
    party.fill("input[name=plate]", "豫A5G789")
    party.fill("input[name=case_code]", "WRONGCODE2")
    party.click("button[type=submit]")
    assert party.inner_text("[data-testid=error]") == "车牌号或案件查询码不正确"
    party.fill("input[name=plate]", "豫A5G789")
    party.fill("input[name=case_code]", code)
    party.click("button[type=submit]")
    party.wait_for_url(base + "/portal/case")
    assert "违法行为通知书" in party.inner_text("[data-testid=portal-documents]")
    with party.expect_response(lambda r: "/portal/documents/" in r.url) as resp:
        party.click("[data-testid=portal-documents] a")
    assert resp.value.status == 200 and resp.value.headers["content-type"] == "application/pdf"
    party.goto(base + "/portal/case")
    party.fill("[data-testid=defence-text]", "车载终端故障导致离线，并非故意关闭，已于次日维修。")
    shot(party, "03-party-defence")
    party.click("[data-testid=submit-defence]")
    party.wait_for_selector("[data-testid=notice]")

    # the officer sees the defence in the timeline and decides a lighter fine
    officer.goto(case_url)
    assert "车载终端故障" in officer.inner_text("[data-testid=statements]")
    assert "当事人申辩" in officer.inner_text("[data-testid=timeline]")
    officer.fill("form:has([data-testid=do-decided]) input[name=fine_yuan]", "2500")
    officer.click("[data-testid=do-decided]")
    officer.wait_for_selector("[data-testid=do-served]")
    assert officer.inner_text("[data-testid=fine]") == "2500"
    officer.click("[data-testid=do-served]")
    officer.wait_for_selector("text=送达回证")
    shot(officer, "04-decided-served")

    # the party pays by scanning; the gateway's signed callback closes the case
    party.goto(base + "/portal/case")
    assert "行政处罚决定书" in party.inner_text("[data-testid=portal-documents]")
    party.click("[data-testid=pay]")
    party.wait_for_selector("[data-testid=qr-payload]")
    assert party.inner_text("[data-testid=qr-payload]").startswith("zhifa-simpay://pay?")
    shot(party, "05-scan-to-pay")
    party.click("[data-testid=simulate-pay]")
    party.wait_for_selector("[data-testid=notice]")
    assert "缴款成功" in party.inner_text("[data-testid=notice]")
    assert party.inner_text("[data-testid=portal-status]") == "结案"
    shot(party, "06-paid")

    officer.goto(case_url)
    assert officer.inner_text("[data-testid=case-status]") == "结案"
    timeline = officer.inner_text("[data-testid=timeline]")
    for step in ("立案", "告知", "当事人申辩", "作出处罚决定", "送达决定书", "缴款到账"):
        assert step in timeline
    shot(officer, "07-closed-timeline")
