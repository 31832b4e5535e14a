from __future__ import annotations

from datetime import datetime

import ibis
import pytest

from zhifa.detection import samples as S
from zhifa.detection.engines import register_frame
from zhifa.detection.trajectory import TripParams, build_trips, canonical_key_expr, canonical_key_py
from zhifa.shared.clock import TZ


def at(h: int, m: int = 0) -> datetime:
    return datetime(2022, 3, 1, h, m, tzinfo=TZ)


@pytest.fixture
def con():
    c = ibis.duckdb.connect()
    yield c
    c.disconnect()


def trips_of(con, gantry_rows, toll_rows=None, **kw):
    g = register_frame(con, "g", S.arrow("gantry_pass", gantry_rows))
    t = register_frame(con, "t", S.arrow("toll_txn", toll_rows)) if toll_rows else None
    labelled, trips = build_trips(g, t, **kw)
    return labelled.to_pandas().sort_values(["plate", "t"]), trips.to_pandas().sort_values(["plate", "trip_seq"])


def test_a_long_silence_splits_the_day_into_two_trips_and_marks_both_sides(con):
    rows = [S.gantry(f"g{i}", f"G{i}", at(8, 10 * i), "豫A12345") for i in range(4)]
    rows += [S.gantry(f"h{i}", f"G{i}", at(15, 10 * i), "豫A12345") for i in range(3)]
    _, trips = trips_of(con, rows)
    assert list(trips.n_passes) == [4, 3]
    first, second = trips.iloc[0], trips.iloc[1]
    assert (first.gap_after, second.gap_before) == (1, 1)
    assert (first.gap_before, second.gap_after) == (0, 0)


def test_exit_then_entry_splits_trips_without_marking_a_gap(con):
    g = [S.gantry("g1", "G1", at(8, 10), "豫A12345"), S.gantry("g2", "G2", at(9, 0), "豫A12345")]
    t = [
        S.toll("t1", "S1", "entry", at(8, 0), "豫A12345"),
        S.toll("t2", "S2", "exit", at(8, 20), "豫A12345"),
        S.toll("t3", "S2", "entry", at(8, 50), "豫A12345"),
        S.toll("t4", "S1", "exit", at(9, 10), "豫A12345"),
    ]
    _, trips = trips_of(con, g, t)
    assert len(trips) == 2
    assert list(trips.entry_site) == ["S1", "S2"]
    assert list(trips.exit_site) == ["S2", "S1"]
    assert trips.gap_before.sum() == 0 and trips.gap_after.sum() == 0


def test_a_missed_gantry_does_not_split_the_trip(con):
    # G3 was not read: 25 minutes between G2 and G4 is still one trip
    rows = [S.gantry("a", "G1", at(8, 0), "豫A12345"), S.gantry("b", "G2", at(8, 5), "豫A12345"),
            S.gantry("c", "G4", at(8, 30), "豫A12345"), S.gantry("d", "G5", at(8, 35), "豫A12345")]
    _, trips = trips_of(con, rows)
    assert len(trips) == 1
    assert trips.iloc[0].first_site == "G1" and trips.iloc[0].last_site == "G5"


def test_a_misread_plate_inside_the_vehicles_trip_is_folded_into_it(con):
    rows = [S.gantry("a", "G1", at(8, 0), "豫A12345"), S.gantry("b", "G2", at(8, 5), "豫A1234S"),
            S.gantry("c", "G3", at(8, 10), "豫A12345"), S.gantry("d", "G4", at(8, 15), "豫A12345")]
    labelled, trips = trips_of(con, rows)
    assert len(trips) == 1 and trips.iloc[0].n_passes == 4
    misread = labelled[labelled.record_id == "b"].iloc[0]
    assert misread.plate == "豫A12345" and misread.plate_read == "豫A1234S"


def test_a_lookalike_plate_far_from_the_vehicles_trips_is_not_folded(con):
    rows = [S.gantry("a", "G1", at(8, 0), "豫A12345"), S.gantry("c", "G3", at(8, 10), "豫A12345"),
            S.gantry("d", "G4", at(8, 15), "豫A12345"), S.gantry("x", "G9", at(20, 0), "豫A1234S")]
    labelled, trips = trips_of(con, rows)
    assert set(trips.plate) == {"豫A12345", "豫A1234S"}


def test_two_regular_vehicles_with_lookalike_plates_stay_apart(con):
    rows = [S.gantry(f"a{i}", f"G{i}", at(8, 5 * i), "豫A12345") for i in range(3)]
    rows += [S.gantry(f"b{i}", f"G{i}", at(8, 5 * i + 1), "豫A1234S") for i in range(3)]
    _, trips = trips_of(con, rows)
    assert sorted(trips.plate) == ["豫A12345", "豫A1234S"]


def test_reconciliation_can_be_switched_off(con):
    rows = [S.gantry("a", "G1", at(8, 0), "豫A12345"), S.gantry("b", "G2", at(8, 5), "豫A1234S"),
            S.gantry("c", "G3", at(8, 10), "豫A12345"), S.gantry("d", "G4", at(8, 15), "豫A12345")]
    _, trips = trips_of(con, rows, reconcile=False)
    assert len(trips) == 2


def test_the_gap_threshold_is_a_parameter(con):
    rows = [S.gantry("a", "G1", at(8, 0), "豫A12345"), S.gantry("b", "G2", at(8, 40), "豫A12345")]
    _, trips = trips_of(con, rows, params=TripParams(gap_s=30 * 60))
    assert len(trips) == 2


def test_the_ibis_canonical_key_agrees_with_the_shared_helper(con):
    plates = ["豫A1234S", "豫AD8B0Z7", "川A6G5T1", "鲁Q12345"]
    t = register_frame(con, "p", S.arrow("gantry_pass", [S.gantry(str(i), "G", at(8), p) for i, p in enumerate(plates)]))
    got = t.select(p=t.plate, k=canonical_key_expr(t.plate)).to_pandas()
    assert {r.p: r.k for r in got.itertuples()} == {p: canonical_key_py(p) for p in plates}
