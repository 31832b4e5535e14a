"""A bounded sliding-window rate limiter for public endpoints (per address), clock passed in."""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from threading import Lock


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
