"""Leads: what every detector produces and an analyst or officer reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class LeadStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


# review moves a lead out of `open` once; a rejected lead is kept with its reason
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.OPEN: frozenset({LeadStatus.CONFIRMED, LeadStatus.REJECTED}),
    LeadStatus.CONFIRMED: frozenset(),
    LeadStatus.REJECTED: frozenset(),
}


@dataclass(frozen=True)
class LeadDraft:
    """A finding before it is stored. `dedup_key` makes the same event one lead across runs and days."""

    rule: str
    plate: str | None
    plate_color: str | None
    start: datetime
    end: datetime
    unit_code: str
    explanation: str
    dedup_key: str
    score: float = 1.0
    site_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    rule_version: str | None = None
