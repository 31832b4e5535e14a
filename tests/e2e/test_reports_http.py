"""Reports and the live dashboard over HTTP: pages, PDF, JSON, drill-down, jurisdiction, exports, CLI."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient

from tests.support import login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.reports import synth
from zhifa.web.app import create_app

ZZ, LY = "410100", "410300"


@pytest.fixture
def rows(container):
    seed_units(container)
    seed_users(container, [("prov", "analyst", "410000"), ("zz", "analyst", ZZ), ("ly", "supervisor", LY)])
    with unit_of_work(container.db) as s:
        return synth.populate(s, year=2022, scale=2, seed=21)


@pytest.fixture
def client(container, rows):
    with TestClient(create_app(container)) as c:
        yield c


def test_province_year_report_page_pdf_and_json(client):
    login(client, "prov")
    r = client.get("/reports/year?year=2022&unit=410000")
    assert r.status_code == 200
    assert "累计布控车辆" in r.text and "（八）" in r.text and 'id="report-data"' in r.text
    assert 'href="/reports/year"' in r.text  # in the navigation
    assert 'data-no-data="1"' in client.get("/reports/year?year=2015&unit=410000").text  # a year with no records
    pdf = client.get("/reports/year?year=2022&unit=410000&format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    data = client.get("/api/reports/year?year=2022").json()
    assert [s["key"] for s in data["sections"]] == list("一二三四五六七八")
    q = client.get("/reports/quarter?period=2022Q3")
    assert q.status_code == 200 and "2022年第三季度" in q.text
    m = client.get("/api/reports/period/2022-05").json()
    assert m["period_label"] == "2022年5月" and m["trend"] is None


def test_city_user_gets_own_report_with_province_rank_but_not_other_cities(client):
    login(client, "zz")
    r = client.get("/reports/year?year=2022")
    assert r.status_code == 200 and "郑州市2022年" in r.text
    assert client.get(f"/reports/year?year=2022&unit={LY}").status_code == 404
    assert client.get("/reports/year?year=2022&unit=410000").status_code == 404
    assert client.get(f"/api/reports/figures/intercepted?unit={LY}&period=2022").status_code == 404
    assert client.get(f"/reports/figures/intercepted?unit={LY}&period=2022").status_code == 404
    d = client.get("/api/reports/figures/overload_trucks?period=2022").json()
    assert d["unit"] == ZZ
    assert d["own_rank"] is None or d["own_rank"]["unit_code"] == ZZ
    names_ok = {"郑州市"} | {r["name"] for r in d["ranking"]}
    assert all(r["unit_code"].startswith("4101") for r in d["ranking"])
    assert all(row["unit_code"].startswith("4101") for row in d["rows"]["items"]), names_ok
    assert d["rows"]["total"] == d["value"]


def test_drilldown_paginates_and_unknown_figure_is_404(client):
    login(client, "prov")
    first = client.get("/api/reports/figures/watch_entries?period=2022&per_page=7&page=1").json()
    assert first["rows"]["total"] == first["value"] > 7
    second = client.get("/api/reports/figures/watch_entries?period=2022&per_page=7&page=2").json()
    ids1 = {r["entry_id"] for r in first["rows"]["items"]}
    ids2 = {r["entry_id"] for r in second["rows"]["items"]}
    assert len(ids1) == len(ids2) == 7 and not ids1 & ids2
    nd = client.get("/api/reports/figures/held_vehicles_overdue?period=2015").json()
    assert nd["no_data"] is True and nd["value"] is None and nd["rows"]["total"] == 0
    assert client.get("/api/reports/figures/nope?period=2022").status_code == 404
    assert client.get("/api/reports/figures/watch_entries?period=20x").status_code == 422
    page = client.get("/reports/figures/watch_entries?period=2022&unit=410000")
    assert page.status_code == 200 and 'data-testid="figure-rows"' in page.text


def test_dashboard_live_and_exports_csv_xlsx_scoped(client, rows):
    from openpyxl import load_workbook

    login(client, "prov")
    live = client.get("/api/dashboard/live?period=year").json()
    assert set(live) >= {"today", "leads_by_rule", "cases_by_state", "wim_sites", "top_cities", "trend"}
    want_rules: dict[str, int] = {}
    for r in rows["leads"]:
        if r["created_at"].year == 2022:
            want_rules[r["rule"]] = want_rules.get(r["rule"], 0) + 1
    assert {x["rule"]: x["count"] for x in live["leads_by_rule"]} == want_rules  # clock: 2022-03-01, period=year
    assert sum(x["count"] for x in live["cases_by_state"]) == len(rows["cases"])
    assert sum(x["overdue"] for x in live["cases_by_state"]) == sum(1 for c in rows["cases"] if c["overdue"])
    for table in ("today", "leads_by_rule", "cases_by_state", "wim_sites", "top_cities", "trend"):
        c = client.get(f"/api/dashboard/export/{table}.csv?period=year")
        assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
        lines = c.content.decode("utf-8-sig").strip().splitlines()
        x = client.get(f"/api/dashboard/export/{table}.xlsx?period=year")
        ws = load_workbook(io.BytesIO(x.content)).active
        assert ws.max_row == len(lines), table
    assert client.get("/api/dashboard/export/secrets.csv").status_code == 404
    assert client.get("/api/dashboard/export/trend.pdf").status_code == 404
    client.post("/logout", data={})
    login(client, "zz")
    mine = client.get("/api/dashboard/live?period=year").json()
    assert all(w["unit_code"].startswith("4101") for w in mine["wim_sites"])
    assert client.get(f"/api/dashboard/live?unit={LY}").status_code == 404
    assert client.get(f"/api/dashboard/export/wim_sites.csv?unit={LY}").status_code == 404
    assert client.get("/").status_code == 200


def test_cli_report_year_json_and_pdf(container, rows, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from zhifa.cli.main import app

    monkeypatch.setenv("ZHIFA_DATA_DIR", str(container.settings.data_dir))
    monkeypatch.setenv("ZHIFA_DATABASE_URL", container.settings.sqlalchemy_url)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["report", "year", "2022", "--unit", "410000", "--format", "json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    assert data["unit_code"] == "410000" and len(data["sections"]) == 8
    pdf = tmp_path / "r.pdf"
    res = CliRunner().invoke(app, ["report", "quarter", "2022Q1", "--unit", ZZ, "--format", "pdf", "--out", str(pdf)])
    assert res.exit_code == 0, res.output
    assert pdf.read_bytes()[:4] == b"%PDF"
    res = CliRunner().invoke(app, ["report", "year", "2022", "--unit", "999999", "--format", "json"])
    assert res.exit_code == 2 and "单位不存在" in res.output


def test_the_year_report_opens_on_the_last_year_with_records_else_the_year_so_far(container):
    """The clock says 2022-03-01: with leads only in 2022 the page opens on 2022 (not an empty 2021)."""
    from datetime import datetime

    from zhifa.leads.orm import Lead
    from zhifa.shared.clock import TZ

    seed_units(container)
    seed_users(container, [("prov", "analyst", "410000")])

    def lead(i, when):
        return Lead(lead_id=f"L{i}", rule="gps_off", plate="豫A12345", plate_color="yellow", start=when, end=when,
                    unit_code="410100", explanation="x", evidence={}, dedup_key=f"k{i}", status="open", created_at=when)

    with TestClient(create_app(container)) as c:
        with unit_of_work(container.db) as s:
            s.add(lead(1, datetime(2022, 2, 1, tzinfo=TZ)))
        login(c, "prov")
        assert 'name="year" value="2022"' in c.get("/reports/year").text
        with unit_of_work(container.db) as s:
            s.add(lead(2, datetime(2021, 6, 1, tzinfo=TZ)))
        assert 'name="year" value="2021"' in c.get("/reports/year").text
