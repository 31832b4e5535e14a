"""A member of the public reports a barrier on a phone; the responsible unit handles it; the reporter sees
it closed and rates it — in Debian chromium, with screenshots in test-artifacts/."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support import ARTIFACTS, Chromium, LiveServer, browser_login, seed_units, seed_users
from zhifa.complaints import service
from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.shared.clock import TZ

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_public_barrier_report_on_a_phone_is_handled_and_rated(container, tmp_path):
    seed_units(container)
    seed_users(container, [("hb", "officer", "410600")])
    now = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)
    with unit_of_work(container.db) as s:
        b = service.register_barrier(s, actor=Actor("admin", Role.ADMIN, "410000", None), name="淇县某村口限高架",
                                     road="X021", lon=114.20, lat=35.61, owner="某村委会", height_limit_mm=2200,
                                     width_limit_mm=None, today=now.date(), now=now)
        barrier_unit = b.unit_code
    assert barrier_unit.startswith("4106")  # 鹤壁
    if barrier_unit != "410600":
        seed_users(container, [("hbc", "officer", barrier_unit)])
    ARTIFACTS.mkdir(exist_ok=True)
    photo = tmp_path / "barrier.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 256)

    with LiveServer(container) as srv, Chromium() as browser:
        ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(srv.url + "/report")
        page.wait_for_selector("#pick-map[data-state=ready]", timeout=15_000)
        page.select_option("select[name=category]", "barrier")
        page.select_option("#barrier-select", label=page.locator("#barrier-select option").nth(1).inner_text())
        page.fill("textarea[name=description]", "村口限高架只有2.2米，消防车和校车都过不去")
        page.set_input_files("input[name=photos]", str(photo))
        page.screenshot(path=str(ARTIFACTS / "report_phone_form.png"), full_page=True)
        page.click("button[type=submit]")
        code = page.locator("[data-testid=receipt-code]").inner_text().strip()
        assert len(code) == 10
        page.screenshot(path=str(ARTIFACTS / "report_phone_receipt.png"), full_page=True)

        # the responsible unit (鹤壁's county) handles it
        staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        browser_login(staff, srv.url, "hb" if barrier_unit == "410600" else "hbc")
        staff.goto(srv.url + "/complaints")
        staff.click(f"text={code}")
        staff.click("button[data-verb=accept]")
        staff.fill("form:has(button[data-verb=resolve]) input[name=text]", "已责令设置单位拆除，现场核实已拆除")
        staff.click("button[data-verb=resolve]")
        assert "已处理" in staff.locator("[data-testid=complaint-status]").inner_text()

        # the reporter follows up on the phone, sees it handled and rates it
        page.goto(srv.url + f"/report/status?code={code}")
        assert "已处理" in page.locator("[data-testid=report-status]").inner_text()
        page.check("input[name=rating][value='5']")
        page.click("[data-testid=rate-form] button[type=submit]")
        assert "已评价" in page.locator("[data-testid=report-status]").inner_text()
        page.screenshot(path=str(ARTIFACTS / "report_phone_closed.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page must not scroll sideways on a phone"
        assert errors == []
        ctx.close()
