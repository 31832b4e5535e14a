"""Serious-dishonesty rules: strictly more than 3 in a rolling year, > 10 % of the fleet, 2-year exit."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from zhifa.credit import rules as cr
from zhifa.overload.ruledata import CREDIT_2017_CRITERIA as C
from zhifa.shared.clock import TZ

T = datetime(2021, 11, 1, 10, tzinfo=TZ)


def ev(days: float, ref: str = "", truck: str | None = None) -> cr.Event:
    return cr.Event(T + timedelta(days=days), ref or f"e{days}", truck)


def test_three_violations_in_a_year_are_not_listed_the_fourth_is():
    assert cr.listable(subject_kind=cr.TRUCK, events=[ev(0), ev(10), ev(20)], criteria=C) is None
    crit, trig = cr.listable(subject_kind=cr.TRUCK, events=[ev(0), ev(10), ev(20), ev(300)], criteria=C)
    assert crit == cr.CRITERION_TRUCK and trig.count == 4 and trig.at == T + timedelta(days=300)


def test_the_year_is_rolling_and_crosses_calendar_years():
    # Nov 2021 … Oct 2022: four within 365 days although spread over two calendar years
    assert cr.count_trigger([ev(0), ev(60), ev(200), ev(364)], max_count=3, window_days=365) is not None
    # the first one falls out exactly 365 days later
    assert cr.count_trigger([ev(0), ev(60), ev(200), ev(365)], max_count=3, window_days=365) is None


def test_drivers_use_the_same_threshold():
    hit = cr.listable(subject_kind=cr.DRIVER, events=[ev(i) for i in range(4)], criteria=C)
    assert hit and hit[0] == cr.CRITERION_DRIVER


def test_enterprise_over_ten_percent_of_its_fleet():
    evs = [ev(0, truck="A"), ev(1, truck="A"), ev(2, truck="B")]
    assert cr.listable(subject_kind=cr.ENTERPRISE, events=evs, criteria=C, fleet_size=20) is None  # 10 %: not over
    hit = cr.listable(subject_kind=cr.ENTERPRISE, events=evs + [ev(3, truck="C")], criteria=C, fleet_size=20)
    assert hit and hit[1].count == 3 and hit[1].at == T + timedelta(days=3)
    assert cr.listable(subject_kind=cr.ENTERPRISE, events=evs, criteria=C, fleet_size=0) is None


def test_exit_two_years_after_publication_and_status():
    assert cr.exit_on(date(2022, 3, 1), C) == date(2024, 3, 1)
    assert cr.exit_on(date(2024, 2, 29), C) == date(2026, 2, 28)
    assert cr.status_on(date(2022, 3, 1), None, None) == "pending"
    assert cr.status_on(date(2024, 2, 29), date(2022, 3, 1), date(2024, 3, 1)) == "published"
    assert cr.status_on(date(2024, 3, 1), date(2022, 3, 1), date(2024, 3, 1)) == "exited"
