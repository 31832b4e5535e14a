"""Texts written by the pages' own scripts follow the interface language (cookie lang=en), Chinese by default.

The scripts (static/js/detection.js, dashboard.js, patrol.js, patrol-sw.js, interception/assets/live.js) take
their texts from data-* attributes the templates render with t(); the HTTP test checks those attributes, the
browser test what the scripts write into the trajectory page, the dashboard's live tables and the patrol page
(and the service worker's offline fallback page, which gets its text from the patrol page).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_detect_service import DAY, NOW, TRUCK, world  # noqa: F401 - `world` is a fixture
from tests.support import Chromium, LiveServer, browser_login, english, login, seed_users
from zhifa.db.session import unit_of_work
from zhifa.detection.service import run_detectors
from zhifa.roads import service as roads
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app

TRAJ = f"/trajectory?plate={TRUCK}&color=yellow&day=2022-03-01"


@pytest.fixture
def site(world):  # noqa: F811
    """The detection world (a truck with six gantry passes on 2022-03-01, its two leads), users and roads."""
    run_detectors(world, day=DAY, actor=SYSTEM, now=NOW, history_days=1)
    seed_users(world, [("zz", "analyst", "410100"), ("xz_officer", "officer", "410184")])
    with unit_of_work(world.db) as s:
        roads.seed_demo_roads(s, actor=SYSTEM, now=NOW)
    return world


def test_script_texts_are_rendered_in_the_page_language(site):
    with TestClient(create_app(site)) as analyst, TestClient(create_app(site)) as officer:
        login(analyst, "zz")
        login(officer, "xz_officer")
        zh = {
            TRAJ: (analyst, ['data-msg-count="{plate} {day} 共 {n} 条通行记录"', 'data-kind-gantry="门架"']),
            "/": (analyst, ['data-label-status="状态"', 'data-label-count="数量"', 'data-label-site="站点"',
                            'data-label-unit="单位"', 'data-label-city="地市"', 'data-label-rule="规则"']),
            "/roads/patrol": (officer, ['data-msg-online="在线"', 'data-msg-offline-status="离线"',
                                        'data-msg-photos="（照片 {n}）"', 'data-msg-synced="已上传"',
                                        'data-msg-locating="定位中…"', 'data-msg-all-sent="全部已上传"',
                                        'data-msg-no-cache="离线且无缓存"']),
            "/intercept/live": (analyst, ['data-msg-open-tasks="；待处置任务 {n}"']),
        }
        en = {
            TRAJ: ['data-msg-count="{plate} {day}: {n} passes"', 'data-kind-gantry="Gantry"',
                   'data-msg-misread=" misread as {plate}"'],
            "/": ['data-label-status="State"', 'data-label-count="Count"', 'data-label-site="Site"',
                  'data-label-unit="Unit"', 'data-label-city="City"', 'data-label-rule="Rule"'],
            "/roads/patrol": ['data-msg-online="Online"', 'data-msg-offline-status="Offline"',
                              'data-msg-photos=" ({n} photos)"', 'data-msg-synced="Uploaded"',
                              'data-msg-locating="Locating…"', 'data-msg-all-sent="All uploaded"',
                              'data-msg-no-cache="Offline and not cached"'],
            "/intercept/live": ['data-msg-open-tasks="; open tasks: {n}"'],
        }
        for path, (client, markers) in zh.items():
            page = client.get(path)
            assert page.status_code == 200, path
            for m in markers:
                assert m in page.text, (path, m)
        english(analyst)
        english(officer)
        for path, markers in en.items():
            page = zh[path][0].get(path)
            assert page.status_code == 200, path
            for m in markers:
                assert m in page.text, (path, m)

        # the dashboard's JSON feed speaks the page's language; its CSV export (official) stays Chinese
        rules = {r["rule"]: r["label"] for r in analyst.get("/api/dashboard/live").json()["leads_by_rule"]}
        assert rules["gps_off"] == "GPS monitoring switched off"
        csv = analyst.get("/api/dashboard/export/leads_by_rule.csv").content.decode("utf-8-sig")
        assert "GPS monitoring" not in csv and "gps_off" in csv
        analyst.cookies.set("lang", "zh")
        rules_zh = {r["rule"]: r["label"] for r in analyst.get("/api/dashboard/live").json()["leads_by_rule"]}
        assert rules_zh["gps_off"] != rules["gps_off"] and rules_zh["gps_off"] in csv


def _context(browser, base: str, lang: str | None, username: str, problems: list[str]):  # type: ignore[no-untyped-def]
    """A fresh browser context (own cookies, caches and service workers), logged in as `username`."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.on("page", lambda p: p.on("pageerror", lambda e: problems.append(str(e))))
    if lang:
        ctx.add_cookies([{"name": "lang", "value": lang, "url": base}])
    browser_login(ctx.new_page(), base, username)
    return ctx


