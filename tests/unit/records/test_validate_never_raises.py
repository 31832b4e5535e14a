"""Property: validation never raises, whatever text the cells hold; every row ends up good or bad."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.records.schemas import RECORD_TABLES
from zhifa.records.validate import Context, validate
from zhifa.shared.clock import TZ

NOW = datetime(2022, 3, 1, 12, 0, tzinfo=TZ)
CTX = Context(now=NOW, sites={"G1": "gantry", "T1": "toll_station", "W1": "wim", "C1": "check_station"})

# plausible fragments mixed with arbitrary text, so that both the parsers and the rules get exercised
FRAGMENTS = st.sampled_from(
    [
        "",
        " ",
        "豫A12345",
        "豫AD12345",
        "blue",
        "yellow",
        "1",
        "16",
        "-3",
        "1e400",
        "NaN",
        "inf",
        "[1,2]",
        "[",
        "2022-03-01T08:00:00+08:00",
        "2022-03-01 25:61:00",
        "9999-12-31",
        "obu",
        "entry",
        "G1",
        "null",
        "\x00",
        "[7000, 9000]",
        "99999999999999999999999",
        "true",
        "是",
        "\ud7ff",
        '"',
        ",",
        "\n",
    ]
)
CELL = st.one_of(st.none(), st.text(max_size=30), FRAGMENTS)


@st.composite
def frames(draw):
    spec = RECORD_TABLES[draw(st.sampled_from(sorted(RECORD_TABLES)))]
    n = draw(st.integers(min_value=0, max_value=6))
    data = {c.name: [draw(CELL) for _ in range(n)] for c in spec.columns}
    return spec, pl.DataFrame(data, schema={c.name: pl.String for c in spec.columns})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_validate_never_raises_and_accounts_for_every_row(case):
    spec, frame = case
    res = validate(frame, spec, CTX)
    assert res.good.height + res.bad.height == frame.height
    assert res.bad["reason"].null_count() == 0
    assert (res.bad["reason"].str.len_chars() > 0).all()
    rows = sorted(res.good["_row_no"].to_list() + res.bad["_row_no"].to_list())
    assert rows == list(range(1, frame.height + 1))
