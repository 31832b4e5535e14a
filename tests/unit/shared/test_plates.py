import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.shared import plates as P
from zhifa.shared.plates import (
    PLATE_COLORS,
    canonical_key,
    city_of,
    is_valid,
    lookalikes,
    normalise,
    similarity,
    validate,
)

SERIAL = sorted(P.SERIAL_CHARS)
HENAN_OFFICE = sorted(P.OFFICE_LETTERS["豫"])


@st.composite
def henan_plates(draw):
    """Valid Henan plates with their colour: ordinary, small NEV, large NEV."""
    office = draw(st.sampled_from(HENAN_OFFICE))
    kind = draw(st.sampled_from(["ordinary", "nev_small", "nev_large"]))
    digits = st.sampled_from(P.DIGITS)
    if kind == "ordinary":
        serial = "".join(draw(st.lists(st.sampled_from(SERIAL), min_size=5, max_size=5)))
        return "豫" + office + serial, draw(st.sampled_from(["blue", "yellow"]))
    if kind == "nev_small":
        serial = draw(st.sampled_from("DF")) + draw(st.sampled_from(SERIAL))
        serial += "".join(draw(st.lists(digits, min_size=4, max_size=4)))
        return "豫" + office + serial, "green"
    serial = "".join(draw(st.lists(digits, min_size=5, max_size=5))) + draw(st.sampled_from("DF"))
    return "豫" + office + serial, "yellow_green"


def test_normalise_removes_separators_and_widens_nothing_but_case():
    assert normalise(" 豫a·12 345 ") == "豫A12345"
    assert normalise("豫Ａ－１２３４５") == "豫A12345"


def test_normalise_turns_o_and_i_into_digits_only_in_the_serial():
    assert normalise("豫AO12I4") == "豫A01214"
    assert normalise("京OI2345") == "京O12345"  # the office letter is left for validation to judge


def test_normalise_of_nothing_is_empty():
    assert normalise(None) == "" and normalise("") == ""


@given(st.text(max_size=20))
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(max_size=12), st.one_of(st.none(), st.text(max_size=5), st.integers(-3, 20)))
def test_validate_never_raises_on_arbitrary_text(text, color):
    reason = validate(text, color)
    assert reason is None or isinstance(reason, str)


@pytest.mark.parametrize(
    ("plate", "color"),
    [
        ("豫A12345", "blue"),
        ("豫AB1234", "yellow"),
        ("豫A1234挂", "yellow"),
        ("豫A1234学", "yellow"),
        ("豫A1234警", "white"),
        ("粤Z1234港", "black"),
        ("豫AD12345", "green"),
        ("豫A12345D", "yellow_green"),
        ("豫AFA1234", 4),
        ("豫U12345", "0"),
        ("使014578", "black"),
    ],
)
def test_well_formed_plates_of_the_right_colour_are_valid(plate, color):
    assert validate(plate, color) is None


@pytest.mark.parametrize(
    ("plate", "color", "fragment"),
    [
        ("XA12345", None, "简称"),
        ("豫A1234", None, "长度"),
        ("豫I12345", None, "发牌机关"),
        ("豫T12345", None, "发牌机关"),  # 豫T is not issued
        ("豫A12O45", None, "I或O"),
        ("豫AD12345", "blue", "8位号牌"),
        ("豫A12345", "green", "应为8位"),
        ("豫A1234挂", "blue", "黄色"),
        ("豫A1234警", "blue", "白色"),
        ("豫AX12345", "green", "新能源"),
        ("豫A12345", "purple", "颜色"),
    ],
)
def test_malformed_plates_get_a_chinese_reason(plate, color, fragment):
    reason = validate(plate, color)
    assert reason is not None and fragment in reason


def test_extended_nev_letters_are_configurable(monkeypatch):
    assert is_valid("豫AA12345", "green")
    monkeypatch.setattr(P, "NEV_LETTERS", P.NEV_LETTERS_STRICT)
    assert not is_valid("豫AA12345", "green")
    assert is_valid("豫AD12345", "green")