def _trajectory(ctx, base: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    page = ctx.new_page()
    page.goto(base + TRAJ)
    page.wait_for_selector("#traj-rows tr")
    kinds = page.locator("#traj-rows tr td:nth-child(4)").all_inner_texts()
    return page.locator("#traj-summary").inner_text(), kinds


def _dashboard_headers(ctx, base: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    page = ctx.new_page()
    page.goto(base + "/")
    page.wait_for_selector("#live[data-state=ready]", timeout=20_000)
    return {tid: page.locator(f"[data-testid={tid}] th").all_inner_texts()
            for tid in ("tbl-cases", "tbl-wim", "tbl-top", "tbl-rules")}


def _patrol(ctx, base: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Status line texts online and offline, then the service worker's fallback page for an uncached page."""
    page = ctx.new_page()
    page.goto(base + "/roads/patrol")
    page.wait_for_selector("#patrol-app[data-state=idle]")
    page.wait_for_selector("#patrol-app[data-sw=registered]")
    page.wait_for_function("() => document.getElementById('sync-msg').textContent !== ''")
    out = {"online": page.inner_text("#net-status"), "synced": page.inner_text("#sync-msg")}
    # the page hands the worker its offline text; wait until the worker has stored it
    page.wait_for_function("""() => caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k)
        .then(c => c.match('/roads/patrol-sw/texts.json'))))).then(hits => hits.some(Boolean))""",
                           polling=200, timeout=10_000)
    ctx.set_offline(True)
    page.wait_for_selector("#net-status[data-online='0']")
    out["offline"] = page.inner_text("#net-status")
    out["offline_msg"] = page.inner_text("#sync-msg")
    # the page not in the cache (never opened before on this handheld): the worker's fallback page
    page.evaluate("() => caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.delete('/roads/patrol')))))")
    page.goto(base + "/roads/patrol")
    out["fallback"] = page.inner_text("h1")
    ctx.set_offline(False)
    return out


def test_scripts_write_english_with_the_english_cookie_and_chinese_by_default(site):
    with LiveServer(site) as srv, Chromium() as browser:
        base = srv.url
        problems: list[str] = []
        en = _context(browser, base, "en", "zz", problems)
        summary, kinds = _trajectory(en, base)
        assert summary == f"{TRUCK} 2022-03-01: 6 passes"
        assert set(kinds) == {"Gantry"}
        headers = _dashboard_headers(en, base)
        assert headers["tbl-cases"] == ["State", "Count", "Overdue"]
        assert headers["tbl-wim"] == ["Site", "Unit", "Overload"]
        assert headers["tbl-top"] == ["City", "Leads", "Intercepted", "Overload", "Cases"]
        assert headers["tbl-rules"] == ["Rule", "Count"]
        en.close()
        en = _context(browser, base, "en", "xz_officer", problems)
        patrol = _patrol(en, base)
        assert patrol == {"online": "Online", "synced": "All uploaded", "offline": "Offline",
                          "offline_msg": "Offline: records are kept on this device and uploaded once back online",
                          "fallback": "Offline and not cached"}
        en.close()

        zh = _context(browser, base, None, "zz", problems)
        summary, kinds = _trajectory(zh, base)
        assert summary == f"{TRUCK} 2022-03-01 共 6 条通行记录"
        assert set(kinds) == {"门架"}
        headers = _dashboard_headers(zh, base)
        assert headers["tbl-cases"] == ["状态", "数量", "逾期"]
        assert headers["tbl-wim"] == ["站点", "单位", "超限违法"]
        assert headers["tbl-top"] == ["地市", "线索", "查获", "超限违法", "案件"]
        assert headers["tbl-rules"] == ["规则", "数量"]
        zh.close()
        zh = _context(browser, base, None, "xz_officer", problems)
        patrol = _patrol(zh, base)
        assert patrol == {"online": "在线", "synced": "全部已上传", "offline": "离线",
                          "offline_msg": "离线：记录已保存在本机，联网后自动上传", "fallback": "离线且无缓存"}
        zh.close()
        assert problems == []
