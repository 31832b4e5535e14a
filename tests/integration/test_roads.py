"""Road administration through the service and the HTTP API: sections and zones, idempotent handheld
uploads, findings → notices and road-domain cases, coverage, archives PDF, remote-sensing tasks and
leads, advertising campaign, model roads, jurisdiction."""

from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.support import csrf_from, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.roads import service, synth
from zhifa.roads.orm import ChangeTask, Finding, Patrol
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.web.app import create_app


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def app_client(container, clock):
    seed_units(container)
    seed_users(container, [("xz_officer", "officer", "410184"), ("kf_officer", "officer", "410212"),
                           ("prov_sup", "supervisor", "410000"), ("zz_analyst", "analyst", "410100")])
    with unit_of_work(container.db) as s:
        service.seed_demo_roads(s, actor=SYSTEM, now=clock.now())
    client = TestClient(create_app(container))
    return client


def _token(client: TestClient, path: str = "/roads/patrol") -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text
    import re

    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', r.text)
    assert m
    return m.group(1)


def test_demo_roads_have_zones_by_class(container, clock):
    seed_units(container)
    with unit_of_work(container.db) as s:
        assert service.seed_demo_roads(s, actor=SYSTEM, now=clock.now()) == 5
        assert service.seed_demo_roads(s, actor=SYSTEM, now=clock.now()) == 0
        roads = {r.road_id: r for r in service.list_roads(s, actor=SYSTEM)}
        g107 = roads["G107-ZZ"]
        assert 9_000 < g107.length_m < 16_000
        z, epsg = service.road_zone(g107, clock.now().date())
        assert epsg == "EPSG:32649" and z.width_m == 20
        assert service.road_zone(roads["G4-XC"], clock.now().date())[0].width_m == 30
        assert service.road_zone(roads["Y008-NY"], clock.now().date())[0].width_m == 5
        # a point 25 m east of the G107 centre line: beyond the 13 m road land, inside the 20 m zone
        lon, lat = 113.741, 34.430
        east = service.locate(g107, lon + 25 / (111_320 * 0.824), lat, clock.now().date())
        assert east["where"] == "control_zone" and 20 < east["distance_m"] < 30
        far = service.locate(g107, lon + 0.01, lat, clock.now().date())
        assert far["where"] is None


def test_the_same_finding_posted_twice_is_stored_once(app_client, container):
    c = app_client
    login(c, "xz_officer")
    token = _token(c)
    h = {"X-CSRF-Token": token}
    pu = str(uuid.uuid4())
    r1 = c.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "G107-ZZ"}, headers=h)
    r2 = c.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "G107-ZZ"}, headers=h)
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert r1.json()["patrol_id"] == r2.json()["patrol_id"]
    fu = str(uuid.uuid4())
    body = {"client_uuid": fu, "patrol_uuid": pu, "category": "illegal_building", "lon": 113.7412, "lat": 34.4301,
            "note": "路东侧新建彩钢房", "recorded_at": "2022-03-01T08:30:00+08:00",
            "photos": ["data:image/png;base64," + base64.b64encode(_png()).decode()]}
    a = c.post("/api/roads/findings", json=body, headers=h)
    b = c.post("/api/roads/findings", json=body, headers=h)
    assert (a.status_code, b.status_code) == (201, 200)
    assert a.json()["finding_id"] == b.json()["finding_id"] and b.json()["created"] is False
    with unit_of_work(container.db) as s:
        assert s.execute(select(func.count()).select_from(Finding).where(Finding.client_uuid == fu)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(Patrol)).scalar_one() == 1
        f = s.execute(select(Finding)).scalar_one()
        assert f.photos[0]["type"] == "image/png" and f.unit_code == "410184"
    # the photo is served to staff of the jurisdiction only
    sha = f.photos[0]["sha256"]
    assert c.get(f"/api/roads/files/{sha}").content == _png()
    end = c.post(f"/api/roads/patrols/{pu}/end", json={"ended_at": "2022-03-01T09:00:00+08:00"}, headers=h)
    assert end.status_code == 200 and end.json()["ended_at"].startswith("2022-03-01T09:00")
    c2 = TestClient(c.app)
    login(c2, "kf_officer")
    assert c2.get(f"/api/roads/files/{sha}").status_code == 404
    assert c2.get("/api/roads/findings").json()["count"] == 0


