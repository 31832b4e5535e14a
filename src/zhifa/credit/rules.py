"""Serious-dishonesty listing (严重违法失信) for overloading: pure rules, no I/O, no clock.

Source: 交通运输部办公厅 2017 notice on serious-dishonesty overloading (rules.md §3, situations 1–3)
and 《公路安全保护条例》 Art. 66: a truck or driver with more than 3 violations in one rolling year
(the window may cross calendar years), a transport enterprise whose violating trucks exceed 10 % of its
fleet in one year. Leaves the public list 2 years after publication (the record is kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from zhifa.overload.ruledata import CreditCriteria

TRUCK = "truck"
DRIVER = "driver"
ENTERPRISE = "enterprise"

CRITERION_TRUCK = "truck_over_3_in_year"
CRITERION_DRIVER = "driver_over_3_in_year"
CRITERION_ENTERPRISE = "enterprise_over_10pct_fleet"

CRITERION_LABELS_ZH = {
    CRITERION_TRUCK: "货车一年内违法超限运输超过3次",
    CRITERION_DRIVER: "驾驶人一年内违法超限运输超过3次",
    CRITERION_ENTERPRISE: "运输企业一年内违法超限运输货车超过本单位货车总数10%",
}


@dataclass(frozen=True)
class Event:
    at: datetime
    ref: str  # the lead (or case) behind it
    truck: str | None = None  # for enterprise counting: the truck's identity


@dataclass(frozen=True)
class Trigger:
    at: datetime  # the violation that crossed the threshold: the entry date
    count: int
    refs: tuple[str, ...]


def count_trigger(events: Iterable[Event], *, max_count: int, window_days: int) -> Trigger | None:
    """The first violation at which more than `max_count` fall in the rolling window (t − window, t]."""
    evs = sorted(events, key=lambda e: (e.at, e.ref))
    window = timedelta(days=window_days)
    lo = 0
    for hi, e in enumerate(evs):
        while evs[lo].at <= e.at - window:
            lo += 1
        n = hi - lo + 1
        if n > max_count:
            return Trigger(e.at, n, tuple(x.ref for x in evs[lo : hi + 1]))
    return None


def fleet_trigger(events: Iterable[Event], *, fleet_size: int, share_pct: int, window_days: int) -> Trigger | None:
    """The first violation at which the distinct violating trucks in the window exceed `share_pct` % of the fleet."""
    if fleet_size <= 0:
        return None
    evs = sorted(events, key=lambda e: (e.at, e.ref))
    window = timedelta(days=window_days)
    for hi, e in enumerate(evs):
        inside = [x for x in evs[: hi + 1] if x.at > e.at - window]
        trucks = {x.truck for x in inside if x.truck}
        if len(trucks) * 100 > fleet_size * share_pct:
            return Trigger(e.at, len(trucks), tuple(x.ref for x in inside))
    return None


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def exit_on(published_on: date, criteria: CreditCriteria) -> date:
    """Leaves the public list `listing_years` after publication."""
    return add_years(published_on, criteria.listing_years)


def status_on(today: date, published_on: date | None, exit_date: date | None) -> str:
    if published_on is None:
        return "pending"
    if exit_date is not None and today >= exit_date:
        return "exited"
    return "published"


def listable(
    *, subject_kind: str, events: Sequence[Event], criteria: CreditCriteria, fleet_size: int | None = None
) -> tuple[str, Trigger] | None:
    if subject_kind == TRUCK:
        t = count_trigger(events, max_count=criteria.truck_max_violations, window_days=criteria.window_days)
        return (CRITERION_TRUCK, t) if t else None
    if subject_kind == DRIVER:
        t = count_trigger(events, max_count=criteria.driver_max_violations, window_days=criteria.window_days)
        return (CRITERION_DRIVER, t) if t else None
    if subject_kind == ENTERPRISE:
        t = fleet_trigger(events, fleet_size=fleet_size or 0, share_pct=criteria.enterprise_fleet_share_pct,
                          window_days=criteria.window_days)
        return (CRITERION_ENTERPRISE, t) if t else None
    raise ValueError(subject_kind)
