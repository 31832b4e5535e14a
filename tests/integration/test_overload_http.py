"""Overload and credit pages and API over HTTP, scoped by jurisdiction."""

from __future__ import annotations

import copy

import polars as pl
import pytest
from fastapi.testclient import TestClient

from tests.integration.test_overload_service import DAY, T0, entry, wim
from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site
from zhifa.overload import service as svc
from zhifa.records.lake import write_batch
from zhifa.records.schemas import RECORD_TABLES
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("hb", "officer", "410600"), ("zz", "officer", "410100")])
    with unit_of_work(container.db) as s:
        s.add_all([
            Site(site_id="W1", kind="wim", name="G4鹤壁治超点", unit_code="410611", lon=114.3, lat=35.7, device_class=5.0,
                 deduct_tolerance=False),
            Site(site_id="T1", kind="toll_station", name="鹤壁收费站", unit_code="410611", lon=114.3, lat=35.7),
        ])
    lake = container.settings.lake_dir
    write_batch(lake, RECORD_TABLES["wim"], pl.DataFrame([wim("w1", "豫F11111", 0, 60000), wim("w4", "豫F33333", 20, 105000)]), "b1")
    write_batch(lake, RECORD_TABLES["toll_txn"], pl.DataFrame([entry("t1", "豫F11111", -60, 60000)]), "b2")
    with unit_of_work(container.db) as s:
        svc.run_day(s, actor=SYSTEM, lake_dir=lake, day=DAY, now=T0)
        svc.trace_back_day(s, actor=SYSTEM, lake_dir=lake, day=DAY, now=T0)
    with TestClient(create_app(container)) as c:
        yield c