def test_bad_uploads_are_refused_with_a_reason(app_client):
    c = app_client
    login(c, "xz_officer")
    h = {"X-CSRF-Token": _token(c)}
    pu = str(uuid.uuid4())
    assert c.post("/api/roads/patrols", json={"client_uuid": "not-a-uuid", "road_id": "G107-ZZ"}, headers=h).status_code == 422
    assert c.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "X021-KF"}, headers=h).status_code == 404
    assert c.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "G107-ZZ"}, headers=h).status_code == 201
    base = {"client_uuid": str(uuid.uuid4()), "patrol_uuid": pu, "category": "occupation", "lon": 113.74, "lat": 34.43}
    r = c.post("/api/roads/findings", json={**base, "category": "ufo"}, headers=h)
    assert r.status_code == 422 and "类别" in r.json()["detail"]
    r = c.post("/api/roads/findings", json={**base, "photos": ["data:image/png;base64,bm90IGFuIGltYWdl"]}, headers=h)
    assert r.status_code == 422 and "照片" in r.json()["detail"]
    r = c.post("/api/roads/findings", json={**base, "lon": 0.0, "lat": 0.0}, headers=h)
    assert r.status_code == 422
    r = c.post("/api/roads/findings", json={**base, "recorded_at": "2022-03-02T09:00:00+08:00"}, headers=h)
    assert r.status_code == 422 and "时钟" in r.json()["detail"]  # the handheld's clock is a day ahead
    r = c.post("/api/roads/findings", json={**base, "patrol_uuid": str(uuid.uuid4())}, headers=h)
    assert r.status_code == 404
    assert c.post("/api/roads/findings", json=base).status_code == 403  # no CSRF token


def test_finding_becomes_notice_then_road_domain_case(app_client, container, clock):
    c = app_client
    login(c, "xz_officer")
    h = {"X-CSRF-Token": _token(c)}
    pu, fu = str(uuid.uuid4()), str(uuid.uuid4())
    c.post("/api/roads/patrols", json={"client_uuid": pu, "road_id": "G107-ZZ",
                                       "started_at": "2022-02-20T08:00:00+08:00"}, headers=h)
    fid = c.post("/api/roads/findings", json={"client_uuid": fu, "patrol_uuid": pu, "category": "illegal_building",
                                              "lon": 113.7412, "lat": 34.4301, "note": "新建房屋",
                                              "recorded_at": "2022-02-20T08:30:00+08:00"}, headers=h).json()["finding_id"]
    n = c.post(f"/api/roads/findings/{fid}/notice", json={"party_name": "张某"}, headers=h)
    assert n.status_code == 201, n.text
    assert n.json()["number"].startswith("路政改〔2022〕410184-0001")
    assert n.json()["due_on"] > "2022-03-01"
    k = c.post(f"/api/roads/findings/{fid}/case", json={"party_name": "张某", "proposed_fine_yuan": 10000,
                                                        "band_code": "A"}, headers=h)
    assert k.status_code == 201, k.text
    assert k.json()["catalogue_code"] == "ROAD-BUILD"
    again = c.post(f"/api/roads/findings/{fid}/case", json={"party_name": "张某", "proposed_fine_yuan": 10000}, headers=h)
    assert again.status_code == 409
    f = c.get("/api/roads/findings").json()["data"][0]
    assert f["status"] == "case" and f["case_id"] == k.json()["case_id"]
    cov = c.get("/api/roads/coverage?year=2022&month=2").json()["data"]
    g107 = next(x for x in cov if x["road_id"] == "G107-ZZ")
    assert (g107["patrols"], g107["days"], g107["findings"]) == (1, 1, 1)
    assert g107["coverage"] == pytest.approx(1 / 28, abs=1e-4)
    pdf = c.get("/api/roads/G107-ZZ/archive.pdf?year=2022")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert c.get("/roads/G107-ZZ/archive.pdf?year=2022").content.startswith(b"%PDF")
    c2 = TestClient(c.app)
    login(c2, "kf_officer")
    assert c2.get("/api/roads/G107-ZZ/archive.pdf?year=2022").status_code == 404


