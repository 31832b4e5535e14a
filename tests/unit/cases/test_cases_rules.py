from datetime import date

import pytest

from zhifa.cases import rules
from zhifa.cases.model import RuleSet
from zhifa.cases.service import _builtin
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.errors import ValidationFailed

CAL = cn_calendar()


def _rs(kind):
    return rules.version_in_force([r for r in _builtin() if r.kind == kind], date(2023, 1, 1))


PROC = rules.procedure_rules(_rs("procedure"))
CATALOGUE = rules.catalogue_items(_rs("catalogue").payload)
EXEMPTIONS = rules.exemption_items(_rs("exemptions").payload)


# ---- versions

def test_version_in_force_picks_latest_effective_on_or_before_the_day():
    a = RuleSet("catalogue", "1", date(2021, 1, 1), "s")
    b = RuleSet("catalogue", "2", date(2022, 6, 1), "s")
    assert rules.version_in_force([a, b], date(2022, 5, 31)).version == "1"
    assert rules.version_in_force([a, b], date(2022, 6, 1)).version == "2"
    with pytest.raises(ValidationFailed):
        rules.version_in_force([a, b], date(2020, 12, 31))


# ---- catalogue and penalties

def test_catalogue_has_the_required_items_with_legal_basis():
    for code in ("OVL-MASS", "OVL-DIM", "OVS-NOPERMIT", "OVS-AGAINST", "PAS-ILLEGAL", "RH-PLATFORM-LIC",
                 "RH-VEHICLE-LIC", "RH-DRIVER-LIC", "RH-PLATFORM-DISPATCH", "GPS-OFF", "ROAD-OCCUPY"):
        item = CATALOGUE[code]
        assert item.law and item.article and item.max_yuan >= item.min_yuan
        for band in item.bands:
            assert item.min_yuan <= band.min_yuan <= band.max_yuan <= item.max_yuan
    assert CATALOGUE["PAS-ILLEGAL"].article == "第六十三条"
    assert (CATALOGUE["GPS-OFF"].min_yuan, CATALOGUE["GPS-OFF"].max_yuan) == (2000, 5000)


@pytest.mark.parametrize("fine", [1999, 5001])
def test_penalty_outside_the_statutory_range_is_refused(fine):
    with pytest.raises(ValidationFailed, match="法定幅度"):
        rules.check_penalty(CATALOGUE["GPS-OFF"], party_kind="person", fine_yuan=fine)


@pytest.mark.parametrize("fine", [2000, 3500, 5000])
def test_penalty_inside_the_range_is_accepted(fine):
    rules.check_penalty(CATALOGUE["GPS-OFF"], party_kind="enterprise", fine_yuan=fine)


def test_penalty_outside_the_chosen_discretion_band_is_refused():
    rules.check_penalty(CATALOGUE["GPS-OFF"], party_kind="person", fine_yuan=2500, band_code="A")
    with pytest.raises(ValidationFailed, match="裁量基准"):
        rules.check_penalty(CATALOGUE["GPS-OFF"], party_kind="person", fine_yuan=4000, band_code="A")


def test_platform_items_are_refused_for_a_person():
    with pytest.raises(ValidationFailed, match="不适用"):
        rules.check_penalty(CATALOGUE["RH-PLATFORM-DISPATCH"], party_kind="person", fine_yuan=6000)


@pytest.mark.parametrize(("excess", "fine"), [(0, 0), (1000, 0), (1001, 500), (1999, 500), (5500, 2500), (100_000, 30000)])
def test_overload_fine_per_tonne_with_cap(excess, fine):
    assert rules.overload_fine_yuan(excess) == fine


def test_overload_fine_round_up_is_a_discretion_choice():
    assert rules.overload_fine_yuan(1500, round_up=True) == 1000


# ---- thresholds

@pytest.mark.parametrize(("kind", "fine", "summary"), [("person", 200, True), ("person", 201, False),
                                                      ("enterprise", 3000, True), ("enterprise", 3001, False)])
def test_summary_procedure_thresholds(kind, fine, summary):
    assert rules.summary_allowed(PROC, party_kind=kind, fine_yuan=fine) is summary


@pytest.mark.parametrize(("kind", "fine", "hearing"), [("person", 4999, False), ("person", 5000, True),
                                                      ("enterprise", 49999, False), ("enterprise", 50000, True)])
def test_henan_hearing_thresholds(kind, fine, hearing):
    assert rules.hearing_right(PROC, party_kind=kind, fine_yuan=fine) is hearing


def test_legal_review_required_cases():
    base = dict(procedure="ordinary", hearing_held=False, complex_case=False, public_interest=False)
    assert not rules.legal_review_required(**base)
    assert rules.legal_review_required(**{**base, "hearing_held": True})
    assert rules.legal_review_required(**{**base, "complex_case": True})
    assert rules.legal_review_required(**{**base, "public_interest": True})
    assert not rules.legal_review_required(**{**base, "procedure": "summary", "complex_case": True})


