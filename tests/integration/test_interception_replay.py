"""`zhifa watch import` + `zhifa intercept replay` + `figures` + `score` through the CLI on a tiny world."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import polars as pl
import pytest
from typer.testing import CliRunner

from zhifa.bootstrap import build, create_schema
from zhifa.cli.main import app
from zhifa.config import Settings
from zhifa.db.session import unit_of_work
from zhifa.interception.orm import InterceptTask, WatchHit
from zhifa.org.orm import RoadSegment, Site, Team, Unit
from zhifa.shared.clock import TZ

T0 = datetime(2022, 3, 1, 8, 0, tzinfo=TZ)


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ZHIFA_DATABASE_URL", "")
    c = build(Settings())
    create_schema(c)
    with unit_of_work(c.db) as s:
        s.add_all([Unit(unit_code="410000", name="河南省", level="province"),
                   Unit(unit_code="410100", name="郑州市", level="city", parent_code="410000", city_code="410100")])
        s.flush()
        s.add(Team(team_id="T1", unit_code="410100", name="郑州支队", kind="detachment"))
        chain = ["TS1", "G0001410010010", "TS2", "G0001410010020", "TS3"]
        for i, sid in enumerate(chain):
            s.add(Site(site_id=sid, kind="toll_station" if sid.startswith("TS") else "gantry", name=sid,
                       unit_code="410100", road="G1", lon=113 + i / 10, lat=34.7, direction=1))
        s.flush()
        for a, b in zip(chain, chain[1:], strict=False):
            s.add(RoadSegment(segment_id=f"{a}>{b}", road="G1", from_site=a, to_site=b, length_m=12_000))
    d = tmp_path / "sim"
    (d / "registries").mkdir(parents=True)
    (d / "records").mkdir()
    pl.DataFrame({"entry_id": ["BK1", "BK2"], "plate": ["豫A80251", "豫B12345"], "plate_color": ["yellow", "blue"],
                  "reason": ["超限", "套牌"], "source": ["detector", "manual"], "issued_by_unit": ["410100"] * 2,
                  "priority": ["1", "2"], "valid_from": ["2022-02-20T00:00:00+08:00"] * 2,
                  "valid_to": ["2022-03-31T00:00:00+08:00", "2022-02-25T00:00:00+08:00"],
                  "status": ["active", "expired"]}).write_csv(d / "registries" / "watchlist.csv")
    g = [
        ("P1", "G0001410010010", T0 + timedelta(minutes=10), "豫AB0251"),  # misread, listed vehicle
        ("P2", "G0001410010020", T0 + timedelta(minutes=20), "豫A80251"),
        ("P3", "G0001410010010", T0 + timedelta(minutes=11), "豫B12345"),  # expired entry: no hit
        ("P4", "G0001410010010", T0 + timedelta(minutes=12), "豫C99999"),
    ]
    pl.DataFrame({"record_id": [x[0] for x in g], "gantry_id": [x[1] for x in g], "pass_time": [x[2] for x in g],
                  "plate": [x[3] for x in g], "plate_color": ["yellow", "yellow", "blue", "blue"],
                  "vehicle_class": [15] * 4, "axle_count": [5] * 4, "direction": [1] * 4,
                  "media": ["obu"] * 4}).write_parquet(d / "records" / "gantry_pass.parquet")
    pl.DataFrame({"record_id": ["X1", "X2"], "station_id": ["TS1", "TS3"], "lane": ["E1", "X1"],
                  "event": ["entry", "exit"], "event_time": [T0, T0 + timedelta(minutes=30)],
                  "plate": ["豫A80251", "豫A80251"], "plate_color": ["yellow", "yellow"], "vehicle_class": [15, 15],
                  "axle_count": [5, 5]}).write_parquet(d / "records" / "toll_txn.parquet")
    pl.DataFrame({"kind": ["watchlisted"], "plate": ["豫A80251"], "plate_color": ["yellow"],
                  "start": [T0.isoformat()], "end": [(T0 + timedelta(minutes=30)).isoformat()],
                  "detail": ["{}"]}).write_csv(d / "truth.csv")
    return c, d


def test_import_replay_figures_score(world):
    c, d = world
    run = CliRunner().invoke
    r = run(app, ["watch", "import", str(d / "registries" / "watchlist.csv")])
    assert r.exit_code == 0, r.output
    assert "已导入 2 条" in r.output
    r = run(app, ["intercept", "replay", "--records", str(d / "records"), "--speed", "0"])
    assert r.exit_code == 0, r.output
    with unit_of_work(c.db) as s:
        hits = {h.record_id: h.match_kind for h in s.query(WatchHit)}
        tasks = {t.station_id: t.status for t in s.query(InterceptTask)}
    assert hits == {"X1": "exact", "P1": "lookalike", "P2": "exact", "X2": "exact"}
    # entry at TS1 → TS2, TS3; passing the second gantry withdraws TS2; the exit at TS3 keeps TS3 open
    assert tasks == {"TS2": "withdrawn", "TS3": "open"}
    r = run(app, ["intercept", "figures", "--by", "station", "--json", "--days", "36500"])
    assert r.exit_code == 0, r.output
    by = {x["key"]: x for x in json.loads(r.output)}
    assert by["TS3"]["tasks"] == 1 and by["TS3"]["answered"] == 0
    r = run(app, ["intercept", "score", "--truth", str(d / "truth.csv"), "--json"])
    sc = json.loads(r.output)
    assert sc["recall"] == 1.0 and sc["false_hit_rate"] == 0.0 and sc["exit_prediction_rate"] == 1.0


def test_import_with_a_bad_row_imports_nothing(world):
    c, d = world
    bad = d / "bad.csv"
    bad.write_text("plate,plate_color,reason,valid_from,valid_to\n豫A80251,yellow,超限,2022-03-01,2022-03-31T00:00:00\n"
                   "豫A1,blue,x,2022-03-01,2022-03-31\n",
                   encoding="utf-8")
    r = CliRunner().invoke(app, ["watch", "import", str(bad)])
    assert r.exit_code == 1 and "第 2 行" in r.output and "未导入任何记录" in r.output
    r = CliRunner().invoke(app, ["watch", "import", str(bad), "--partial"])
    assert r.exit_code == 0 and "已导入 1 条" in r.output
