from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from zhifa.interception import ruledata
from zhifa.interception.model import Record
from zhifa.interception.rules import is_late_answer, predict_exits, response_deadline, typical_speed_kmh
from zhifa.interception.stream import FileReplay, MemoryStream
from zhifa.shared.clock import TZ

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)


class Star:
    def __init__(self, exits):
        self.exits = exits

    def downstream_exits(self, site_id):
        return self.exits


def rec(kind="gantry", site="G1", vc=None):
    return Record(record_id="r", kind=kind, site_id=site, event_time=T0, plate="豫A12345", plate_color="blue",
                  vehicle_class=vc)


def test_eta_from_distance_and_class_speed():
    g = Star([("S2", 40_000), ("S1", 10_000)])
    car = predict_exits(g, rec(vc=1))
    truck = predict_exits(g, rec(vc=16))
    assert [p.station_id for p in car] == ["S1", "S2"]  # nearest first
    assert car[0].eta == T0 + timedelta(seconds=10_000 / (100 / 3.6))
    assert truck[0].eta > car[0].eta
    assert typical_speed_kmh(None) == ruledata.DEFAULT_SPEED_KMH


def test_exit_record_predicts_nothing_and_entry_skips_its_own_station():
    g = Star([("S1", 0), ("S2", 5_000)])
    assert predict_exits(g, rec(kind="exit", site="S1")) == []
    assert [p.station_id for p in predict_exits(g, rec(kind="entry", site="S1"))] == ["S2"]


def test_horizon_and_max_exits():
    g = Star([(f"S{i}", i * 30_000) for i in range(1, 10)])
    got = predict_exits(g, rec(), horizon_m=100_000, max_exits=2)
    assert [p.station_id for p in got] == ["S1", "S2"]
    assert [p.station_id for p in predict_exits(g, rec(), horizon_m=100_000)] == ["S1", "S2", "S3"]


def test_deadline_and_late_answer():
    eta = T0 + timedelta(minutes=10)
    d = response_deadline(eta, T0, window_min=30)
    assert d == T0 + timedelta(minutes=40)
    assert response_deadline(T0 - timedelta(hours=1), T0, window_min=30) == T0 + timedelta(minutes=30)
    assert not is_late_answer(d, d) and is_late_answer(d + timedelta(seconds=1), d)


def test_memory_stream_redelivers_unacked():
    s = MemoryStream(batch_size=2)
    s.publish([{"record_id": str(i)} for i in range(5)])
    first = s.read(count=2)
    s.ack([first[0].id])
    assert s.redeliver() == 1
    again = s.read(count=10)
    assert [m.id for m in again] == [first[1].id, "3"]
    s.publish_raw("{nope")
    bad = s.read()
    assert bad[0].error and "无法解析" in bad[0].error


def test_file_replay_orders_by_event_time_and_paces(tmp_path):
    import polars as pl

    rows = [{"record_id": f"r{i}", "gantry_id": "G1", "pass_time": (T0 + timedelta(seconds=10 - i)).isoformat(),
             "plate": "豫A12345", "plate_color": "blue"} for i in range(11)]
    pl.DataFrame(rows).write_csv(tmp_path / "gantry.csv")
    pl.DataFrame({"record_id": ["w"], "site_id": ["W1"]}).write_csv(tmp_path / "wim.csv")  # not a stream table
    fast = FileReplay(tmp_path, speed=0, batch_size=4)
    msgs = fast.read(count=100)
    ids = [r["record_id"] for m in msgs for r in m.rows]
    assert ids == [f"r{i}" for i in range(10, -1, -1)] and fast.exhausted
    paced = FileReplay(tmp_path, speed=10)  # 10 s of event time in about 1 s
    start = time.monotonic()
    n = 0
    while not paced.exhausted:
        n += sum(len(m.rows) for m in paced.read(count=100, block_ms=50))
    assert n == 11
    assert time.monotonic() - start >= 0.9


@pytest.mark.parametrize("vc", [1, 12, 25, 99])
def test_every_class_has_a_positive_speed(vc):
    assert typical_speed_kmh(vc) > 0