def test_remote_sensing_run_makes_tasks_and_leads_once(container, clock, tmp_path):
    from zhifa.leads.orm import Lead
    from zhifa.roads import changes, geo

    seed_units(container)
    synth.write_pair(tmp_path, synth.PairParams(size=512, seed=3), name="p")
    store = service.store_for(container.settings.data_dir)
    epsg, roads = changes.load_pair_roads(tmp_path / "p_roads.geojson")
    with unit_of_work(container.db) as s:
        for rid, cls, line, half in roads:
            service.create_road(s, actor=SYSTEM, code="G107", name="国道107线", section=f"合成 {rid}", road_class=cls,
                                unit_code="410184", geometry=geo.dump_geojson(geo.to_lonlat(line, epsg)),
                                now=clock.now(), road_land_half_m=half, road_id=f"SYN-{rid}")
    in_zone_truth = sum(1 for _, z in changes.load_truth(tmp_path / "p_truth.geojson") if z)
    with unit_of_work(container.db) as s:
        rep = service.run_detection(s, actor=SYSTEM, path_a=tmp_path / "p_A.tif", path_b=tmp_path / "p_B.tif",
                                    now=clock.now(), store=store)
    assert rep.in_zone == rep.tasks_created == rep.leads_created
    assert abs(rep.tasks_created - in_zone_truth) <= 1 and rep.detections > rep.in_zone
    with unit_of_work(container.db) as s:
        tasks = list(s.execute(select(ChangeTask)).scalars())
        leads = list(s.execute(select(Lead).where(Lead.rule == "new_building_in_control_zone")).scalars())
        assert len(leads) == len(tasks) and all(t.lead_id for t in tasks)
        t = tasks[0]
        assert store.path(t.chip_before).read_bytes().startswith(b"\x89PNG")
        assert 113.0 < t.lon < 114.5 and 34.0 < t.lat < 35.0
        assert t.date_after == "2022-04-20" and t.rule_version.startswith("cz-2011.1+cd-")
    with unit_of_work(container.db) as s:
        again = service.run_detection(s, actor=SYSTEM, path_a=tmp_path / "p_A.tif", path_b=tmp_path / "p_B.tif",
                                      now=clock.now(), store=store)
    assert again.tasks_created == 0 and again.duplicates == rep.tasks_created and again.leads_created == 0


