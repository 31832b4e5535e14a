"""Versioned supervision parameters. None of these are national law: they are the bureau's own
settings (UNVERIFIED defaults, configurable), kept as data with a version and an effective date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.shared.versions import in_force
from zhifa.supervision.rules import RankingFormula


@dataclass(frozen=True)
class SupervisionParams:
    version: str
    effective_from: date
    order_prefix: str  # 豫交执督
    default_time_limit_working_days: int
    remind_before_working_days: int
    interview_disqualify_after: int  # 约谈 N 次取消评优资格
    source: str
    verified: bool


PARAMS: tuple[SupervisionParams, ...] = (
    SupervisionParams(
        version="sup-2022.1",
        effective_from=date(2022, 1, 1),
        order_prefix="豫交执督",
        default_time_limit_working_days=10,
        remind_before_working_days=2,
        interview_disqualify_after=2,
        source="省厅执法局督办工作规则（平台默认值，UNVERIFIED，可配置）",
        verified=False,
    ),
)

RANKING_FORMULAS: tuple[tuple[date, RankingFormula], ...] = (
    (
        date(2022, 1, 1),
        RankingFormula(
            version="rank-2022.1",
            w_case_completion=0.35,
            w_satisfaction=0.25,
            w_order_on_time=0.25,
            w_complaints=0.15,
            complaints_cap_per_10k=5.0,
            source="季度排名公式（平台默认值，UNVERIFIED，按省厅通报口径可配置）",
        ),
    ),
)


def params_on(day: date) -> SupervisionParams:
    return in_force(PARAMS, day, "supervision parameters")


def formula_on(day: date) -> RankingFormula:
    return in_force(RANKING_FORMULAS, day, "ranking formula", key=lambda t: t[0])[1]
