from datetime import date
from itertools import product

import pytest

from zhifa.shared.errors import IllegalTransition
from zhifa.supervision import rules
from zhifa.supervision.model import TRANSITIONS, OrderAction, OrderStatus
from zhifa.supervision.ruledata import formula_on


def test_order_numbers_follow_the_bureau_scheme():
    assert rules.order_number("豫交执督", 2022, 1) == "豫交执督〔2022〕0001号"
    assert rules.order_number("豫交执督", 2022, 1234) == "豫交执督〔2022〕1234号"


@pytest.mark.parametrize(("state", "action"), list(product(OrderStatus, OrderAction)))
def test_every_transition_is_either_in_the_table_or_refused(state, action):
    if (state, action) in TRANSITIONS:
        assert rules.next_status(state, action) is TRANSITIONS[(state, action)]
    else:
        with pytest.raises(IllegalTransition):
            rules.next_status(state, action)


def test_a_dissatisfied_callback_reopens_the_order():
    assert rules.next_status(OrderStatus.COMPLETED, OrderAction.CALLBACK_DISSATISFIED) is OrderStatus.ACCEPTED


def test_a_closed_order_accepts_nothing():
    for action in OrderAction:
        with pytest.raises(IllegalTransition):
            rules.next_status(OrderStatus.CLOSED, action)


def test_reminder_window_and_overdue():
    due = date(2022, 3, 10)
    assert rules.deadline_state(due, date(2022, 3, 1), working_days_left=7, remind_before=2) == rules.DeadlineState(False, False)
    assert rules.deadline_state(due, date(2022, 3, 8), working_days_left=2, remind_before=2) == rules.DeadlineState(True, False)
    assert rules.deadline_state(due, date(2022, 3, 10), working_days_left=0, remind_before=2).overdue is False
    assert rules.deadline_state(due, date(2022, 3, 11), working_days_left=0, remind_before=2).overdue is True


def test_interviews_disqualify_a_unit_at_the_threshold():
    assert not rules.disqualified_from_awards(1, 2)
    assert rules.disqualified_from_awards(2, 2)


def test_ranking_ties_share_a_rank_and_units_without_data_come_last_unranked():
    ranked = rules.rank({"410100": 90.0, "410200": 95.0, "410300": 90.0, "410400": None})
    assert ranked == [(1, "410200", 95.0), (2, "410100", 90.0), (2, "410300", 90.0), (0, "410400", None)]


def test_unit_score_uses_only_the_rates_that_have_data():
    f = formula_on(date(2022, 6, 1))
    full = rules.UnitFigures("410100", cases_opened=10, cases_closed=10, callbacks=4, satisfied=4,
                             orders_due=5, orders_on_time=5, complaints=0, vehicles=10_000)
    assert rules.score_unit(full, f)["score"] == pytest.approx(100.0)
    half = rules.UnitFigures("410100", cases_opened=10, cases_closed=5, callbacks=0, satisfied=0,
                             orders_due=0, orders_on_time=0, complaints=0, vehicles=0)
    s = rules.score_unit(half, f)
    assert s["satisfaction_rate"] is None and s["score"] == pytest.approx(50.0)


def test_rectification_rate():
    assert rules.rectification_rate([]) is None
    assert rules.rectification_rate([True, False, True, True]) == 0.75
