"""Pure rules of training and surveys: grading, hours, completion rankings, satisfaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def grade(questions: Sequence[Mapping[str, Any]], answers: Sequence[int | None]) -> float:
    """Score 0–100: the share of questions answered with the right option (unanswered = wrong)."""
    if not questions:
        raise ValueError("a test needs questions")
    right = sum(1 for i, q in enumerate(questions) if i < len(answers) and answers[i] == int(q["answer"]))
    return round(100.0 * right / len(questions), 1)


class QuestionError(ValueError):
    """A malformed test question: the Chinese message, and `en` its English text."""

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


def check_questions(questions: Sequence[Mapping[str, Any]]) -> None:
    for i, q in enumerate(questions, start=1):
        opts = q.get("options") or []
        if not str(q.get("q", "")).strip():
            raise QuestionError(f"第 {i} 题缺少题干", en=f"Question {i} has no text")
        if len(opts) < 2:
            raise QuestionError(f"第 {i} 题至少需要两个选项", en=f"Question {i} needs at least two options")
        a = q.get("answer")
        if not isinstance(a, int) or not 0 <= a < len(opts):
            raise QuestionError(f"第 {i} 题的正确答案不在选项范围内", en=f"The correct answer of question {i} is not one of its options")


@dataclass(frozen=True)
class UnitCompletion:
    unit_code: str
    officers: int
    completed: int
    mean_hours: float
    rank: int | None

    @property
    def rate(self) -> float | None:
        return None if self.officers == 0 else self.completed / self.officers


def completion_ranking(officer_unit: Mapping[str, str], hours: Mapping[str, float],
                       required: float) -> list[UnitCompletion]:
    """Units ranked by the share of their officers who reached the yearly requirement (ties share a rank;
    then mean hours). `officer_unit`: officer → unit; `hours`: officer → hours in the year."""
    by_unit: dict[str, list[float]] = {}
    for officer, unit in officer_unit.items():
        by_unit.setdefault(unit, []).append(float(hours.get(officer, 0.0)))
    rows = [
        (u, len(h), sum(1 for x in h if x >= required), round(sum(h) / len(h), 1) if h else 0.0)
        for u, h in by_unit.items()
    ]
    rows.sort(key=lambda r: (-(r[2] / r[1] if r[1] else 0), -r[3], r[0]))
    out: list[UnitCompletion] = []
    prev: tuple[float, float] | None = None
    rank = 0
    for i, (u, n, done, mean) in enumerate(rows, start=1):
        key = (done / n if n else 0.0, mean)
        if key != prev:
            rank = i
            prev = key
        out.append(UnitCompletion(u, n, done, mean, rank))
    return out


@dataclass(frozen=True)
class SurveyResult:
    responses: int
    mean: float | None  # mean of the per-response mean scores, 1–5
    satisfied: int

    @property
    def satisfaction_rate(self) -> float | None:
        return None if self.responses == 0 else self.satisfied / self.responses


def survey_result(responses: Sequence[Sequence[int]], satisfied_min_mean: float) -> SurveyResult:
    means = [sum(r) / len(r) for r in responses if r]
    if not means:
        return SurveyResult(0, None, 0)
    return SurveyResult(len(means), round(sum(means) / len(means), 2), sum(1 for m in means if m >= satisfied_min_mean))