def test_pages_render_and_are_scoped(client):
    login(client, "hb")
    for path in ("/overload/leads", "/overload/records", "/overload/100t", "/overload/entry-rate?month=2022-03",
                 "/overload/sources", "/overload/trace", "/credit"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:500])
    assert "豫F33333" in client.get("/overload/100t").text and "<circle" in client.get("/overload/100t").text
    assert "豫F11111" in client.get("/overload/records").text
    leads = client.get("/api/overload/leads").json()
    assert leads["total"] == 3 and {x["plate"] for x in leads["items"]} == {"豫F11111", "豫F33333"}
    assert client.get("/api/overload/entry-rate?month=2022-03&by=station").json()[0]["refused"] == 1
    lead_id = next(x["lead_id"] for x in leads["items"] if x["plate"] == "豫F11111" and x["rule"] == "overload")
    page = client.get(f"/overload/leads/{lead_id}")
    assert page.status_code == 200 and "G4鹤壁治超点" in page.text
    r = client.post(f"/overload/leads/{lead_id}/review", data={"decision": "rejected", "reason": "",
                                                              "csrf_token": csrf_from(page.text)})
    assert r.status_code == 422
    r = client.post(f"/overload/leads/{lead_id}/review", data={"decision": "confirmed", "reason": "",
                                                              "csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    detail = client.get(f"/overload/leads/{lead_id}").text
    assert ".pdf" in detail
    pdf_href = detail.split('href="/overload/notices/')[1].split('"')[0]
    pdf = client.get(f"/overload/notices/{pdf_href}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_other_city_sees_nothing(client):
    login(client, "zz")
    assert client.get("/api/overload/leads").json()["total"] == 0
    assert client.get("/api/overload/records").json()["total"] == 0
    assert client.get("/api/overload/trucks-100t").json() == []


def test_evidence_check_on_page_api_and_cli_catches_a_changed_record(client, container, tmp_path, monkeypatch):
    from sqlalchemy import select
    from typer.testing import CliRunner

    from zhifa.cli.main import app
    from zhifa.leads.orm import Lead

    login(client, "hb")
    lead_id = next(x["lead_id"] for x in client.get("/api/overload/leads").json()["items"]
                   if x["plate"] == "豫F11111" and x["rule"] == "overload")
    ok = client.get(f"/api/overload/leads/{lead_id}/evidence").json()
    assert ok["intact"] is True and ok["problems"] == []
    # the entry weighing (no vehicle kind) and the WIM record, each with its stored determination
    assert [(d["source"], d["record_id"]) for d in ok["determinations"]] == [("entry", "t1"), ("wim", "w1")]
    assert "证据完整性：各部分与其 SHA-256 摘要一致" in client.get(f"/overload/leads/{lead_id}").text
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ZHIFA_ENV", "test")
    r = CliRunner().invoke(app, ["overload", "evidence", lead_id, "--json"])
    assert r.exit_code == 0 and '"intact": true' in r.output

    with unit_of_work(container.db) as s:  # someone edits the weight in the stored bundle
        lead = s.execute(select(Lead).where(Lead.lead_id == lead_id)).scalar_one()
        ev = copy.deepcopy(lead.evidence)
        ev["parts"][1]["record"]["gross_weight_kg"] = 70000
        lead.evidence = ev
    bad = client.get(f"/api/overload/leads/{lead_id}/evidence").json()
    assert bad["intact"] is False and bad["problems"] == ["part 2 record"]
    assert "请勿据此处罚" in client.get(f"/overload/leads/{lead_id}").text
    r = CliRunner().invoke(app, ["overload", "evidence", lead_id])
    assert r.exit_code == 1 and "part 2 record" in r.output
    login(client, "zz")
    assert client.get(f"/api/overload/leads/{lead_id}/evidence").status_code in (403, 404)


def test_an_unregistered_plate_is_flagged_with_registered_lookalikes(client, container):
    from datetime import timedelta

    from zhifa.shared.plates import lookalikes
    from zhifa.vehicles.orm import Vehicle

    login(client, "hb")
    items = client.get("/api/overload/leads").json()["items"]
    lead_id = next(x["lead_id"] for x in items if x["plate"] == "豫F11111" and x["rule"] == "overload")
    other = next(x["lead_id"] for x in items if x["plate"] == "豫F33333" and x["rule"] == "overload")
    alike = lookalikes("豫F11111", "yellow")[0]
    with unit_of_work(container.db) as s:
        for plate in (alike, "豫F33333"):
            s.add(Vehicle(plate=plate, plate_color="yellow", axle_count=6, vehicle_kind="tractor_semitrailer",
                          created_at=T0, updated_at=T0))
    v = client.get(f"/api/overload/leads/{lead_id}/evidence").json()
    assert v["plate_registered"] is False
    assert v["registered_lookalikes"] == [{"plate": alike, "weighed_in_window": False}]
    page = client.get(f"/overload/leads/{lead_id}").text
    assert "该号牌未在车辆登记库中" in page and alike in page
    assert client.get(f"/api/overload/leads/{other}/evidence").json()["plate_registered"] is True
    # the look-alike weighed at the same time makes the hint stronger (a misread of that truck) — but only
    # weighings in the reader's jurisdiction count: a 鹤壁 officer does not learn of one in 郑州
    from zhifa.overload.orm import OverloadDetermination

    with unit_of_work(container.db) as s:
        s.add(OverloadDetermination(det_id="x0", source="wim", record_id="x0", site_id="W9", unit_code="410100",
                                    measured_at=T0 + timedelta(minutes=5), plate=alike, status="violation",
                                    rule_version="t", created_at=T0))
    v = client.get(f"/api/overload/leads/{lead_id}/evidence").json()
    assert v["registered_lookalikes"] == [{"plate": alike, "weighed_in_window": False}]
    with unit_of_work(container.db) as s:
        s.add(OverloadDetermination(det_id="x1", source="wim", record_id="x1", site_id="W1", unit_code="410611",
                                    measured_at=T0 + timedelta(minutes=5), plate=alike, status="violation",
                                    rule_version="t", created_at=T0))
    v = client.get(f"/api/overload/leads/{lead_id}/evidence").json()
    assert v["registered_lookalikes"] == [{"plate": alike, "weighed_in_window": True}]


def test_domain_errors_speak_the_interface_language(client):
    from tests.support import english

    login(client, "hb")
    lead_id = client.get("/api/overload/leads").json()["items"][0]["lead_id"]
    login(client, "zz")  # another city: the lead is "not found", in the page's language
    assert "不存在" in client.get(f"/overload/leads/{lead_id}").text
    english(client)
    page = client.get(f"/overload/leads/{lead_id}")
    assert page.status_code == 404 and "not found" in page.text and "不存在" not in page.text.split("<main", 1)[-1]
    api = client.get(f"/api/overload/leads/{lead_id}/evidence")
    assert api.status_code == 404 and "不存在" in api.json()["detail"] and "not found" in api.json()["detail_en"]
