"""The dashboard in a real browser (Debian chromium via Playwright): login, offline map, chart.

Screenshots go to test-artifacts/ (git-ignored) for a human look.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser-pass-123"
KINDS = ("gantry", "gantry", "gantry", "toll_station", "toll_station", "wim", "check_station")


def seed_province(container) -> int:
    """All of Henan's units from the reference data, and a handful of sites around each city."""
    from zhifa.org import reference

    rng = random.Random(7)
    now = datetime(2022, 3, 1, 8, 0, tzinfo=TZ)
    n_sites = 0
    with unit_of_work(container.db) as s:
        units = reference.load_units()
        for u in units:
            s.add(
                Unit(
                    unit_code=u["unit_code"], name=u["name"], level=u["level"], parent_code=u.get("parent_code"),
                    city_code=u.get("city_code"), lon=u.get("lon"), lat=u.get("lat"),
                )
            )
        s.flush()
        for u in units:
            if u["level"] == "province" or u.get("lon") is None:
                continue
            kinds = KINDS if u["level"] == "city" else KINDS[:2]
            for i, kind in enumerate(kinds):
                s.add(
                    Site(
                        site_id=f"{u['unit_code']}-{i}", kind=kind, name=f"{u['name']}{kind}{i}",
                        unit_code=u["unit_code"], lon=u["lon"] + rng.uniform(-0.15, 0.15),
                        lat=u["lat"] + rng.uniform(-0.12, 0.12),
                    )
                )
                n_sites += 1
        create_user(s, actor=SYSTEM, username="prov", password=PASSWORD, role="analyst", unit_code="410000",
                    display_name="省指挥中心研判员", now=now)
        create_user(s, actor=SYSTEM, username="zz", password=PASSWORD, role="analyst", unit_code="410100",
                    display_name="郑州市研判员", now=now)
    return n_sites


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(container):
    import uvicorn

    n_sites = seed_province(container)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", n_sites
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def test_dashboard_shows_map_with_city_outlines_and_site_markers(server, browser):
    base, n_sites = server
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append("failed: " + r.url))

    _login(page, base, "prov")
    page.wait_for_selector("#map[data-state=ready]", timeout=20_000)
    assert int(page.get_attribute("#map", "data-outlines") or 0) >= 19  # the province and 18 cities
    assert int(page.get_attribute("#map", "data-sites") or 0) == n_sites
    assert page.locator(".leaflet-tile").count() == 0  # offline: no tile layer at all
    assert page.locator(".map-label", has_text="郑州市").count() == 1
    page.wait_for_selector("#city-chart[data-state=ready] canvas", timeout=10_000)
    assert page.locator(".user-box").inner_text().find("省指挥中心研判员") >= 0
    page.screenshot(path=str(ARTIFACTS / "dashboard_province.png"), full_page=True)
    assert problems == []

    # English switch, same page
    page.click("text=English")
    page.wait_for_selector("#map[data-state=ready]")
    assert page.locator("h1").first.inner_text() == "Command centre overview"
    ctx.close()


def test_city_analyst_map_is_limited_to_the_city_and_fits_a_phone(server, browser):
    base, _ = server
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN")
    page = ctx.new_page()
    _login(page, base, "zz")
    page.wait_for_selector("#map[data-state=ready]", timeout=20_000)
    n = int(page.get_attribute("#map", "data-sites") or 0)
    assert 0 < n < 60
    # the side navigation is hidden behind the menu button on a phone, and opens on tap
    assert not page.locator("#sidenav").is_visible() or page.locator("#sidenav").bounding_box()["x"] < 0
    page.screenshot(path=str(ARTIFACTS / "dashboard_phone_zhengzhou.png"), full_page=False)
    page.click("[data-nav-toggle]")
    page.wait_for_timeout(300)
    assert page.locator("#sidenav").bounding_box()["x"] >= 0
    page.screenshot(path=str(ARTIFACTS / "dashboard_phone_nav.png"), full_page=False)
    ctx.close()
