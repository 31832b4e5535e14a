"""Order 62 Art. 3 determination and Art. 43 penalty: sentences and every boundary."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from zhifa.overload import rules as r
from zhifa.overload.ruledata import RULESETS, ruleset_for, with_overrides

RS = ruleset_for(date(2022, 3, 1))
NO_TOL = r.TolerancePolicy(device_class=5.0, deduct=False)

# independent table: written out by hand from rules.md §1.1 (not derived from ruledata)
TABLE = {
    (2, "rigid"): 18000,
    (3, "rigid"): 25000,
    (3, "tractor_semitrailer"): 27000,
    (3, "full_trailer"): 27000,
    (4, "rigid"): 31000,
    (4, "tractor_semitrailer"): 36000,
    (4, "full_trailer"): 36000,
    (5, "tractor_semitrailer"): 43000,
    (5, "full_trailer"): 43000,
}
for _n in (6, 7, 8):
    TABLE[(_n, "tractor_semitrailer")] = 49000
    TABLE[(_n, "full_trailer")] = 49000


def expected_limit(axles: int, kind: str | None, single_drive: bool, tyres: int) -> int | None:
    if kind is None:
        cands = [v for (a, _k), v in TABLE.items() if a == axles]
        base = max(cands) if cands else None
    else:
        base = TABLE.get((axles, kind))
    if base is None:
        return None
    if axles >= 6 and single_drive:
        base = 46000
    if tyres >= axles:
        return None
    return base - 3000 * tyres


def m(gross: int, axles: int = 6, kind: str | None = "tractor_semitrailer", **kw) -> r.Measurement:
    return r.Measurement(record_id="x", source="wim", gross_weight_kg=gross, axle_count=axles, vehicle_kind=kind,
                         plate=kw.pop("plate", "豫A12345"), plate_color="yellow", **kw)


def test_a_truck_exactly_at_the_limit_is_legal_and_one_kilogram_more_is_over():
    assert r.determine(m(49000), RS, NO_TOL).status == r.LEGAL
    d = r.determine(m(49001), RS, NO_TOL)
    assert d.status == r.VIOLATION and d.excess_kg == 1 and d.limit_kg == 49000


def test_six_axles_with_a_single_drive_axle_are_limited_to_46_tonnes():
    d = r.determine(m(46001, single_drive_axle=True), RS, NO_TOL)
    assert d.limit_kg == 46000 and d.mass_violation
    assert r.determine(m(46001, single_drive_axle=False), RS, NO_TOL).status == r.LEGAL


def test_each_single_tyre_axle_lowers_the_limit_by_three_tonnes():
    assert r.determine(m(43000, single_tyre_axles=2), RS, NO_TOL).limit_kg == 43000
    assert r.determine(m(43001, single_tyre_axles=2), RS, NO_TOL).mass_violation


@pytest.mark.parametrize(
    "axles,kind,single_drive,tyres",
    [
        (a, k, sd, t)
        for a, k, sd, t in product(
            range(1, 9), ["rigid", "tractor_semitrailer", "full_trailer", None, "bus"], [False, True], [0, 1, 2]
        )
    ],
)
def test_every_axle_kind_tyre_combination_matches_the_independent_table_at_each_boundary(axles, kind, single_drive, tyres):
    lim = expected_limit(axles, kind, single_drive, tyres) if kind != "bus" else None
    meas = lambda g: r.Measurement("x", "wim", g, axles, kind, single_drive, tyres, plate="豫A1", plate_color="yellow")  # noqa: E731
    if lim is None:
        d = r.determine(meas(30000), RS, NO_TOL)
        assert d.status == r.NOT_DETERMINED and d.reason == r.UNKNOWN_AXLE_CONFIG
        return
    for g, over in ((lim - 1, False), (lim, False), (lim + 1, True)):
        d = r.determine(meas(g), RS, NO_TOL)
        assert d.limit_kg == lim
        assert d.mass_violation is over
        assert d.status == (r.VIOLATION if over else r.LEGAL)
        assert d.excess_kg == (1 if over else 0)


def test_the_site_tolerance_is_deducted_before_deciding():
    tol = r.TolerancePolicy(device_class=5.0, deduct=True)
    # 51 570 × 5 % = 2578 → judged 48 992: legal although measured over 49 t
    d = r.determine(m(51570), RS, tol)
    assert d.tolerance_kg == 2578 and d.judged_kg == 48992 and d.status == r.LEGAL
    d = r.determine(m(51600), RS, tol)  # 51 600 − 2580 = 49 020
    assert d.status == r.VIOLATION and d.excess_kg == 20


def test_rate_100t_and_severe_flags():
    d = r.determine(m(100000), RS, NO_TOL)
    assert d.is_100t and d.excess_kg == 51000 and d.is_severe
    assert d.excess_rate == pytest.approx(51000 / 49000)
    d = r.determine(m(98000), RS, NO_TOL)  # exactly +100 %: not severe (strictly above)
    assert not d.is_severe and not d.is_100t
    assert r.determine(m(98001), RS, NO_TOL).is_severe
    rs2 = with_overrides(RS, severe_rate_pct=50)
    assert r.determine(m(73501), rs2, NO_TOL).is_severe
    assert rs2.version != RS.version


def test_dimensions_over_the_limit_are_a_violation_with_their_own_basis():
    d = r.determine(m(30000, height_mm=4001, width_mm=2550, length_mm=18101), RS, NO_TOL)
    assert d.status == r.VIOLATION and not d.mass_violation
    assert d.dimension_excess_mm == {"height": 1, "length": 1}
    assert "第（一）项" in d.legal_basis and "第（三）项" in d.legal_basis


def test_legal_basis_names_the_order_and_the_item():
    d = r.determine(m(18001, axles=2, kind="rigid"), RS, NO_TOL)
    assert "交通运输部令2016年第62号" in d.legal_basis and "第（四）项" in d.legal_basis
    assert d.rule_version == RS.version


@pytest.mark.parametrize(
    "meas,reason",
    [
        (r.Measurement("a", "wim", -5, 6, "rigid", plate="豫A1"), r.WEIGHT_NONPOSITIVE),
        (r.Measurement("a", "wim", None, 6, "rigid", plate="豫A1"), r.WEIGHT_MISSING),
        (r.Measurement("a", "wim", 300001, 6, "tractor_semitrailer", plate="豫A1"), r.WEIGHT_OVER_MAX),
        (r.Measurement("a", "wim", 30000, 1, "rigid", plate="豫A1"), r.UNKNOWN_AXLE_CONFIG),
        (r.Measurement("a", "wim", 30000, 5, "rigid", plate="豫A1"), r.UNKNOWN_AXLE_CONFIG),
        (r.Measurement("a", "wim", 30000, 2, "rigid", axle_weights_kg=(10000, 18000), plate="豫A1"),
         r.AXLE_WEIGHTS_MISMATCH),
        (r.Measurement("a", "wim", 30000, 2, "rigid", axle_weights_kg=(30000,), plate="豫A1"), r.AXLE_WEIGHTS_MISMATCH),
        (r.Measurement("a", "wim", 30000, 2, "rigid", plate=" "), r.PLATE_MISSING),
    ],
)
def test_bad_input_is_not_determined_and_names_its_reason(meas, reason):
    d = r.determine(meas, RS, NO_TOL)
    assert d.status == r.NOT_DETERMINED and d.reason == reason
    assert reason in r.REASON_LABELS_ZH


def test_axle_weights_within_five_percent_are_accepted():
    ok = r.Measurement("a", "wim", 20000, 2, "rigid", axle_weights_kg=(7000, 14000), plate="豫A1")  # 21000: +5 %
    assert r.determine(ok, RS, NO_TOL).status == r.VIOLATION
    bad = r.Measurement("a", "wim", 20000, 2, "rigid", axle_weights_kg=(7000, 14001), plate="豫A1")
    assert r.determine(bad, RS, NO_TOL).reason == r.AXLE_WEIGHTS_MISMATCH


def test_a_missing_plate_is_still_weighed_for_the_unidentified_lead():
    d = r.determine(m(60000, plate=""), RS, NO_TOL)
    assert d.status == r.NOT_DETERMINED and d.reason == r.PLATE_MISSING and d.excess_kg == 11000


def test_parse_axle_weights():
    assert r.parse_axle_weights("[7000, 11000]") == (7000, 11000)
    assert r.parse_axle_weights("") is None and r.parse_axle_weights(None) is None
    assert r.parse_axle_weights("[1,x]") == () and r.parse_axle_weights('{"a":1}') == ()


FINES = RS.fines


@pytest.mark.parametrize(
    "excess,floor,ceil,exact_fen",
    [
        (1, 0, 0, 0),
        (1000, 0, 0, 0),  # ≤ 1000 kg: warning only
        (1001, 500, 1000, 50050),
        (1500, 500, 1000, 75000),
        (1999, 500, 1000, 99950),
        (2000, 1000, 1000, 100000),
        (59999, 29500, 30000, 2999950),
        (60000, 30000, 30000, 3000000),
        (80000, 30000, 30000, 3000000),  # cap
    ],
)
def test_mass_fine_by_rounding_rule(excess, floor, ceil, exact_fen):
    from dataclasses import replace

    assert r.mass_fine_fen(excess, replace(FINES, rounding="floor")) == floor * 100
    assert r.mass_fine_fen(excess, replace(FINES, rounding="ceil")) == ceil * 100
    assert r.mass_fine_fen(excess, replace(FINES, rounding="exact")) == exact_fen


def test_proposed_penalty_warning_dimension_band_and_cap():
    meas = m(49800)
    p = r.proposed_penalty(r.determine(meas, RS, NO_TOL), meas, FINES)
    assert p.warning_only and p.proposed_yuan == 0 and "警告" in p.lines[0].text
    meas = m(52500, height_mm=4300)
    p = r.proposed_penalty(r.determine(meas, RS, NO_TOL), meas, FINES)
    assert [line.what for line in p.lines] == ["mass", "dimension"]
    assert p.lines[1].min_yuan == 200 and p.lines[1].max_yuan == 1000
    assert p.proposed_yuan == 1500 + 200
    meas = m(120000, length_mm=29000)
    p = r.proposed_penalty(r.determine(meas, RS, NO_TOL), meas, FINES)
    assert p.lines[1].min_yuan == 1000 and p.proposed_yuan == 30000  # capped in total
    assert "第四十三条" in p.basis


def test_dimension_bands():
    assert r.dimension_band({"height": 4200, "width": 3000, "length": 20000}, FINES) == (0, 200)
    assert r.dimension_band({"height": 4201}, FINES) == (200, 1000)
    assert r.dimension_band({"width": 3751}, FINES) == (1000, 3000)


def test_ruleset_lookup_by_date():
    assert ruleset_for(date(2016, 9, 21)) is RULESETS[0]
    with pytest.raises(LookupError):
        ruleset_for(date(2016, 9, 20))
    rs = ruleset_for(date(2024, 1, 1))
    assert rs.limits.provenance.verified and not rs.fines.rounding_provenance.verified
    assert not rs.flags.provenance.verified and rs.limits.provenance.effective_from == date(2016, 9, 21)
