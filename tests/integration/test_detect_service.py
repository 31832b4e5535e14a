"""Detectors end to end: lake → run_detectors → leads (deduplicated across runs) → review pages and API."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.detection import samples as S
from zhifa.detection.service import run_detectors
from zhifa.leads.orm import Lead
from zhifa.org.orm import RoadSegment, Site
from zhifa.permits.service import import_permits
from zhifa.records.lake import write_batch
from zhifa.records.schemas import RECORD_TABLES
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ

DAY = date(2022, 3, 1)
NOW = datetime(2022, 3, 2, 8, tzinfo=TZ)
TRUCK = "豫A88888"
BIG = "豫A66666"


def at(h: int, m: int = 0) -> datetime:
    return datetime(2022, 3, 1, h, m, tzinfo=TZ)


def to_lake(lake, table: str, rows: list[dict], batch: str) -> None:
    write_batch(lake, RECORD_TABLES[table], pl.from_arrow(S.arrow(table, rows)), batch)


@pytest.fixture
def world(container):
    seed_units(container)
    with unit_of_work(container.db) as s:
        for i in range(1, 8):
            s.add(Site(site_id=f"G{i}", kind="gantry", name=f"G4门架{i}", unit_code="410102" if i < 5 else "410182",
                       road="G4", lon=113.6 + i * 0.05, lat=34.7, direction=1))
        s.flush()
        for i in range(1, 7):
            s.add(RoadSegment(segment_id=f"S{i}", road="G4", from_site=f"G{i}", to_site=f"G{i + 1}", length_m=8000))
    with unit_of_work(container.db) as s:
        rep = import_permits(s, actor=SYSTEM, now=NOW, frame=[dict(
            permit_no="P1", plate=BIG, plate_color="yellow", length_mm=22000, width_mm=3000, height_mm=4300,
            gross_weight_kg=60000, axle_count=6, route="G1;G4", valid_from="2022-03-01T00:00:00+08:00",
            valid_to="2022-03-03T00:00:00+08:00", allowed_hours="")])
        assert rep.created == 1, rep.refused
    lake = container.settings.lake_dir
    gantry = [S.gantry(f"t{i}", f"G{i + 1}", at(8, 10 * i), TRUCK, "yellow", 16, 6) for i in range(6)]
    gantry += [S.gantry(f"b{i}", f"G{i + 1}", at(22, 8 * i), BIG, "yellow", 16, 6) for i in range(6)]  # G5, G6 beyond
    gps = [S.gps(TRUCK, at(7) + timedelta(minutes=m)) for m in range(0, 65)]  # silent from 08:05
    gps += [S.gps(TRUCK, at(10) + timedelta(minutes=m)) for m in range(0, 30)]
    to_lake(lake, "gantry_pass", gantry, "g1")
    to_lake(lake, "gps_point", gps, "p1")
    return container


def test_detectors_store_leads_once_across_runs(world):
    first = run_detectors(world, day=DAY, actor=SYSTEM, now=NOW, history_days=1)
    assert first.by_rule == {"gps_off": 1, "oversize_beyond_route": 1}
    assert first.created == 2
    again = run_detectors(world, day=DAY, actor=SYSTEM, now=NOW + timedelta(hours=1), history_days=1)
    assert (again.created, again.duplicates) == (0, 2)
    with unit_of_work(world.db) as s:
        leads = {x.rule: x for x in s.query(Lead).all()}
    assert leads["gps_off"].plate == TRUCK and leads["gps_off"].unit_code == "410102"
    assert leads["oversize_beyond_route"].unit_code == "410182"
    assert leads["oversize_beyond_route"].evidence["permits"] == ["P1"]


def test_one_rule_can_be_run_alone(world):
    rep = run_detectors(world, day=DAY, rules=["gps_off"], actor=SYSTEM, now=NOW, history_days=1)
    assert rep.by_rule == {"gps_off": 1}


def test_review_pages_api_and_trajectory(world):
    run_detectors(world, day=DAY, actor=SYSTEM, now=NOW, history_days=1)
    seed_users(world, [("zz", "analyst", "410100"), ("hb", "analyst", "410600"), ("zo", "officer", "410100")])
    from zhifa.web.app import create_app

    with TestClient(create_app(world)) as client:
        login(client, "hb")  # Hebi sees none of Zhengzhou's leads
        assert client.get("/api/leads").json()["total"] == 0
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/leads").text)})
        login(client, "zz")
        listing = client.get("/leads?rule=gps_off")
        assert listing.status_code == 200 and TRUCK in listing.text and BIG not in listing.text
        items = client.get("/api/leads").json()["items"]
        gps_id = next(x["lead_id"] for x in items if x["rule"] == "gps_off")
        detail = client.get(f"/leads/{gps_id}")
        assert detail.status_code == 200 and "第三十八条" in detail.text
        token = csrf_from(detail.text)
        r = client.post(f"/leads/{gps_id}/review", data={"decision": "rejected", "reason": "", "csrf_token": token})
        assert r.status_code == 422 and "理由" in r.text
        r = client.post(f"/leads/{gps_id}/review", data={"decision": "confirmed", "follow_up": "watch",
                                                         "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert client.get(f"/api/leads/{gps_id}").json()["status"] == "confirmed"
        big_id = next(x["lead_id"] for x in items if x["rule"] == "oversize_beyond_route")
        r = client.post(f"/api/leads/{big_id}/review", json={"decision": "rejected", "reason": "许可已变更",
                                                              "follow_up": "case"}, headers={"x-csrf-token": token})
        assert r.status_code == 422  # only a confirmed lead opens a case
        client.post("/logout", data={"csrf_token": token})
        login(client, "zo")  # an officer of Zhengzhou opens the case from the lead
        token = csrf_from(client.get(f"/leads/{big_id}").text)
        r = client.post(f"/api/leads/{big_id}/review", json={"decision": "confirmed", "follow_up": "case",
                                                              "party_name": "某运输公司", "party_kind": "enterprise",
                                                              "proposed_fine_yuan": 5000},
                        headers={"x-csrf-token": token})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "confirmed" and r.json()["opened"] and r.json()["case_id"] == r.json()["opened"]
        traj = client.get(f"/api/trajectory?plate={BIG}&color=yellow&day=2022-03-01").json()
        assert [p["site_id"] for p in traj["points"]] == [f"G{i}" for i in range(1, 7)]
        assert all(p["lon"] is not None for p in traj["points"])
        assert client.get("/trajectory?plate=x&day=2022-03-01").status_code == 200
        assert client.get("/api/trajectory?plate=x&day=bad").status_code == 422
