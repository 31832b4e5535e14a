"""Pure rules of the interception flow: where a listed vehicle can leave, and by when to answer.

rules.md §7 (watch-list interception flow, design): after a hit, predict the next exit stations from
the section topology and dispatch to them. No I/O, no clock: `now` and the network come in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from zhifa.interception import ruledata
from zhifa.interception.model import ExitPrediction, Record


class ExitGraph(Protocol):
    """What prediction needs of `zhifa.org.graph.NetworkGraph`."""

    def downstream_exits(self, site_id: str) -> Iterable[tuple[str, float]]: ...


def typical_speed_kmh(vehicle_class: int | None) -> float:
    if vehicle_class is None:
        return ruledata.DEFAULT_SPEED_KMH
    return ruledata.TYPICAL_SPEED_KMH.get(int(vehicle_class), ruledata.DEFAULT_SPEED_KMH)


def predict_exits(
    graph: ExitGraph,
    record: Record,
    *,
    horizon_m: int = ruledata.HORIZON_M,
    max_exits: int = ruledata.MAX_EXITS,
) -> list[ExitPrediction]:
    """Exit toll stations reachable downstream of the record's site, nearest first, with an ETA.

    An exit record means the vehicle has left: nothing to predict. ETA = event time + distance / the
    typical speed of the vehicle's class.
    """
    if record.kind == "exit":
        return []
    speed_ms = typical_speed_kmh(record.vehicle_class) / 3.6
    out: list[ExitPrediction] = []
    for station_id, dist in sorted(graph.downstream_exits(record.site_id), key=lambda x: x[1]):
        if dist > horizon_m:
            continue
        if station_id == record.site_id and record.kind == "entry":
            continue  # not leaving where it just entered
        eta = record.event_time + timedelta(seconds=dist / speed_ms)
        out.append(ExitPrediction(station_id=station_id, distance_m=int(dist), eta=eta))
        if len(out) >= max_exits:
            break
    return out


def response_deadline(eta: datetime, now: datetime, window_min: int = ruledata.RESPONSE_WINDOW_MIN) -> datetime:
    """The station answers within the window after the later of the ETA and the dispatch time."""
    return max(eta, now) + timedelta(minutes=window_min)


def is_late_answer(answered_at: datetime, deadline: datetime) -> bool:
    return answered_at > deadline
