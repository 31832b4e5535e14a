from datetime import date

import pytest

from zhifa.shared.calendar import CN_HOLIDAYS, WorkingCalendar, cn_calendar

CAL = cn_calendar()


def test_national_day_2022_is_not_working_but_the_makeup_weekend_is():
    for d in range(1, 8):
        assert not CAL.is_working_day(date(2022, 10, d))
    assert CAL.is_working_day(date(2022, 10, 8))  # Saturday, 调休上班
    assert CAL.is_working_day(date(2022, 10, 9))  # Sunday, 调休上班


def test_five_working_days_from_the_last_working_day_before_national_day_2022():
    # Fri 30 Sep → holidays 1–7 Oct → working 8, 9 (weekend makeup), 10, 11, 12
    assert CAL.add_working_days(date(2022, 9, 30), 5) == date(2022, 10, 12)


def test_working_days_skip_spring_festival_2023_and_count_its_makeup_days():
    # Fri 20 Jan 2023; holidays 21–27; Sat 28 and Sun 29 are working days
    assert CAL.add_working_days(date(2023, 1, 20), 1) == date(2023, 1, 28)
    assert CAL.add_working_days(date(2023, 1, 20), 3) == date(2023, 1, 30)


def test_plain_weekend_is_skipped_without_holidays():
    assert CAL.add_working_days(date(2022, 3, 4), 1) == date(2022, 3, 7)  # Fri → Mon


def test_calendar_period_ending_in_a_holiday_rolls_to_next_working_day():
    # 15 days after 16 Sep 2022 is 1 Oct (National Day) → first working day 8 Oct
    assert CAL.add_calendar_days(date(2022, 9, 16), 15) == date(2022, 10, 8)
    assert CAL.add_calendar_days(date(2022, 9, 16), 15, roll_forward=False) == date(2022, 10, 1)


def test_calendar_period_ending_on_a_working_day_is_not_moved():
    assert CAL.add_calendar_days(date(2022, 3, 1), 15) == date(2022, 3, 16)


def test_working_days_between_excludes_start_and_counts_end():
    assert CAL.working_days_between(date(2022, 9, 30), date(2022, 10, 12)) == 5
    assert CAL.working_days_between(date(2022, 10, 12), date(2022, 9, 30)) == 0


def test_years_without_data_fall_back_to_weekdays():
    cal = WorkingCalendar.from_years([CN_HOLIDAYS[2022]])
    assert not cal.covers(date(2023, 1, 23))
    assert cal.is_working_day(date(2023, 1, 23))  # a 2023 holiday unknown to this calendar
    assert not CAL.is_working_day(date(2023, 1, 23))


def test_every_adjusted_working_day_is_a_weekend_day_and_no_day_is_both():
    for y in CN_HOLIDAYS.values():
        assert all(d.weekday() >= 5 for d in y.adjusted_working_days)
        assert not (y.holidays & y.adjusted_working_days)


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2022, 1, 1), -1)
