"""Precision and recall of the detectors against the simulator's ground truth.

A truth row (kind, plate, plate_color, start, end) is found when a lead of the same rule code names the same
vehicle and its time window overlaps the truth window (± `slack`). Precision counts leads that match some
truth row; recall counts truth rows matched by some lead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from zhifa.shared.clock import aware


@dataclass(frozen=True)
class Score:
    rule: str
    truth: int
    leads: int
    true_positive_leads: int
    found_truth: int

    @property
    def precision(self) -> float:
        return self.true_positive_leads / self.leads if self.leads else 1.0

    @property
    def recall(self) -> float:
        return self.found_truth / self.truth if self.truth else 1.0


def _ts(v: Any) -> datetime:
    if isinstance(v, datetime):
        return aware(v)
    return aware(pd.Timestamp(v).to_pydatetime())


def score_rule(truth: pd.DataFrame, leads: Iterable[Any], rule: str, slack: timedelta = timedelta(hours=1)) -> Score:
    t = truth[truth["kind"] == rule]
    by_vehicle: dict[tuple[str, str], list[tuple[int, datetime, datetime]]] = defaultdict(list)
    for i, r in enumerate(t.itertuples(index=False)):
        by_vehicle[(str(r.plate), str(r.plate_color))].append((i, _ts(r.start), _ts(r.end)))
    found: set[int] = set()
    tp = 0
    n = 0
    for lead in leads:
        if lead.rule != rule:
            continue
        n += 1
        ls, le = aware(lead.start), aware(lead.end)
        hits = [i for i, s, e in by_vehicle.get((str(lead.plate), str(lead.plate_color)), [])
                if ls <= e + slack and s - slack <= le]
        if hits:
            tp += 1
            found.update(hits)
    return Score(rule=rule, truth=len(t), leads=n, true_positive_leads=tp, found_truth=len(found))


def score_all(truth: pd.DataFrame, leads: list[Any], rules: Iterable[str]) -> list[Score]:
    return [score_rule(truth, leads, r) for r in rules]
