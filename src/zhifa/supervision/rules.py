"""Pure rules of supervision: order numbers, transitions, reminders, interview consequences, rankings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from zhifa.shared.errors import IllegalTransition
from zhifa.supervision.model import TRANSITIONS, OrderAction, OrderStatus


def order_number(prefix: str, year: int, seq: int) -> str:
    """The one numbering scheme, e.g. 豫交执督〔2022〕0001号."""
    return f"{prefix}〔{year}〕{seq:04d}号"


def next_status(current: OrderStatus, action: OrderAction) -> OrderStatus:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(f"工单状态为「{current.value}」时不能执行「{action.value}」", en=f"A work order that is “{current.value}” does not allow “{action.value}”") from None


@dataclass(frozen=True)
class DeadlineState:
    remind: bool
    overdue: bool


def deadline_state(due: date, today: date, *, working_days_left: int, remind_before: int) -> DeadlineState:
    """Remind when at most `remind_before` working days are left; overdue once the due day has passed."""
    overdue = today > due
    return DeadlineState(remind=not overdue and working_days_left <= remind_before, overdue=overdue)


def disqualified_from_awards(interviews_this_year: int, threshold: int) -> bool:
    """约谈: after `threshold` interviews in a year a unit is out of that year's awards (configurable N)."""
    return interviews_this_year >= threshold


@dataclass(frozen=True)
class UnitFigures:
    unit_code: str
    cases_opened: int
    cases_closed: int
    callbacks: int
    satisfied: int
    orders_due: int
    orders_on_time: int
    complaints: int
    vehicles: int  # registered vehicles, for complaints per 10k vehicles


@dataclass(frozen=True)
class RankingFormula:
    """Published weights; the score is a weighted sum of rates in [0, 1] (higher is better)."""

    version: str
    w_case_completion: float
    w_satisfaction: float
    w_order_on_time: float
    w_complaints: float  # applied to (1 - complaints per 10k vehicles / cap)
    complaints_cap_per_10k: float
    source: str


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def score_unit(f: UnitFigures, formula: RankingFormula) -> dict[str, float | None]:
    """Every number behind a rank: the rates, and the score (None where no data)."""
    completion = _rate(f.cases_closed, f.cases_opened)
    satisfaction = _rate(f.satisfied, f.callbacks)
    on_time = _rate(f.orders_on_time, f.orders_due)
    per10k = None if f.vehicles == 0 else f.complaints / f.vehicles * 10_000
    complaint_score = None if per10k is None else max(0.0, 1 - per10k / formula.complaints_cap_per_10k)
    parts = [
        (formula.w_case_completion, completion),
        (formula.w_satisfaction, satisfaction),
        (formula.w_order_on_time, on_time),
        (formula.w_complaints, complaint_score),
    ]
    weight = sum(w for w, v in parts if v is not None)
    score = None if weight == 0 else sum(w * v for w, v in parts if v is not None) / weight * 100
    return {
        "case_completion_rate": completion,
        "satisfaction_rate": satisfaction,
        "order_on_time_rate": on_time,
        "complaints_per_10k_vehicles": per10k,
        "score": score,
    }


def rank(scores: Mapping[str, float | None]) -> list[tuple[int, str, float | None]]:
    """Standard competition ranking (1, 2, 2, 4); units without a score come last, unranked (rank 0)."""
    scored = sorted(((s, u) for u, s in scores.items() if s is not None), key=lambda t: (-t[0], t[1]))
    out: list[tuple[int, str, float | None]] = []
    prev: float | None = None
    pos = 0
    for i, (s, u) in enumerate(scored, start=1):
        if s != prev:
            pos = i
            prev = s
        out.append((pos, u, s))
    out.extend((0, u, None) for u, s in sorted(scores.items()) if s is None)
    return out


def rectification_rate(findings: Sequence[bool]) -> float | None:
    """Share of inspection findings rectified; None when there were none."""
    return None if not findings else sum(findings) / len(findings)
