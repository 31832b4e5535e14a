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


class FailureLimiter(Protocol):
    """Counts failures (wrong passwords) per key; blocked once `limit` fall within the window."""

    def blocked(self, *keys: str, now: float | None = None) -> bool: ...
    def failed(self, *keys: str, now: float | None = None) -> None: ...
    def succeeded(self, *keys: str) -> None: ...


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


class FailureWindow:
    """At most `limit` failed attempts per key in `window_s`, in this process; bounded memory (LRU over keys)."""

    def __init__(self, limit: int = 5, window_s: float = 300.0, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._fails: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def failed(self, *keys: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            for k in keys:
                q = self._recent(k, now)
                q.append(now)
                self._fails[k] = q
                self._fails.move_to_end(k)
            while len(self._fails) > self.max_keys:
                self._fails.popitem(last=False)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)


class RedisFailureWindow:
    """`FailureWindow` in Redis, so that every server process counts the same wrong passwords (a sorted
    set of failure times per key under `zhifa:fail:<name>:<key>`); in the process while Redis is down."""

    RETRY_AFTER_S = RedisSlidingWindowLimiter.RETRY_AFTER_S

    def __init__(self, client: Any, name: str, limit: int, window_s: float) -> None:
        self.client, self.name, self.limit, self.window_s = client, name, limit, window_s
        self._fallback = FailureWindow(limit, window_s)
        self._seq = itertools.count()
        self._tag = f"{os.getpid()}:{id(self):x}"
        self._down_until = 0.0

    @classmethod
    def connect(cls, url: str, name: str, limit: int, window_s: float) -> RedisFailureWindow:
        lim = RedisSlidingWindowLimiter.connect(url, name, limit, window_s)
        return cls(lim.client, name, limit, window_s)

    def _key(self, key: str) -> str:
        return f"zhifa:fail:{self.name}:{key}"

    def _redis(self) -> bool:
        return time.monotonic() >= self._down_until

    def _down(self, e: Exception) -> None:
        self._down_until = time.monotonic() + self.RETRY_AFTER_S
        log.warning("login limit %s: Redis unavailable (%s), counting in this process", self.name, e)

    def blocked(self, *keys: str, now: float | None = None) -> bool:
        import redis

        now = time.time() if now is None else now
        if self._redis():
            try:
                pipe = self.client.pipeline(transaction=False)
                for k in keys:
                    pipe.zcount(self._key(k), now - self.window_s, "+inf")
                return any(int(n) >= self.limit for n in pipe.execute())
            except redis.RedisError as e:
                self._down(e)
        return self._fallback.blocked(*keys, now=now)

    def failed(self, *keys: str, now: float | None = None) -> None:
        import redis

        now = time.time() if now is None else now
        if self._redis():
            try:
                pipe = self.client.pipeline(transaction=True)
                for k in keys:
                    # strictly older than the window, as FailureWindow forgets them
                    pipe.zremrangebyscore(self._key(k), "-inf", f"({now - self.window_s!r}")
                    pipe.zadd(self._key(k), {f"{now!r}:{self._tag}:{next(self._seq)}": now})
                    pipe.expire(self._key(k), int(self.window_s) + 1)
                pipe.execute()
                return
            except redis.RedisError as e:
                self._down(e)
        self._fallback.failed(*keys, now=now)

    def succeeded(self, *keys: str) -> None:
        import redis

        self._fallback.succeeded(*keys)
        if self._redis():
            try:
                self.client.delete(*(self._key(k) for k in keys))
            except redis.RedisError as e:
                self._down(e)
