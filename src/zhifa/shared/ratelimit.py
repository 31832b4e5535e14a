"""Sliding-window rate limits for public endpoints (per address), clock passed in.

`SlidingWindowLimiter` counts in the process; with several server processes each counts alone, so the
effective limit is the per-process limit times the processes. `RedisSlidingWindowLimiter` counts in
Redis for all processes (settings `rate_limit_backend=redis`); if Redis cannot be reached it falls back
to its own in-process window rather than turning the public away (and logs that it did).
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Protocol

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    def allow(self, key: str, now_s: float) -> bool: ...


@dataclass
class SlidingWindowLimiter:
    """At most `limit` events per `window_s` seconds per key; remembers at most `max_keys` keys
    (the least recently seen are forgotten first), so memory stays bounded under a flood of addresses."""

    limit: int
    window_s: float
    max_keys: int = 10_000
    _hits: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict)
    _lock: Lock = field(default_factory=Lock)

    def allow(self, key: str, now_s: float) -> bool:
        with self._lock:
            q = self._hits.get(key)
            if q is None:
                q = deque()
                self._hits[key] = q
                while len(self._hits) > self.max_keys:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            while q and q[0] <= now_s - self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now_s)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


# drop what left the window, count, add this event if under the limit; one script, so atomic
_ALLOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(ARGV[2] * 1000))
return 1
"""


class RedisSlidingWindowLimiter:
    """The same window as `SlidingWindowLimiter`, shared by every process through Redis (a sorted set of
    event times per key under `zhifa:rl:<name>:<key>`, expiring with the window)."""

    RETRY_AFTER_S = 30.0  # after a failure, count in the process this long before trying Redis again

    def __init__(self, client: Any, name: str, limit: int, window_s: float) -> None:
        self.client, self.name, self.limit, self.window_s = client, name, limit, window_s
        self._script = client.register_script(_ALLOW)
        self._fallback = SlidingWindowLimiter(limit, window_s)
        self._seq = itertools.count()
        self._tag = f"{os.getpid()}:{id(self):x}"
        self._down_until = 0.0

    @classmethod
    def connect(cls, url: str, name: str, limit: int, window_s: float) -> RedisSlidingWindowLimiter:
        """A client that gives up fast (a public request must not wait on a dead Redis)."""
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))
        return cls(client, name, limit, window_s)

    def allow(self, key: str, now_s: float) -> bool:
        import redis

        mono = time.monotonic()
        if mono < self._down_until:
            return self._fallback.allow(key, now_s)
        member = f"{now_s!r}:{self._tag}:{next(self._seq)}"  # unique: two events in one instant both count
        try:
            return bool(self._script(keys=[f"zhifa:rl:{self.name}:{key}"], args=[now_s, self.window_s, self.limit, member]))
        except redis.RedisError as e:
            self._down_until = mono + self.RETRY_AFTER_S
            log.warning("rate limit %s: Redis unavailable (%s), counting in this process for %.0f s",
                        self.name, e, self.RETRY_AFTER_S)
            return self._fallback.allow(key, now_s)

    def reset(self) -> None:
        import redis

        self._fallback.reset()
        try:
            for k in self.client.scan_iter(match=f"zhifa:rl:{self.name}:*"):
                self.client.delete(k)
        except redis.RedisError:
            pass
