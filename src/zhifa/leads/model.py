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


@dataclass(slots=True)
class LeadDraft:
    """A finding before it is stored. `dedup_key` makes the same event one lead across runs and days.

    Detectors draft tens of thousands per day, so this is a plain slots dataclass: a frozen one costs
    six times as much to construct (docs/benchmarks.md, overload drafting). Drafts are not changed
    after they are built."""

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


LEAD_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("待研判", "To review"),
    "confirmed": ("已确认", "Confirmed"),
    "rejected": ("已驳回", "Rejected"),
}

# Every rule code a lead can carry (the simulator's truth kinds and the extra ones), in Chinese and English.
RULE_LABELS: dict[str, tuple[str, str]] = {
    "overload": ("超限运输", "Overload"),
    "overload_100t": ("百吨王", "Truck of 100 t or more"),
    "overload_dimension": ("外廓尺寸超限", "Dimensions over the limit"),
    "overload_unidentified": ("超限（号牌未识别）", "Overload, plate unread"),
    "illegal_passenger": ("非法营运（黑客车/黑网约车）", "Illegal passenger operation"),
    "gathering_point": ("黑组客点", "Illegal gathering point"),
    "gps_off": ("关闭动态监控", "GPS monitoring switched off"),
    "oversize_off_route": ("大件运输偏离路线", "Oversize transport off its route"),
    "oversize_beyond_route": ("办短跑长", "Oversize transport beyond its route"),
    "oversize_off_window": ("超出许可时间通行", "Oversize transport outside its time window"),
    "oversize_exceeds_permit": ("车证不符/大车小证", "Vehicle exceeds its permit"),
    "oversize_no_permit": ("无证大件运输", "Oversize transport without a permit"),
    "new_building_in_control_zone": ("建筑控制区新增建筑", "New building in the control zone"),
    "watchlisted": ("布控车辆", "Watch-listed vehicle"),
}


def rule_label(rule: str, lang: str = "zh") -> str:
    zh, en = RULE_LABELS.get(rule, (rule, rule))
    return en if lang == "en" else zh
