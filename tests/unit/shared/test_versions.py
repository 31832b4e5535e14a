from dataclasses import dataclass
from datetime import date

import pytest

from zhifa.shared.versions import in_force


@dataclass(frozen=True)
class V:
    version: str
    effective_from: date


VERSIONS = (V("a", date(2021, 1, 1)), V("b", date(2022, 7, 1)))


def test_the_latest_version_that_has_taken_effect_is_in_force():
    assert in_force(VERSIONS, date(2022, 6, 30), "x").version == "a"
    assert in_force(VERSIONS, date(2022, 7, 1), "x").version == "b"


def test_before_the_first_version_nothing_is_in_force():
    with pytest.raises(LookupError, match="no x in force"):
        in_force(VERSIONS, date(2020, 12, 31), "x")


def test_a_key_selects_the_date_of_plain_tuples():
    assert in_force([(date(2021, 1, 1), "f1"), (date(2023, 1, 1), "f2")], date(2022, 1, 1), "f", key=lambda t: t[0])[1] == "f1"
