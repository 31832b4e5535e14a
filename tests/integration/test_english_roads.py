"""The road-administration pages in English (cookie lang=en): every page body is English apart from data
(unit names, road sections, parties), the structure the patrol JS and tests rely on is unchanged, and
without the cookie the pages are Chinese as before."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.support import cjk_share, english, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.roads import changes, geo, service, synth
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app


def _token(client: TestClient, path: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get(path).text)
    assert m
    return m.group(1)


@pytest.fixture
def seeded(container, clock, tmp_path):
    """Demo roads, remote-sensing tasks on a synthetic pair, a patrol with findings, ads and two model-road rounds."""
    seed_units(container)
    seed_users(container, [("xz_officer", "officer", "410184"), ("prov_sup", "supervisor", "410000")])
    synth.write_pair(tmp_path, synth.PairParams(size=256, seed=4, new_per_km2=200), name="p")
    epsg, roads = changes.load_pair_roads(tmp_path / "p_roads.geojson")
    with unit_of_work(container.db) as s:
        service.seed_demo_roads(s, actor=SYSTEM, now=clock.now())
        for rid, cls, line, half in roads:
            service.create_road(s, actor=SYSTEM, code="G107", name="国道107线", section=rid, road_class=cls,
                                unit_code="410184", geometry=geo.dump_geojson(geo.to_lonlat(line, epsg)),
                                now=clock.now(), road_land_half_m=half, road_id=f"SYN-{rid}")
        rep = service.run_detection(s, actor=SYSTEM, path_a=tmp_path / "p_A.tif", path_b=tmp_path / "p_B.tif",
                                    now=clock.now(), store=service.store_for(container.settings.data_dir))
    assert rep.tasks_created >= 1
    app = create_app(container)

    officer = TestClient(app)
    login(officer, "xz_officer")
    h = {"X-CSRF-Token": _token(officer, "/roads/patrol")}
    pu = str(uuid.uuid4())
    assert officer.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "G107-ZZ",
                                                    "started_at": "2022-02-20T08:00:00+08:00"}, headers=h).status_code == 201
    for i, cat in enumerate(("illegal_building", "occupation", "signs_ads")):
        r = officer.post("/api/roads/findings", json={
            "client_uuid": str(uuid.uuid4()), "patrol_uuid": pu, "category": cat, "lon": 113.7412,
            "lat": 34.4301 + i / 1000, "note": "房屋", "recorded_at": "2022-02-20T08:30:00+08:00"}, headers=h)
        assert r.status_code == 201, r.text
        if i == 1:
            fid = r.json()["finding_id"]
            assert officer.post(f"/api/roads/findings/{fid}/notice", json={"party_name": "张某"},
                                headers=h).status_code == 201
    for i in range(3):
        ad = officer.post("/api/roads/ads", json={"unit_code": "410184", "owner": f"公司{i}", "lon": 113.74,
                                                  "lat": 34.43 + i / 1000}, headers=h).json()["ad_id"]
        if i == 0:
            officer.post(f"/api/roads/ads/{ad}/status", json={"status": "cleared"}, headers=h)
        if i == 1:
            officer.post(f"/api/roads/ads/{ad}/status", json={"status": "approved", "permit_ref": "P-2022-3"},
                         headers=h)

    sup = TestClient(app)
    login(sup, "prov_sup")
    h2 = {"X-CSRF-Token": _token(sup, "/roads/model")}
    published = sup.post("/api/roads/model-rounds", json={"year": 2022, "title": "Round 2022"}, headers=h2).json()["round_id"]
    open_round = sup.post("/api/roads/model-rounds", json={"year": 2021, "title": "Round 2021"}, headers=h2).json()["round_id"]
    for road in ("G107-ZZ", "G4-XC"):
        cid = sup.post(f"/api/roads/model-rounds/{published}/candidates", json={"road_id": road}, headers=h2).json()["candidate_id"]
        sup.post(f"/api/roads/model-candidates/{cid}/scores", json={"kind": "professional", "score": 90}, headers=h2)
        sup.post(f"/api/roads/model-candidates/{cid}/scores", json={"kind": "public", "score": 80}, headers=h2)
        sup.post(f"/api/roads/model-rounds/{open_round}/candidates", json={"road_id": road}, headers=h2)
    assert sup.post(f"/api/roads/model-rounds/{published}/publish", headers=h2).status_code == 200
    return {"officer": officer, "sup": sup, "published": published, "open": open_round}


# (client, path, English texts that must appear, Chinese heading shown without the cookie)
PAGES = [
    ("officer", "/roads/patrol", ["Road patrol", "Start patrol", "Record a finding", "Save finding", "End patrol",
                                  "Online", "Illegal building in the building-control zone"], "路政巡查"),
    ("officer", "/roads?month=2022-02", ["Road sections &amp; archives", "Patrol coverage, 2022-02", "Control-zone width",
                                         "National road", "Electronic archive (PDF)",
                                         "Regulations on Highway Safety Protection"], "路段与档案"),
    ("officer", "/roads/findings", ["Patrol findings", "3 in total", "All statuses", "Rectification ordered",
                                    "Order rectification", "Proposed fine (yuan)", "Open case", "Rectified",
                                    "Occupying or digging up the road"], "巡查发现问题"),
    ("sup", "/roads/findings", ["Patrol findings", '<span class="tag">Open</span>', "Unauthorised non-road signs or advertising"], "巡查发现问题"),
    ("officer", "/roads/changes", ["Satellite remote-sensing change review", "To review", "False alarm",
                                   "new in the building-control zone", "Checked on site: illegal building",
                                   "Rule version", "Before", "After"], "卫星遥感变化核查"),
    ("officer", "/roads/ads", ["Clearing advertising facilities along the roads", "Progress by city", "Clearance rate",
                               "Cleared per year", "2022: 1", "Kept under permit", "To be cleared",
                               "Permit number", "Register an advertising facility"], "公路沿线广告设施清理"),
    ("officer", "/roads/ads?city=410100", ["Facilities (", "Owner", "Location"], "公路沿线广告设施清理"),
    ("sup", "/roads/model?round_id={published}", ["Model road evaluation", "Round 2022 (Published)", "Overall score",
                                                  "<td>Model road</td>", "Expert score (count)", "New evaluation round"],
     "路政执法示范路评定"),
    ("sup", "/roads/model?round_id={open}", ["Round 2021 (Under evaluation)", "Nominate a section",
                                             "Compute and publish results", "Expert", "Enter"], "路政执法示范路评定"),
]


def test_roads_pages_in_english(seeded):
    """One seeding for all pages (the remote-sensing run is the slow part)."""
    for who, path, texts, zh_heading in PAGES:
        client = seeded[who]
        url = path.format(**seeded)
        zh = client.get(url)
        assert zh.status_code == 200, zh.text[:300]
        assert zh_heading in zh.text, url  # default: Chinese as before
        english(client)
        try:
            r = client.get(url)
            assert r.status_code == 200, r.text[:300]
            for text in texts:
                assert text in r.text, (url, text)
            assert zh_heading not in r.text.split("<main", 1)[-1], url
            # data (sections such as 郑州新郑段, unit names, parties) stays Chinese; the interface does not
            assert cjk_share(r.text) < 0.2, (url, cjk_share(r.text))
        finally:
            client.cookies.delete("lang")


def test_english_keeps_the_structure_scripts_depend_on(seeded):
    officer = seeded["officer"]
    english(officer)
    p = officer.get("/roads/patrol").text
    for marker in ('id="patrol-app"', 'id="net-status"', 'data-online="1"', 'id="sync-now"', 'id="queue-count"',
                   'id="start-patrol"', 'id="save-finding"', 'id="end-patrol"', 'id="roads-data"',
                   '<option value="illegal_building">'):
        assert marker in p, marker
    f = officer.get("/roads/findings").text
    assert 'name="party_name"' in f and 'name="proposed_fine_yuan"' in f and 'data-testid="findings-table"' in f
    assert 'data-testid="ads-progress"' in officer.get("/roads/ads").text
    # the archive PDF is an official document: unchanged by the interface language
    pdf = officer.get("/roads/G107-ZZ/archive.pdf?year=2022")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
