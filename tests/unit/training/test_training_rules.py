"""Training rules: grading, completion ranking, survey results, versioned requirement."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.training import rules
from zhifa.training.ruledata import rules_on

Q = [{"q": "a", "options": ["x", "y"], "answer": 1}, {"q": "b", "options": ["x", "y", "z"], "answer": 0},
     {"q": "c", "options": ["x", "y"], "answer": 0}, {"q": "d", "options": ["x", "y"], "answer": 1}]


def test_grade_counts_right_answers_and_unanswered_as_wrong():
    assert rules.grade(Q, [1, 0, 0, 1]) == 100.0
    assert rules.grade(Q, [1, 0, None]) == 50.0
    assert rules.grade(Q, []) == 0.0
    with pytest.raises(ValueError):
        rules.grade([], [])


@pytest.mark.parametrize("bad", [
    [{"q": "", "options": ["x", "y"], "answer": 0}],
    [{"q": "a", "options": ["x"], "answer": 0}],
    [{"q": "a", "options": ["x", "y"], "answer": 2}],
])
def test_malformed_questions_are_refused(bad):
    with pytest.raises(ValueError):
        rules.check_questions(bad)


def test_units_rank_by_share_of_officers_meeting_the_requirement():
    officers = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "b3": "B", "c1": "C"}
    hours = {"a1": 60, "a2": 30, "b1": 70, "b2": 65, "b3": 10, "c1": 80}
    out = {r.unit_code: r for r in rules.completion_ranking(officers, hours, 60.0)}
    assert (out["C"].rank, out["B"].rank, out["A"].rank) == (1, 2, 3)
    assert out["B"].completed == 2 and out["B"].rate == pytest.approx(2 / 3)
    assert out["A"].mean_hours == 45.0


def test_equal_rates_and_hours_share_a_rank():
    out = rules.completion_ranking({"a": "A", "b": "B"}, {"a": 60, "b": 60}, 60)
    assert [r.rank for r in out] == [1, 1]


def test_survey_result_counts_satisfied_responses_by_mean():
    r = rules.survey_result([[5, 5, 4], [3, 4, 4], [4, 4, 4]], 4.0)
    assert r.responses == 3 and r.satisfied == 2
    assert r.mean == pytest.approx(round((14 / 3 + 11 / 3 + 4) / 3, 2))
    assert rules.survey_result([], 4.0).satisfaction_rate is None


def test_yearly_requirement_is_versioned():
    r = rules_on(date(2022, 6, 1))
    assert r.required_hours_per_year == 60 and r.version == "tr-2021.1" and not r.verified
    with pytest.raises(LookupError):
        rules_on(date(2019, 1, 1))
