"""The handheld patrol page in a real browser at a phone viewport (390×844): start a patrol, go offline
mid-patrol, record a finding with position and photo, reopen the page offline (service worker), go
back online, and check the finding reached the server exactly once.

Screenshots go to test-artifacts/ for a human look.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.support import ARTIFACTS, Chromium, LiveServer, browser_login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.roads import service
from zhifa.roads.orm import Finding, Patrol
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ, FixedClock

pytestmark = pytest.mark.browser


def _count(container, model, *where) -> int:
    with unit_of_work(container.db) as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def _jpeg() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 480), (120, 160, 90))
    ImageDraw.Draw(img).rectangle((200, 150, 440, 330), fill=(220, 200, 60))
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def clock() -> FixedClock:
    """The browser stamps records with its own clock: the server's must be near it."""
    return FixedClock(datetime.now(TZ))


@pytest.fixture
def live(container, clock):
    seed_units(container)
    seed_users(container, [("xz_officer", "officer", "410184")])
    with unit_of_work(container.db) as s:
        service.seed_demo_roads(s, actor=SYSTEM, now=clock.now())
    with LiveServer(container) as srv:
        yield srv


def test_patrol_page_works_offline_and_syncs_each_finding_once(live, container):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live.url
    with Chromium() as browser:
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN", geolocation={"latitude": 34.4302, "longitude": 113.7415},
                                  permissions=["geolocation"])
        page = ctx.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append("failed: " + r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "ERR_INTERNET_DISCONNECTED"
                not in m.text else None)
        browser_login(page, base, "xz_officer")
        page.goto(base + "/roads/patrol")
        page.wait_for_selector("#patrol-app[data-state=idle]")
        page.wait_for_selector("#patrol-app[data-sw=registered]")
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        assert page.locator("#road option").count() == 1  # only the officer's own section

        page.click("#start-patrol")
        page.wait_for_selector("#patrol-app[data-state=patrolling]")
        page.wait_for_selector("#patrol-app[data-sent='1']")
        page.wait_for_selector("#queue-count[data-count='0']")
        page.wait_for_selector("#pick-map[data-state=ready]")
        assert _count(container, Patrol) == 1
        page.screenshot(path=str(ARTIFACTS / "patrol_phone_started.png"))

        # network gone mid-patrol
        ctx.set_offline(True)
        page.wait_for_selector("#net-status[data-online='0']")
        page.select_option("#category", "crops_drying")
        page.click("#locate")
        page.wait_for_function("() => document.getElementById('lat').value !== ''")
        assert abs(float(page.input_value("#lon")) - 113.7415) < 1e-4
        page.set_input_files("#photos", files=[{"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
        page.wait_for_selector("#photo-preview img")
        page.fill("#note", "K690+200 路面晾晒小麦，占用行车道")
        page.click("#save-finding")
        page.wait_for_selector("#queue-count[data-count='1']")
        page.wait_for_selector(".finding-item[data-synced='0']")
        assert _count(container, Finding) == 0
        page.screenshot(path=str(ARTIFACTS / "patrol_phone_offline_queued.png"), full_page=True)

        # the page opens offline from the service worker's cache, the queue survives in IndexedDB
        page.reload()
        page.wait_for_selector("#patrol-app[data-state=patrolling]")
        page.wait_for_selector("#queue-count[data-count='1']")
        assert page.locator("#net-status").get_attribute("data-online") == "0"
        page.screenshot(path=str(ARTIFACTS / "patrol_phone_offline_reopened.png"))

        # back online: the queue is sent by itself
        ctx.set_offline(False)
        page.wait_for_selector("#patrol-app[data-sent='1']", timeout=20_000)  # the reloaded page sent one item
        page.wait_for_selector("#queue-count[data-count='0']")
        page.wait_for_selector(".finding-item[data-synced='1']")
        assert _count(container, Finding) == 1
        # a second sync (button) sends nothing more
        page.click("#sync-now")
        page.wait_for_selector("#patrol-app[data-sync=idle]")
        page.wait_for_timeout(300)
        assert _count(container, Finding) == 1
        with unit_of_work(container.db) as s:
            f = s.execute(select(Finding)).scalar_one()
            assert f.category == "crops_drying" and len(f.photos) == 1 and f.photos[0]["type"] == "image/jpeg"
            assert "晾晒" in f.note and abs(f.lat - 34.4302) < 1e-4
        page.screenshot(path=str(ARTIFACTS / "patrol_phone_synced.png"), full_page=True)

        page.click("#end-patrol")
        page.wait_for_selector("#patrol-app[data-state=idle]")
        page.wait_for_selector("#patrol-app[data-sent='2']")
        page.wait_for_selector("#queue-count[data-count='0']")
        with unit_of_work(container.db) as s:
            assert s.execute(select(Patrol)).scalar_one().ended_at is not None
        assert problems == []
        ctx.close()
