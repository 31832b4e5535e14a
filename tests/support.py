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
