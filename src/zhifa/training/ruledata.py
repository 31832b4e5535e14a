"""Versioned training requirement (学时) and satisfaction threshold, with source and effective date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.shared.versions import in_force


@dataclass(frozen=True)
class TrainingRules:
    version: str
    effective_from: date
    required_hours_per_year: float  # an officer's yearly training hours
    test_pass_mark: float  # default pass mark of an online test, 0–100
    satisfied_min_mean: float  # a survey response counts as satisfied at this mean score (1–5)
    source: str
    verified: bool


RULES: tuple[TrainingRules, ...] = (
    TrainingRules(
        version="tr-2021.1",
        effective_from=date(2021, 1, 1),
        required_hours_per_year=60.0,
        test_pass_mark=60.0,
        satisfied_min_mean=4.0,
        source="执法人员年度培训不少于60学时（交通运输行政执法人员培训有关规定；平台默认值，UNVERIFIED，可配置）",
        verified=False,
    ),
)


def rules_on(day: date) -> TrainingRules:
    return in_force(RULES, day, "training rules")
