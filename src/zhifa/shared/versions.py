"""Versioned legal data: the version in force on a day is the latest whose effective date has come."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")


def _effective_from(item: Any) -> date:
    return item.effective_from  # type: ignore[no-any-return]


def in_force(versions: Iterable[T], day: date, what: str, key: Callable[[T], date] = _effective_from) -> T:
    """The version of `what` in force on `day`; LookupError when none had taken effect yet."""
    eligible = [v for v in versions if key(v) <= day]
    if not eligible:
        raise LookupError(f"no {what} in force on {day}")
    return max(eligible, key=key)
