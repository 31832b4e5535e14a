"""Helpers shared by HTTP tests: the real units of Henan, users, login with CSRF."""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources

from fastapi.testclient import TestClient

from zhifa.db.session import unit_of_work
from zhifa.org.orm import Unit
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.web.auth import create_user

PASSWORD = "secret-pass-123"


def seed_units(container) -> None:
    """All units of the province from the project's reference data (no sites)."""
    data = json.loads(resources.files("zhifa.org").joinpath("data/units.json").read_text("utf-8"))
    with unit_of_work(container.db) as s:
        for u in data["units"]:
            s.add(Unit(**{k: u.get(k) for k in ("unit_code", "name", "level", "parent_code", "city_code", "lon", "lat",
                                                  "plate_prefixes", "directly_administered")}))


def seed_users(container, users: list[tuple[str, str, str]]) -> None:
    """(username, role, unit_code) with PASSWORD."""
    now = datetime(2022, 1, 1, 8, 0, tzinfo=TZ)
    with unit_of_work(container.db) as s:
        for username, role, unit in users:
            create_user(s, actor=SYSTEM, username=username, password=PASSWORD, role=role, unit_code=unit, now=now)


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token in page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_from(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parents[1] / "test-artifacts"


_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def cjk_share(html: str) -> float:
    """Share of CJK characters among the letters of the page's <main> text (0 = all Latin).

    A page in English still shows data in Chinese (unit names, plates, party names), so tests compare
    this share against a bound rather than zero."""
    main = html.split("<main", 1)[-1].split(">", 1)[-1].split("</main>", 1)[0]
    text = _TAGS.sub(" ", main)
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def english(client: TestClient) -> None:
    """Switch the client's interface language to English (the cookie the language switch sets)."""
    client.cookies.set("lang", "en")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving the app of `container` on a free loopback port, in a thread."""

    def __init__(self, container) -> None:
        import threading

        import uvicorn

        from zhifa.web.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._srv = uvicorn.Server(uvicorn.Config(create_app(container), host="127.0.0.1", port=self.port,
                                                  log_level="warning"))
        self._th = threading.Thread(target=self._srv.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self._th.start()
        deadline = time.monotonic() + 20
        while not self._srv.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._srv.should_exit = True
        self._th.join(timeout=10)


class Chromium:
    """Debian's chromium driven by Playwright (never `playwright install`)."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        return self.browser

    def __exit__(self, *exc: object) -> None:
        self.browser.close()
        self._pw.stop()


def browser_login(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
