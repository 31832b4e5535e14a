"""Errors of the reports and the command-centre dashboard in English (cookie `lang=en`) on pages and as the API's
`detail_en`; without the cookie the same errors are shown in Chinese as before. No data is needed: every
request here is refused before a figure is computed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import english, login, seed_units, seed_users
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("zz", "analyst", "410100")])
    with TestClient(create_app(container)) as c:
        login(c, "zz")
        yield c


def _pages(c: TestClient) -> dict[str, str]:
    out = {}
    for name, url, status in [("period", "/reports/quarter?period=someday", 422),
                              ("figure", "/reports/figures/NOPE?period=2022", 404),
                              ("unit", "/reports/year?year=2022&unit=410300", 404)]:
        r = c.get(url)
        assert r.status_code == status, (url, r.status_code)
        out[name] = r.text
    return out


def test_report_errors_in_english(client):
    english(client)
    pages = _pages(client)
    assert "Invalid period: someday (use 2022, 2022Q1 or 2022-03)" in pages["period"]
    assert "Figure not found: NOPE" in pages["figure"]
    assert "Unit not found" in pages["unit"] and "单位不存在" not in pages["unit"]


def test_report_errors_stay_chinese_by_default(client):
    pages = _pages(client)
    assert "统计期无效：someday（应为 2022、2022Q1 或 2022-03）" in pages["period"]
    assert "统计指标不存在：NOPE" in pages["figure"]
    assert "单位不存在" in pages["unit"] and "Unit not found" not in pages["unit"]


def test_report_and_dashboard_api_errors_carry_the_english_text(client):
    r = client.get("/api/reports/period/someday")
    assert r.status_code == 422
    assert r.json() == {"detail": "统计期无效：someday（应为 2022、2022Q1 或 2022-03）",
                        "detail_en": "Invalid period: someday (use 2022, 2022Q1 or 2022-03)"}
    r = client.get("/api/dashboard/live?unit=410300")
    assert r.status_code == 404 and r.json() == {"detail": "单位不存在", "detail_en": "Unit not found"}
    r = client.get("/api/dashboard/export/today.pdf")
    assert r.status_code == 404 and r.json()["detail_en"] == "The export format must be csv or xlsx"
    r = client.get("/api/dashboard/export/nope.csv")
    assert r.status_code == 404 and r.json()["detail_en"] == "There is no table named nope"
