"""Score the live matcher against the simulator's truth (kind `watchlisted`, one row per vehicle and day).

- recall: share of truth rows (a listed vehicle travelling that day) with at least one hit on that
  (plate, colour) inside [start, end] (± tolerance);
- false-hit rate: share of hits (distinct records) that fall in no truth row of their listed vehicle;
- exit prediction: share of exit hits whose station already had a task from an earlier hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.interception.orm import InterceptTask, WatchHit
from zhifa.shared.clock import aware


@dataclass(frozen=True)
class InterceptScore:
    truth: int
    found: int
    hits: int
    false_hits: int
    exits: int
    exits_predicted: int

    @property
    def recall(self) -> float | None:
        return self.found / self.truth if self.truth else None

    @property
    def false_hit_rate(self) -> float | None:
        return self.false_hits / self.hits if self.hits else None

    @property
    def exit_prediction_rate(self) -> float | None:
        return self.exits_predicted / self.exits if self.exits else None

    def as_dict(self) -> dict[str, Any]:
        r = lambda v: None if v is None else round(v, 4)  # noqa: E731
        return {"truth": self.truth, "found": self.found, "recall": r(self.recall), "hits": self.hits,
                "false_hits": self.false_hits, "false_hit_rate": r(self.false_hit_rate), "exits": self.exits,
                "exits_predicted": self.exits_predicted, "exit_prediction_rate": r(self.exit_prediction_rate)}


def _dt(v: Any) -> datetime:
    return aware(v if isinstance(v, datetime) else datetime.fromisoformat(str(v)))


def score_intercept(session: Session, truth: pl.DataFrame, *, tolerance: timedelta = timedelta(minutes=2)) -> InterceptScore:
    rows = truth.filter(pl.col("kind") == "watchlisted").iter_rows(named=True)
    windows: dict[tuple[str, str], list[tuple[datetime, datetime]]] = {}
    for t in rows:
        windows.setdefault((t["plate"], t["plate_color"]), []).append((_dt(t["start"]) - tolerance, _dt(t["end"]) + tolerance))
    hits = list(session.execute(select(WatchHit.hit_id, WatchHit.record_id, WatchHit.plate, WatchHit.plate_color,
                                       WatchHit.event_time, WatchHit.record_kind, WatchHit.site_id,
                                       WatchHit.entry_id)).tuples())
    found: set[tuple[str, str, int]] = set()
    true_records: set[str] = set()
    records: set[str] = set()
    for _hid, rid, plate, color, t, _kind, _site, _eid in hits:
        records.add(rid)
        ok = False
        for i, (a, b) in enumerate(windows.get((plate, color), [])):
            if a <= t <= b:
                found.add((plate, color, i))
                ok = True
        if ok:
            true_records.add(rid)
    tasks = list(session.execute(select(InterceptTask.entry_id, InterceptTask.station_id, InterceptTask.hit_id)).tuples())
    by_station: dict[tuple[str, str], set[str]] = {}
    for eid, sid, hid in tasks:
        by_station.setdefault((eid, sid), set()).add(hid)
    exits = [(hid, eid, site) for hid, _r, _p, _c, _t, kind, site, eid in hits if kind == "exit"]
    predicted = sum(1 for hid, eid, site in exits if by_station.get((eid, site), set()) - {hid})
    n_truth = sum(len(v) for v in windows.values())
    return InterceptScore(truth=n_truth, found=len(found), hits=len(records),
                          false_hits=len(records - true_records), exits=len(exits),
                          exits_predicted=predicted)