def test_changes_page_and_task_review(container, clock, tmp_path):
    from zhifa.roads import changes, geo

    seed_units(container)
    seed_users(container, [("xz_officer", "officer", "410184")])
    synth.write_pair(tmp_path, synth.PairParams(size=256, seed=4, new_per_km2=200), name="p")
    epsg, roads = changes.load_pair_roads(tmp_path / "p_roads.geojson")
    with unit_of_work(container.db) as s:
        for rid, cls, line, half in roads:
            service.create_road(s, actor=SYSTEM, code="G107", name="国道107线", section=rid, road_class=cls,
                                unit_code="410184", geometry=geo.dump_geojson(geo.to_lonlat(line, epsg)),
                                now=clock.now(), road_land_half_m=half, road_id=f"SYN-{rid}")
        rep = service.run_detection(s, actor=SYSTEM, path_a=tmp_path / "p_A.tif", path_b=tmp_path / "p_B.tif",
                                    now=clock.now(), store=service.store_for(container.settings.data_dir))
    assert rep.tasks_created >= 1
    c = TestClient(create_app(container))
    login(c, "xz_officer")
    page = c.get("/roads/changes")
    assert page.status_code == 200 and "前时相" in page.text
    tid = c.get("/api/roads/tasks").json()["data"][0]["task_id"]
    chip = c.get(c.get("/api/roads/tasks").json()["data"][0]["chip_after"])
    assert chip.status_code == 200 and chip.headers["content-type"] == "image/png"
    h = {"X-CSRF-Token": csrf_from(page.text)}
    r = c.post(f"/api/roads/tasks/{tid}/resolve", json={"confirmed": False, "note": ""}, headers=h)
    assert r.status_code == 422
    r = c.post(f"/api/roads/tasks/{tid}/resolve", json={"confirmed": True, "note": "现场核实，新建厂房"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert c.post(f"/api/roads/tasks/{tid}/resolve", json={"confirmed": True}, headers=h).status_code == 409


def test_refused_pair_does_no_work(container, clock, tmp_path):
    from zhifa.shared.errors import ValidationFailed

    seed_units(container)
    (tmp_path / "a.tif").write_bytes(b"not a tiff")
    (tmp_path / "b.tif").write_bytes(b"not a tiff")
    with pytest.raises(ValidationFailed, match="无法读取"), unit_of_work(container.db) as s:
        service.run_detection(s, actor=SYSTEM, path_a=tmp_path / "a.tif", path_b=tmp_path / "b.tif", now=clock.now(),
                              store=service.store_for(container.settings.data_dir))


def test_ads_campaign_progress_per_city_and_cleared_per_year(app_client, clock):
    c = app_client
    login(c, "xz_officer")
    h = {"X-CSRF-Token": _token(c, "/roads/ads")}
    ids = []
    for i in range(4):
        r = c.post("/api/roads/ads", json={"unit_code": "410184", "owner": f"广告公司{i}", "lon": 113.74, "lat": 34.43 + i / 1000},
                   headers=h)
        assert r.status_code == 201, r.text
        ids.append(r.json()["ad_id"])
    assert c.post(f"/api/roads/ads/{ids[0]}/status", json={"status": "cleared"}, headers=h).status_code == 200
    assert c.post(f"/api/roads/ads/{ids[1]}/status", json={"status": "approved"}, headers=h).status_code == 422
    assert c.post(f"/api/roads/ads/{ids[1]}/status", json={"status": "approved", "permit_ref": "豫路广许〔2022〕3号"},
                  headers=h).status_code == 200
    assert c.post(f"/api/roads/ads/{ids[0]}/status", json={"status": "to_clear"}, headers=h).status_code == 409
    p = c.get("/api/roads/ads/progress").json()
    zz = next(x for x in p["cities"] if x["city_code"] == "410100")
    assert (zz["total"], zz["to_clear"], zz["cleared"], zz["approved"]) == (4, 2, 1, 1)
    assert zz["rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert p["cleared_per_year"] == {"2022": 1}
    page = c.get("/roads/ads")
    assert page.status_code == 200 and "郑州市" in page.text


def test_model_road_round_scores_and_publishes(app_client):
    c = app_client
    login(c, "prov_sup")
    h = {"X-CSRF-Token": _token(c, "/roads/model")}
    rid = c.post("/api/roads/model-rounds", json={"year": 2022}, headers=h).json()["round_id"]
    cands = {}
    for road in ("G107-ZZ", "G4-XC", "S312-LY"):
        cands[road] = c.post(f"/api/roads/model-rounds/{rid}/candidates", json={"road_id": road}, headers=h).json()["candidate_id"]
    assert c.post(f"/api/roads/model-rounds/{rid}/candidates", json={"road_id": "G4-XC"}, headers=h).status_code == 409
    for road, pro, pub in (("G107-ZZ", [92, 90], [85, 87]), ("G4-XC", [80], [70]), ("S312-LY", [95], [96])):
        for x in pro:
            assert c.post(f"/api/roads/model-candidates/{cands[road]}/scores", json={"kind": "professional", "score": x},
                          headers=h).status_code == 201
        for x in pub:
            c.post(f"/api/roads/model-candidates/{cands[road]}/scores", json={"kind": "public", "score": x}, headers=h)
    assert c.post(f"/api/roads/model-candidates/{cands['G4-XC']}/scores", json={"kind": "public", "score": 101},
                  headers=h).status_code == 422
    res = {x["candidate_id"]: x for x in c.post(f"/api/roads/model-rounds/{rid}/publish", headers=h).json()["results"]}
    assert res[cands["S312-LY"]]["rank"] == 1 and res[cands["S312-LY"]]["designated"]
    assert res[cands["G107-ZZ"]]["rank"] == 2 and res[cands["G107-ZZ"]]["total"] == pytest.approx(89.5)  # 91 × 0.7 + 86 × 0.3
    assert not res[cands["G4-XC"]]["designated"]
    assert c.post(f"/api/roads/model-rounds/{rid}/publish", headers=h).status_code == 409
    page = c.get(f"/roads/model?round_id={rid}")
    assert page.status_code == 200 and "示范路" in page.text


def test_pages_render_for_an_officer(app_client):
    c = app_client
    login(c, "xz_officer")
    for path in ("/roads/patrol", "/roads", "/roads/findings", "/roads/changes", "/roads/ads", "/roads/model"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    p = c.get("/roads/patrol").text
    data = json.loads(p.split('id="roads-data">')[1].split("</script>")[0])
    assert [d["road_id"] for d in data] == ["G107-ZZ"]  # only the officer's own sections
    sw = c.get("/roads/patrol-sw.js")
    assert sw.status_code == 200 and "javascript" in sw.headers["content-type"] and "zhifa-patrol" in sw.text
    assert c.get("/roads/patrol.css").headers["content-type"].startswith("text/css")
    nav = c.get("/roads").text
    assert "路政巡查（手持）" in nav and "遥感变化核查" in nav


def test_coverage_by_month_with_dates(container, clock):
    seed_units(container)
    with unit_of_work(container.db) as s:
        service.seed_demo_roads(s, actor=SYSTEM, now=clock.now())
    officer = __import__("zhifa.shared.access", fromlist=["Actor"]).Actor(
        username="o", role="officer", unit_code="410184", unit_codes=frozenset({"410184"}))
    with unit_of_work(container.db) as s:
        for day in (3, 3, 5, 9):
            service.start_patrol(s, actor=officer, client_uuid=str(uuid.uuid4()), road_id="G107-ZZ",
                                 started_at=datetime(2022, 1, day, 9, tzinfo=TZ), now=clock.now())
        rows = {r.road.road_id: r for r in service.coverage(s, actor=officer, year=2022, month=1)}
    assert (rows["G107-ZZ"].patrols, rows["G107-ZZ"].days) == (4, 3)
    assert rows["G107-ZZ"].coverage == pytest.approx(3 / 31)
