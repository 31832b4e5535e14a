"""Pure parts of the statistics layer: periods, YoY, NO_DATA, figure definitions, SVG bars."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.reports import figures as F
from zhifa.reports.figures import NO_DATA, Period
from zhifa.reports.report import fmt, svg_bars
from zhifa.shared.errors import ValidationFailed


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2022", date(2022, 1, 1), date(2023, 1, 1), "2022年"),
        ("2022Q1", date(2022, 1, 1), date(2022, 4, 1), "2022年第一季度"),
        ("2022q4", date(2022, 10, 1), date(2023, 1, 1), "2022年第四季度"),
        ("2022-03", date(2022, 3, 1), date(2022, 4, 1), "2022年3月"),
        ("2022M12", date(2022, 12, 1), date(2023, 1, 1), "2022年12月"),
    ],
)
def test_periods_parse_to_half_open_ranges(text, start, end, label):
    p = Period.parse(text)
    assert (p.start, p.end, p.label) == (start, end, label)
    assert Period.parse(p.code) == p
    prev = p.previous_year()
    assert (prev.start.year, prev.start.month, prev.end.month) == (start.year - 1, start.month, end.month)


@pytest.mark.parametrize("bad", ["", "22", "2022Q5", "2022-13", "1999", "abc", "2022-00"])
def test_bad_periods_are_refused_in_chinese(bad):
    with pytest.raises(ValidationFailed):
        Period.parse(bad)


def test_no_data_is_a_falsy_singleton_distinct_from_zero():
    assert not NO_DATA and NO_DATA is not 0 and NO_DATA != 0  # noqa: F632
    assert str(NO_DATA) == "无数据" and fmt(NO_DATA) == "无数据" and fmt(0) == "0" and fmt(12.25) == "12.2"
    assert F.yoy(120, 100) == 20.0 and F.yoy(75, 100) == -25.0
    assert F.yoy(NO_DATA, 3) is NO_DATA and F.yoy(3, NO_DATA) is NO_DATA and F.yoy(3, 0) is NO_DATA


def test_every_figure_is_documented_and_names_its_section_and_columns():
    assert len(F.FIGURES) >= 40
    for f in F.FIGURES.values():
        assert f.label and f.unit and f.section.startswith("一（") and f.table, f.id
        assert f.date_col in f.columns_needed() and f.unit_col in f.columns_needed()
    rates = [f for f in F.FIGURES.values() if f.is_rate]
    assert {f.unit for f in rates} == {"%"}


def test_svg_bars_scale_to_the_largest_value_and_say_no_data_when_empty():
    svg = svg_bars("查获（台次）", ["郑州市", "洛阳市"], [10, 5])
    assert svg.count("<rect") == 2 and "郑州市" in svg
    widths = [float(x.split('"')[0]) for x in svg.split('width="')[2:]]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert "无数据" in svg_bars("空", [], [])
