"""The scorer on a hand-made example."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from zhifa.shared.clock import TZ
from zhifa.sim.score import score


def _t(h: int, m: int = 0) -> datetime:
    return datetime(2022, 3, 1, h, m, tzinfo=TZ)


TRUTH = pl.DataFrame({
    "kind": ["overload", "overload", "overload", "gps_off"],
    "plate": ["豫A12345", "豫B22222", "豫C33333", "豫A12345"],
    "plate_color": ["yellow", "yellow", "yellow", "yellow"],
    "start": [_t(8), _t(10), _t(12), _t(8)],
    "end": [_t(9), _t(11), _t(13), _t(9)],
    "detail": ["{}"] * 4,
})


def test_precision_and_recall_by_identity_and_time():
    leads = pl.DataFrame({
        "rule": ["overload"] * 5 + ["gps_off"],
        # a hit, a second lead on the same violation, a lead in wrong time, a wrong colour, a normalised plate
        "plate": ["豫A12345", "豫A12345", "豫B22222", "豫C33333", "豫c 33333", "豫A12345"],
        "plate_color": ["yellow", "yellow", "yellow", "blue", "yellow", "yellow"],
        "start": [_t(8, 30), _t(8, 50), _t(15), _t(12), _t(12, 10), _t(8)],
        "end": [_t(8, 31), _t(8, 55), _t(16), _t(12, 30), _t(12, 20), _t(9)],
    })
    s = score(TRUTH, leads, "overload", window=timedelta(minutes=30))
    assert (s.tp, s.fn) == (2, 1)  # A and C found, B not
    assert s.fp == 2  # the 15:00 lead on B and the blue C
    assert s.precision == pytest.approx(3 / 5)
    assert s.recall == pytest.approx(2 / 3)


def test_time_tolerance_window():
    leads = pl.DataFrame({"rule": ["overload"], "plate": ["豫B22222"], "plate_color": ["yellow"],
                          "start": [_t(11, 20)], "end": [_t(11, 25)]})
    assert score(TRUTH, leads, "overload", window=timedelta(minutes=30)).tp == 1
    assert score(TRUTH, leads, "overload", window=timedelta(minutes=10)).tp == 0


def test_naive_lead_times_are_shanghai_and_no_leads_scores_zero():
    naive = pl.DataFrame({"rule": ["overload"], "plate": ["豫C33333"], "plate_color": [None],
                          "start": [datetime(2022, 3, 1, 12, 30)], "end": [datetime(2022, 3, 1, 12, 40)]},
                         schema_overrides={"plate_color": pl.String})
    s = score(TRUTH, naive, "overload", window=timedelta(0))
    assert (s.tp, s.fp, s.precision) == (1, 0, 1.0)
    empty = naive.head(0)
    s = score(TRUTH, empty, "overload")
    assert (s.precision, s.recall, s.fn) == (0.0, 0.0, 3)


def test_attribution_counts_only_traced_trucks_with_a_known_true_source():
    from datetime import datetime, timedelta

    import polars as pl

    from zhifa.shared.clock import TZ
    from zhifa.sim.score import score_attribution

    t0 = datetime(2022, 3, 1, 8, tzinfo=TZ)
    truth = pl.DataFrame({
        "kind": ["overload", "overload", "overload", "gps_off"],
        "plate": ["豫A12345", "豫B22222", "豫C33333", "豫A12345"],
        "plate_color": ["yellow"] * 4,
        "start": [t0] * 4, "end": [t0 + timedelta(hours=1)] * 4,
        "detail": ['{"loading_source_id": "EL1"}', '{"loading_source_id": "EL2"}', '{"loading_source_id": ""}', "{}"],
    })
    tasks = pl.DataFrame({
        "plate": ["豫A12345", "豫B22222", "豫C33333", "豫D44444"],
        "plate_color": ["yellow"] * 4,
        "weighed_at": [t0 + timedelta(minutes=10)] * 4,
        "source_enterprise_id": ["EL1", "EL9", "EL3", "EL4"],
    })
    sc = score_attribution(truth, tasks)
    assert (sc.traced, sc.correct, sc.accuracy, sc.unmatched_tasks) == (2, 1, 0.5, 2)