def test_plate_colours_carry_the_national_codes():
    assert PLATE_COLORS["blue"] == 0 and PLATE_COLORS["yellow_green"] == 5
    assert P.color_name(1) == "yellow" and P.color_name("黄绿") == "yellow_green"


@pytest.mark.parametrize(
    ("plate", "unit"),
    [
        ("豫A12345", "410100"),
        ("豫V12345", "410100"),
        ("豫R12345", "411300"),
        ("豫N12345", "411400"),
        ("豫U12345", "419001"),
        ("京A12345", None),
    ],
)
def test_henan_prefixes_map_to_their_city(plate, unit):
    assert city_of(plate) == unit


def test_plates_that_differ_only_by_confusions_share_a_key():
    assert canonical_key("豫A8D5S0") == canonical_key("豫ABQ550")
    assert canonical_key("豫A12345") != canonical_key("豫A12346")


def test_lookalikes_respect_the_format():
    cands = lookalikes("豫A12345", "blue", max_subs=1)
    assert "豫A1234S" in cands and "豫A1Z345" in cands and "豫A72345" in cands
    assert "豫4" not in {c[:2] for c in cands}  # position 2 must stay a letter
    assert all(is_valid(c, "blue") for c in cands)
    # a small NEV plate: position 3 must stay an NEV letter, positions 5-8 digits
    nev = lookalikes("豫AD12345", "green", max_subs=1)
    assert "豫A012345" not in nev and "豫AQ12345" not in nev
    assert all(c[4:].isdigit() for c in nev)


def test_lookalikes_expand_the_issuing_letter_only_within_the_province():
    cands = lookalikes("豫D12345", None, max_subs=1)
    assert "豫Q12345" in cands  # 平顶山 ↔ 驻马店
    assert not any(c[1] == "O" for c in cands)


@settings(max_examples=60, deadline=None)
@given(henan_plates())
def test_every_lookalike_shares_the_canonical_key(plate_color):
    plate, color = plate_color
    assert is_valid(plate, color)
    key = canonical_key(plate)
    for cand in lookalikes(plate, color, max_subs=2):
        assert canonical_key(cand) == key
        assert cand != plate


def test_similarity_prefers_confusions_over_other_differences():
    assert similarity("豫A12345", "豫A12345") == 1.0
    assert similarity("豫A12345", "") == 0.0
    confused = similarity("豫A12345", "豫A1234S")
    other = similarity("豫A12345", "豫A12349")
    assert 0.9 < confused < 1.0 and other < confused
    assert similarity("豫A12345", "豫A1234") < 1.0


def test_canonical_key_is_fast_enough_for_the_matcher():
    import time

    plates = [f"豫A{i:05d}" for i in range(200_000)]
    t0 = time.perf_counter()
    for p in plates:
        canonical_key(p)
    rate = len(plates) / (time.perf_counter() - t0)
    assert rate > 300_000  # generous floor on a shared 2-core box; ≥1M/s measured locally


def test_every_reason_has_an_english_text_and_validate_is_its_chinese():
    from zhifa.shared.plates import explain, validate

    quoted = set("豫使挂警")  # plate characters an English reason quotes
    for plate, color in (("豫A1234", None), ("XA12345", None), ("豫AI2345", None), ("豫A12345", "green"),
                         ("豫AD12345", "blue"), ("豫A1234挂", "blue"), ("豫A1234警", "yellow"), ("使123", None),
                         ("豫A12345", "purple"), ("", None), ("豫AD1234I", "green")):
        zh, en = explain(plate, color)
        assert zh == validate(plate, color)
        assert en and {ch for ch in en if "\u4e00" <= ch <= "\u9fff"} <= quoted, (plate, en)
    assert explain("豫A12345", "blue") is None and validate("豫A12345", "blue") is None
