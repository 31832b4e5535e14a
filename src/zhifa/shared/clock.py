"""Clocks: the only place that reads the wall clock. Rules take `now` as an argument."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(TZ)


@dataclass
class ShiftedClock:
    """The wall clock moved to start at `start` (a demo set in the simulated days); it keeps running."""

    start: datetime
    _offset: timedelta | None = None

    def now(self) -> datetime:
        real = datetime.now(TZ)
        if self._offset is None:
            self._offset = aware(self.start) - real
        return real + self._offset


@dataclass
class FixedClock:
    """A clock for tests and replays; `advance` moves it forward."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **kw: float) -> None:
        self.current = self.current + timedelta(**kw)


def aware(dt: datetime) -> datetime:
    """Naive datetimes are read as Asia/Shanghai (schemas.md conventions)."""
    return dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt


def today(clock: Clock) -> date:
    return clock.now().astimezone(TZ).date()
