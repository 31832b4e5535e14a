"""Working-day calendar: public holidays and adjusted working days (调休) as versioned data.

Sources: the State Council General Office notices on the holiday arrangements
(国务院办公厅关于2021年部分节假日安排的通知 国办发明电〔2020〕27号; 2022: 国办发明电〔2021〕11号;
2023: 国办发明电〔2022〕16号). Entered from those notices; marked unverified until checked against the
official gazette (see domain/rules.md, "Legal numbers are versioned data").

Rules that count days take a `WorkingCalendar` as an argument; nothing here reads the clock.
Administrative Penalty Law (2021) Art. 85: its "two, three, five, seven days" are working days,
excluding public holidays; other periods are calendar days. When the last day of a period falls on a
rest day the period ends on the next working day (交通运输行政执法程序规定, 期间的计算).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


def _span(start: str, end: str) -> list[date]:
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def _days(*isos: str) -> list[date]:
    return [date.fromisoformat(s) for s in isos]


@dataclass(frozen=True)
class HolidayYear:
    year: int
    holidays: frozenset[date]
    adjusted_working_days: frozenset[date]  # weekend days that are working days (调休上班)
    source: str
    verified: bool = False


CN_HOLIDAYS: Mapping[int, HolidayYear] = {
    2021: HolidayYear(
        2021,
        frozenset(
            _span("2021-01-01", "2021-01-03")
            + _span("2021-02-11", "2021-02-17")
            + _span("2021-04-03", "2021-04-05")
            + _span("2021-05-01", "2021-05-05")
            + _span("2021-06-12", "2021-06-14")
            + _span("2021-09-19", "2021-09-21")
            + _span("2021-10-01", "2021-10-07")
        ),
        frozenset(_days("2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09")),
        "国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）",
    ),
    2022: HolidayYear(
        2022,
        frozenset(
            _span("2022-01-01", "2022-01-03")
            + _span("2022-01-31", "2022-02-06")
            + _span("2022-04-03", "2022-04-05")
            + _span("2022-04-30", "2022-05-04")
            + _span("2022-06-03", "2022-06-05")
            + _span("2022-09-10", "2022-09-12")
            + _span("2022-10-01", "2022-10-07")
            + _span("2022-12-31", "2022-12-31")
        ),
        frozenset(_days("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09")),
        "国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）",
    ),
    2023: HolidayYear(
        2023,
        frozenset(
            _span("2023-01-01", "2023-01-02")
            + _span("2023-01-21", "2023-01-27")
            + _span("2023-04-05", "2023-04-05")
            + _span("2023-04-29", "2023-05-03")
            + _span("2023-06-22", "2023-06-24")
            + _span("2023-09-29", "2023-10-06")
        ),
        frozenset(_days("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08")),
        "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）",
    ),
}

CALENDAR_VERSION = "cn-2021-2023.1"


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days. Years without data fall back to Monday–Friday (and say so)."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    adjusted_working_days: frozenset[date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)
    version: str = CALENDAR_VERSION

    @classmethod
    def from_years(cls, years: Iterable[HolidayYear], version: str = CALENDAR_VERSION) -> WorkingCalendar:
        hs: set[date] = set()
        ws: set[date] = set()
        ys: set[int] = set()
        for y in years:
            hs |= y.holidays
            ws |= y.adjusted_working_days
            ys.add(y.year)
        return cls(frozenset(hs), frozenset(ws), frozenset(ys), version)

    def covers(self, d: date) -> bool:
        return d.year in self.years

    def is_holiday(self, d: date) -> bool:
        return d in self.holidays

    def is_working_day(self, d: date) -> bool:
        if d in self.adjusted_working_days:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """`d` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        d = start
        left = n
        while left > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        return d

    def add_calendar_days(self, start: date, n: int, *, roll_forward: bool = True) -> date:
        """`start` + n days; with roll_forward a period ending on a rest day ends on the next working day."""
        end = start + timedelta(days=n)
        return self.next_working_day(end) if roll_forward else end

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        if b <= a:
            return 0
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=i)))


def cn_calendar() -> WorkingCalendar:
    """The mainland-China calendar with every year that has data."""
    return WorkingCalendar.from_years(CN_HOLIDAYS.values())
