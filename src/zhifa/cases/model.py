"""Cases (案件): statuses, the explicit transition table, and the versioned rule objects.

Administrative Penalty Law (2021 revision): ordinary procedure 立案 → 调查取证 → 告知 (Art. 44–45,
statement and defence; hearing Art. 63–64) → 法制审核 where Art. 58 requires it → 决定 (Art. 57)
→ 送达 (Art. 61) → 执行 (Art. 66–72) → 结案 → 归档. Summary procedure (Art. 51, transport procedure
rules Art. 60–61): the decision is made on the spot, straight from 立案.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class CaseStatus(StrEnum):
    REGISTERED = "registered"  # 立案
    INVESTIGATING = "investigating"  # 调查取证
    NOTIFIED = "notified"  # 告知 (陈述申辩 / 听证)
    LEGAL_REVIEW = "legal_review"  # 法制审核
    DECIDED = "decided"  # 决定
    SERVED = "served"  # 送达
    ENFORCING = "enforcing"  # 执行
    NOT_PENALISED = "not_penalised"  # 不予处罚 / 免罚
    CLOSED = "closed"  # 结案
    ARCHIVED = "archived"  # 归档


STATUS_LABELS_ZH: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "立案",
    CaseStatus.INVESTIGATING: "调查取证",
    CaseStatus.NOTIFIED: "告知",
    CaseStatus.LEGAL_REVIEW: "法制审核",
    CaseStatus.DECIDED: "决定",
    CaseStatus.SERVED: "送达",
    CaseStatus.ENFORCING: "执行",
    CaseStatus.NOT_PENALISED: "不予处罚",
    CaseStatus.CLOSED: "结案",
    CaseStatus.ARCHIVED: "归档",
}

STATUS_LABELS_EN: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "Opened",
    CaseStatus.INVESTIGATING: "Investigation",
    CaseStatus.NOTIFIED: "Notified",
    CaseStatus.LEGAL_REVIEW: "Legal review",
    CaseStatus.DECIDED: "Decided",
    CaseStatus.SERVED: "Served",
    CaseStatus.ENFORCING: "Enforcement",
    CaseStatus.NOT_PENALISED: "No penalty",
    CaseStatus.CLOSED: "Closed",
    CaseStatus.ARCHIVED: "Archived",
}


class Procedure(StrEnum):
    SUMMARY = "summary"  # 简易程序
    ORDINARY = "ordinary"  # 普通程序


class PartyKind(StrEnum):
    PERSON = "person"  # 自然人
    ENTERPRISE = "enterprise"  # 法人或其他组织


PARTY_KIND_ZH = {PartyKind.PERSON: "自然人", PartyKind.ENTERPRISE: "法人或其他组织"}

S = CaseStatus
P = Procedure
BOTH = frozenset({P.SUMMARY, P.ORDINARY})
ORD = frozenset({P.ORDINARY})
SUM = frozenset({P.SUMMARY})

# (from, to) → the procedures in which the step is allowed. Anything not listed is illegal.
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], frozenset[Procedure]] = {
    (S.REGISTERED, S.INVESTIGATING): ORD,
    (S.REGISTERED, S.DECIDED): SUM,  # on-the-spot decision (Art. 51)
    (S.REGISTERED, S.NOT_PENALISED): BOTH,
    (S.INVESTIGATING, S.NOTIFIED): ORD,
    (S.INVESTIGATING, S.NOT_PENALISED): ORD,
    (S.NOTIFIED, S.LEGAL_REVIEW): ORD,
    (S.NOTIFIED, S.DECIDED): ORD,  # only when no legal review is required (Art. 58)
    (S.NOTIFIED, S.NOT_PENALISED): ORD,  # the defence is accepted
    (S.NOTIFIED, S.INVESTIGATING): ORD,  # new facts from the defence: investigate again
    (S.LEGAL_REVIEW, S.DECIDED): ORD,
    (S.LEGAL_REVIEW, S.INVESTIGATING): ORD,  # returned for further investigation
    (S.LEGAL_REVIEW, S.NOT_PENALISED): ORD,
    (S.DECIDED, S.SERVED): BOTH,
    (S.SERVED, S.ENFORCING): BOTH,
    (S.ENFORCING, S.CLOSED): BOTH,
    (S.NOT_PENALISED, S.CLOSED): BOTH,
    (S.CLOSED, S.ARCHIVED): BOTH,
}

TRANSITION_LABELS_ZH: dict[CaseStatus, str] = {
    S.INVESTIGATING: "开始调查取证",
    S.NOTIFIED: "送达告知书",
    S.LEGAL_REVIEW: "提交法制审核",
    S.DECIDED: "作出处罚决定",
    S.SERVED: "送达决定书",
    S.ENFORCING: "进入执行",
    S.NOT_PENALISED: "不予处罚",
    S.CLOSED: "结案",
    S.ARCHIVED: "归档",
}

# the column that stamps entry into each state
STATE_TIMESTAMP: dict[CaseStatus, str] = {s: f"{s.value}_at" for s in CaseStatus}

FINAL_STATUSES = frozenset({S.ARCHIVED})


def allowed_targets(current: CaseStatus, procedure: Procedure) -> list[CaseStatus]:
    return [to for (frm, to), procs in TRANSITIONS.items() if frm is current and procedure in procs]


def is_allowed(current: CaseStatus, target: CaseStatus, procedure: Procedure) -> bool:
    return procedure in TRANSITIONS.get((current, target), frozenset())


# ---------------------------------------------------------------- versioned rule objects


@dataclass(frozen=True)
class DiscretionBand:
    """One band of the discretion standard (裁量基准) of an item: a circumstance and its range."""

    code: str
    label: str
    min_yuan: int
    max_yuan: int


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    title: str
    category: str
    law: str
    article: str
    party_kinds: tuple[str, ...]
    min_yuan: int
    max_yuan: int
    bands: tuple[DiscretionBand, ...]
    source: str
    verified: bool
    rule: str = ""

    @property
    def legal_basis(self) -> str:
        return f"{self.law}{self.article}"

    def band(self, code: str | None) -> DiscretionBand | None:
        return next((b for b in self.bands if b.code == code), None)


@dataclass(frozen=True)
class ExemptionItem:
    code: str
    title: str
    effect: str  # no_penalty | reduced
    catalogue_codes: tuple[str, ...]
    legal_basis: str
    conditions: tuple[str, ...]
    verified: bool
    reduction_percent: int = 0


@dataclass(frozen=True)
class ProcedureRules:
    """The legal numbers of the procedure (thresholds, periods) valid from `effective_from`."""

    version: str
    effective_from: date
    summary_max_yuan: dict[str, int]
    hearing_min_yuan: dict[str, int]
    decision_days: int
    defence_working_days: int
    payment_days: int
    surcharge_percent_per_day: int
    limitation_years: int
    limitation_years_harm: int
    reminder_working_days: dict[str, int]
    source: str = ""


@dataclass(frozen=True)
class RuleSet:
    """One version of a list (catalogue or exemption list): what a case stores as `*_version`."""

    kind: str
    version: str
    effective_from: date
    source: str
    payload: dict[str, Any] = field(default_factory=dict)
