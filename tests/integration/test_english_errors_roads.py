"""Errors of road administration (patrols, findings, ads, remote sensing) in English (cookie `lang=en`) on pages
and as the API's `detail_en` (which the patrol app shows); without the cookie the same errors are Chinese."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.support import english, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.roads import changes, service
from zhifa.shared.access import SYSTEM
from zhifa.shared.errors import ValidationFailed
from zhifa.web.app import create_app


@pytest.fixture
def client(container, clock):
    seed_units(container)
    seed_users(container, [("xz_officer", "officer", "410184")])
    with unit_of_work(container.db) as s:
        service.seed_demo_roads(s, actor=SYSTEM, now=clock.now())
    with TestClient(create_app(container)) as c:
        login(c, "xz_officer")
        yield c


def _token(c: TestClient) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', c.get("/roads/patrol").text)
    assert m
    return m.group(1)


def _errors(c: TestClient) -> dict[str, str]:
    tok = _token(c)
    out = {}
    r = c.get("/roads/NOPE/archive.pdf?year=2022")
    assert r.status_code == 404
    out["road"] = r.text
    r = c.post("/roads/ads/NOPE/status", data={"csrf_token": tok, "status": "cleared"})
    assert r.status_code == 404
    out["ad"] = r.text
    return out


def test_road_errors_on_pages_in_english(client):
    english(client)
    pages = _errors(client)
    assert "Road section not found" in pages["road"] and "路段不存在" not in pages["road"]
    assert "Advertising facility not found" in pages["ad"]


def test_road_errors_on_pages_stay_chinese_by_default(client):
    pages = _errors(client)
    assert "路段不存在" in pages["road"] and "Road section not found" not in pages["road"]
    assert "广告设施不存在" in pages["ad"]


def test_the_patrol_api_gives_english_texts_next_to_the_chinese_detail(client):
    h = {"X-CSRF-Token": _token(client)}
    r = client.post("/api/roads/findings", json={"client_uuid": "not-a-uuid", "patrol_uuid": "x", "category": "occupation",
                                                 "lon": 113.74, "lat": 34.43, "note": ""}, headers=h)
    assert r.status_code == 422 and r.json() == {"detail": "发现问题标识不正确", "detail_en": "Invalid finding ID"}
    r = client.get("/api/roads/coverage?year=2022&month=13")
    assert r.status_code == 422 and r.json()["detail_en"] == "The month must be between 1 and 12"


def test_a_refused_image_pair_says_why_in_both_languages(tmp_path):
    with pytest.raises(ValidationFailed) as err:
        changes.check_pair(tmp_path / "a.tif", tmp_path / "b.tif")
    assert err.value.message == "前时相影像不存在：a.tif"
    assert err.value.text("en") == "Before image not found: a.tif"