# ---- deadlines

def test_decision_due_is_90_calendar_days_even_across_national_day():
    assert rules.decision_due(PROC, date(2022, 9, 1)) == date(2022, 11, 30)


def test_defence_window_is_five_working_days_across_national_day_2022():
    assert rules.defence_due(PROC, date(2022, 9, 29), CAL) == date(2022, 10, 11)  # 30 Sep, 8, 9, 10, 11 Oct
    assert rules.defence_due(PROC, date(2022, 9, 30), CAL) == date(2022, 10, 12)


def test_payment_due_15_days_rolls_past_a_holiday():
    assert rules.payment_due(PROC, date(2022, 9, 16), CAL) == date(2022, 10, 8)
    assert rules.payment_due(PROC, date(2022, 3, 1), CAL) == date(2022, 3, 16)


def test_deadline_state_reminder_and_overdue():
    due = date(2022, 10, 12)
    assert rules.deadline_state(due, date(2022, 9, 20), CAL, 3) == "ok"
    assert rules.deadline_state(due, date(2022, 9, 30), CAL, 3) == "ok"  # 5 working days left
    assert rules.deadline_state(due, date(2022, 10, 9), CAL, 3) == "reminder"
    assert rules.deadline_state(due, due, CAL, 3) == "reminder"
    assert rules.deadline_state(due, date(2022, 10, 13), CAL, 3) == "overdue"


@pytest.mark.parametrize(("act", "today", "harm", "expired"), [
    (date(2020, 3, 1), date(2022, 3, 1), False, False),
    (date(2020, 3, 1), date(2022, 3, 2), False, True),
    (date(2020, 3, 1), date(2022, 3, 2), True, False),
    (date(2017, 3, 1), date(2022, 3, 2), True, True),
    (date(2020, 2, 29), date(2022, 2, 28), False, False),
    (date(2020, 2, 29), date(2022, 3, 1), False, True),
])
def test_limitation_period(act, today, harm, expired):
    assert rules.limitation_expired(PROC, act_ended_on=act, discovered_on=today, harm_to_safety=harm) is expired


# ---- surcharge

def test_no_surcharge_on_or_before_the_due_date():
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 3, 16)) == 0
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 3, 1)) == 0


def test_surcharge_is_3_percent_per_day():
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 3, 17)) == 3000
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 3, 26)) == 30000
    assert rules.late_surcharge_fen(fine_yuan=333, due=date(2022, 3, 16), paid_on=date(2022, 3, 17)) == 999


def test_surcharge_is_capped_at_the_fine():
    # 34 days × 3% = 102% → capped at 100%
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 4, 19)) == 100_000
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2023, 3, 16)) == 100_000
    # 33 days = 99%: just below the cap
    assert rules.late_surcharge_fen(fine_yuan=1000, due=date(2022, 3, 16), paid_on=date(2022, 4, 18)) == 99_000


# ---- exemptions

GPS_ITEM = EXEMPTIONS["EX-GPS-ONLINE"]
ALL_TRUE = {c: True for c in GPS_ITEM.conditions}


def test_exemption_applies_when_every_condition_holds():
    check = rules.evaluate_exemption(GPS_ITEM, ALL_TRUE, catalogue_code="GPS-OFFLINE")
    assert check.eligible and not check.failed and not check.missing


@pytest.mark.parametrize("item_code", sorted(EXEMPTIONS))
def test_each_condition_of_each_item_is_necessary(item_code):
    item = EXEMPTIONS[item_code]
    code = item.catalogue_codes[0]
    full = {c: True for c in item.conditions}
    assert rules.evaluate_exemption(item, full, catalogue_code=code).eligible
    for cond in item.conditions:
        failed = rules.evaluate_exemption(item, {**full, cond: False}, catalogue_code=code)
        assert not failed.eligible and failed.failed == (cond,)
        missing = rules.evaluate_exemption(item, {k: v for k, v in full.items() if k != cond}, catalogue_code=code)
        assert not missing.eligible and missing.missing == (cond,)


def test_exemption_does_not_cover_other_violations():
    assert not rules.evaluate_exemption(GPS_ITEM, ALL_TRUE, catalogue_code="GPS-OFF").eligible


def test_reduced_fine_rounds_down():
    assert rules.reduced_fine(1001, 50) == 500


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(fine=st.integers(min_value=0, max_value=1_000_000), late=st.integers(min_value=-30, max_value=400))
def test_surcharge_never_exceeds_the_fine_and_grows_with_delay(fine, late):
    due = date(2022, 3, 16)
    from datetime import timedelta

    s = rules.late_surcharge_fen(fine_yuan=fine, due=due, paid_on=due + timedelta(days=late))
    assert 0 <= s <= fine * 100
    s_next = rules.late_surcharge_fen(fine_yuan=fine, due=due, paid_on=due + timedelta(days=late + 1))
    assert s_next >= s
    if 0 < late <= 33:
        assert s == late * fine * 3
