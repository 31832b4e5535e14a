"""Composition root: builds settings, the database, the clock; nothing else wires these up."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from zhifa.config import Settings
from zhifa.db.registry import load_all_models
from zhifa.db.session import Database
from zhifa.shared.clock import Clock, ShiftedClock, SystemClock
from zhifa.shared.ratelimit import (
    FailureLimiter,
    FailureWindow,
    RateLimiter,
    RedisFailureWindow,
    RedisSlidingWindowLimiter,
    SlidingWindowLimiter,
)


@dataclass
class Container:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)

    limiters: dict[str, Any] = field(default_factory=dict)
    _limiters_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def limiter(self, name: str, limit: int, window_s: float) -> RateLimiter:
        """The rate limiter `name` of this process (made once): in Redis when `rate_limit_backend=redis`,
        so that every server process counts against the same window; else in the process."""
        with self._limiters_lock:  # requests run in threads: one limiter per name, not one per first caller
            lim = self.limiters.get(name)
            if lim is None:
                if self.settings.rate_limit_backend == "redis":
                    lim = RedisSlidingWindowLimiter.connect(self.settings.redis_url, name, limit, window_s)
                else:
                    lim = SlidingWindowLimiter(limit, window_s)
                self.limiters[name] = lim
            return lim

    def failure_window(self, name: str, limit: int, window_s: float) -> FailureLimiter:
        """The failure counter `name` (wrong passwords) of this process, made once; in Redis when
        `rate_limit_backend=redis`."""
        key = f"failures:{name}"
        with self._limiters_lock:
            lim = self.limiters.get(key)
            if lim is None:
                if self.settings.rate_limit_backend == "redis":
                    lim = RedisFailureWindow.connect(self.settings.redis_url, name, limit, window_s)
                else:
                    lim = FailureWindow(limit, window_s)
                self.limiters[key] = lim
            return lim

    @cached_property
    def db(self) -> Database:
        load_all_models()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return Database.from_url(self.settings.sqlalchemy_url)


def build(settings: Settings | None = None, clock: Clock | None = None) -> Container:
    settings = settings or Settings()
    settings.check_production()
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # the SQLite file, the lake and documents live here
    if clock is None:
        clock = ShiftedClock(settings.clock_start) if settings.clock_start else SystemClock()
    return Container(settings=settings, clock=clock)


def create_schema(container: Container) -> None:
    """Create all tables directly (tests); real databases use `zhifa db upgrade` (alembic)."""
    from zhifa.db.base import Base

    Base.metadata.create_all(container.db.engine)
