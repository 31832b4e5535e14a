"""The vectorised plate fast path accepts only what the reference `zhifa.shared.plates` accepts."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.records.validate import plate_fast_path
from zhifa.shared import plates

CHARS = "豫京鲁苏使ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789挂学警港澳 "
PLATE = st.one_of(
    st.text(alphabet=CHARS, min_size=0, max_size=9),
    st.builds(
        lambda p, o, s: p + o + s,
        st.sampled_from("豫京鲁"),
        st.sampled_from("ABDFIOVWZ"),
        st.text(alphabet="0123456789DFABCEGHJKIO", min_size=5, max_size=6),
    ),
)
COLOR = st.sampled_from([*plates.PLATE_COLORS, "0", "purple", "蓝"])


def fast(pairs):
    frame = pl.DataFrame(pairs, schema={"plate": pl.String, "plate_color": pl.String}, orient="row")
    return frame.select(plate_fast_path().alias("f"))["f"].to_list()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PLATE, COLOR), min_size=1, max_size=40))
def test_fast_path_is_a_subset_of_the_reference_validation(pairs):
    for (plate, color), ok in zip(pairs, fast(pairs), strict=True):
        if ok:
            assert plates.normalise(plate) == plate
            assert plates.validate(plate, color) is None, (plate, color)


def test_fast_path_takes_the_common_plates():
    pairs = [
        ("豫A12345", "blue"),
        ("豫HB7721", "yellow"),
        ("豫AD12345", "green"),
        ("豫A12345D", "yellow_green"),
    ]
    assert fast(pairs) == [True, True, True, True]


def test_fast_path_leaves_the_rest_to_the_reference():
    pairs = [
        ("豫A1234挂", "yellow"),
        ("豫a12345", "blue"),
        ("豫A12345", "1"),
        ("豫AD12345", "blue"),
        ("豫I12345", "blue"),
    ]
    assert fast(pairs) == [False] * 5
