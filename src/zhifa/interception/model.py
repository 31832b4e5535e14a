"""Watch-list, hits, interception tasks, forwarded leads: enums, transition tables, plain records.

No ORM here. The matcher and the predictor work on these dataclasses only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum


class WatchSource(StrEnum):
    MANUAL = "manual"
    DETECTOR = "detector"
    FORWARDED = "forwarded"
    CREDIT = "credit"


class WatchStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"  # withdrawn by a person; expiry is not a status: validity is checked at match time


class MatchKind(StrEnum):
    EXACT = "exact"
    LOOKALIKE = "lookalike"


class TaskStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"  # an outcome was reported
    WITHDRAWN = "withdrawn"  # the vehicle left elsewhere, or passed this station


class Outcome(StrEnum):
    INTERCEPTED = "intercepted"  # 查获
    NOT_SEEN = "not_seen"  # 未发现
    RELEASED = "released"  # 放行
    FALSE_HIT = "false_hit"  # 误报


OUTCOME_LABELS_ZH = {
    Outcome.INTERCEPTED: "查获",
    Outcome.NOT_SEEN: "未发现",
    Outcome.RELEASED: "放行",
    Outcome.FALSE_HIT: "误报",
}

TASK_STATUS_LABELS_ZH = {TaskStatus.OPEN: "待处置", TaskStatus.ANSWERED: "已反馈", TaskStatus.WITHDRAWN: "已撤回"}

TASK_TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.ANSWERED, TaskStatus.WITHDRAWN}),
    TaskStatus.ANSWERED: frozenset(),
    TaskStatus.WITHDRAWN: frozenset(),
}


class ForwardedStatus(StrEnum):
    RECEIVED = "received"  # 已接收
    ASSIGNED = "assigned"  # 已分派
    HANDLING = "handling"  # 办理中
    CLOSED = "closed"  # 已办结


FORWARDED_LABELS_ZH = {
    ForwardedStatus.RECEIVED: "已接收",
    ForwardedStatus.ASSIGNED: "已分派",
    ForwardedStatus.HANDLING: "办理中",
    ForwardedStatus.CLOSED: "已办结",
}

FORWARDED_TRANSITIONS: dict[ForwardedStatus, frozenset[ForwardedStatus]] = {
    ForwardedStatus.RECEIVED: frozenset({ForwardedStatus.ASSIGNED, ForwardedStatus.CLOSED}),
    ForwardedStatus.ASSIGNED: frozenset({ForwardedStatus.ASSIGNED, ForwardedStatus.HANDLING, ForwardedStatus.CLOSED}),
    ForwardedStatus.HANDLING: frozenset({ForwardedStatus.CLOSED}),
    ForwardedStatus.CLOSED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """What the matcher needs of one watch-list entry."""

    entry_id: str
    plate: str
    plate_color: str
    valid_from: datetime
    valid_to: datetime
    priority: int = 2
    vehicle_class: int | None = None  # from the vehicle registry or the entry, if known
    axle_count: int | None = None
    scope_stations: frozenset[str] | None = None  # only these sites (None: everywhere)
    scope_hours: tuple[time, time] | None = None  # only between these local times (may wrap midnight)
    unit_code: str = "410000"
    active: bool = True


@dataclass(frozen=True, slots=True)
class Record:
    """A gantry pass or a toll-lane entry/exit, reduced to what matching and prediction need."""

    record_id: str
    kind: str  # gantry | entry | exit
    site_id: str
    event_time: datetime
    plate: str
    plate_color: str
    vehicle_class: int | None = None
    axle_count: int | None = None
    direction: int | None = None
    arrived_at: datetime | None = None  # when the platform received it (None: unknown)


@dataclass(frozen=True, slots=True)
class Hit:
    record: Record
    entry: WatchEntry
    kind: MatchKind
    confidence: float
    late: bool = False
    lag_s: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ExitPrediction:
    station_id: str
    distance_m: int
    eta: datetime
