"""The vectorised determination agrees with the scalar rule on every row (hypothesis)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.overload import frames
from zhifa.overload import rules as r
from zhifa.overload.ruledata import ruleset_for, with_overrides

RS = ruleset_for(date(2022, 3, 1))

KINDS = st.sampled_from(["rigid", "tractor_semitrailer", "full_trailer", None, "bus"])
LIMITS = [18000, 25000, 27000, 31000, 36000, 43000, 46000, 49000, 100000, 300000]


@st.composite
def rows(draw):
    axles = draw(st.one_of(st.none(), st.integers(0, 9)))
    near = draw(st.sampled_from(LIMITS)) + draw(st.integers(-3000, 3000))
    gross = draw(st.one_of(st.none(), st.just(near), st.integers(-1000, 320000), st.sampled_from([0, 300000, 300001])))
    aw_kind = draw(st.sampled_from(["none", "good", "random", "junk", "empty"]))
    aw = None
    if aw_kind == "good" and gross and gross > 0 and axles:
        share = gross // axles
        ws = [share] * axles
        ws[0] += gross - share * axles + draw(st.integers(-gross // 15, gross // 15))
        aw = json.dumps(ws)
    elif aw_kind == "random":
        aw = json.dumps(draw(st.lists(st.integers(-10, 60000), max_size=8)))
    elif aw_kind == "junk":
        aw = draw(st.sampled_from(["[1,x]", "[]", "{}", "[1.5]", "[1 2]", "[ 9000 , 9000 ]", "[9000, - 5]", "[,]"]))
    elif aw_kind == "empty":
        aw = ""
    dim = st.one_of(st.none(), st.integers(2000, 30000))
    return {
        "record_id": "r",
        "gross_weight_kg": gross,
        "axle_count": axles,
        "vehicle_kind": draw(KINDS),
        "single_drive_axle": draw(st.one_of(st.none(), st.booleans())),
        "single_tyre_axles": draw(st.one_of(st.none(), st.integers(-1, 4))),
        "axle_weights_kg": aw,
        "length_mm": draw(dim),
        "width_mm": draw(st.one_of(st.none(), st.integers(2000, 4000))),
        "height_mm": draw(st.one_of(st.none(), st.integers(3000, 5000))),
        "plate": draw(st.sampled_from(["豫A12345", "", None, " "])),
        "tol_permille": draw(st.sampled_from([0, 2, 5, 10, 20, 50, 100])),
        "tol_deduct": draw(st.booleans()),
    }


SCHEMA = {
    "record_id": pl.String, "gross_weight_kg": pl.Int64, "axle_count": pl.Int64, "vehicle_kind": pl.String,
    "single_drive_axle": pl.Boolean, "single_tyre_axles": pl.Int64, "axle_weights_kg": pl.String,
    "length_mm": pl.Int64, "width_mm": pl.Int64, "height_mm": pl.Int64, "plate": pl.String,
    "tol_permille": pl.Int64, "tol_deduct": pl.Boolean,
}


def scalar(row: dict, rs) -> dict:
    meas = r.measurement_from_row(row, "wim")
    d = r.determine(meas, rs, r.TolerancePolicy(row["tol_permille"] / 10, row["tol_deduct"]))
    return {
        "status": d.status, "reason": d.reason, "limit_kg": d.limit_kg, "tolerance_kg": d.tolerance_kg,
        "judged_kg": d.judged_kg, "excess_kg": d.excess_kg, "excess_rate": d.excess_rate,
        "mass_violation": d.mass_violation, "over_height_mm": d.dimension_excess_mm.get("height", 0),
        "over_width_mm": d.dimension_excess_mm.get("width", 0), "over_length_mm": d.dimension_excess_mm.get("length", 0),
        "is_100t": d.is_100t, "is_severe": d.is_severe,
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=40), st.sampled_from([100, 50]))
def test_frame_and_scalar_agree_on_every_row(batch, severe):
    rs = with_overrides(RS, severe_rate_pct=severe)
    out = frames.determine_frame(pl.DataFrame(batch, schema=SCHEMA), rs).collect()
    cols = [c for c in frames.OUTPUT_COLUMNS if c != "limit_item"]
    for row, got in zip(batch, out.select(cols).to_dicts(), strict=True):
        assert got == scalar(row, rs), row


def test_tolerance_join_uses_the_site_policy_and_the_default():
    df = pl.DataFrame({"site_id": ["W1", "W2"], "gross_weight_kg": [51600, 51600], "axle_count": [6, 6],
                       "vehicle_kind": ["tractor_semitrailer"] * 2, "plate": ["豫A1", "豫A2"], "record_id": ["a", "b"]})
    lf = frames.with_tolerance(df, {"W1": r.TolerancePolicy(5.0, True)}, r.TolerancePolicy(2.0, False))
    out = frames.determine_frame(lf, RS).collect().sort("record_id")
    assert out["tolerance_kg"].to_list() == [2580, 0]
    assert out["excess_kg"].to_list() == [20, 2600]


def test_missing_optional_columns_are_treated_as_null():
    df = pl.DataFrame({"record_id": ["e"], "gross_weight_kg": [40000], "axle_count": [5], "plate": ["豫A1"],
                       "tol_permille": [50], "tol_deduct": [False]})
    out = frames.determine_frame(df, RS).collect().row(0, named=True)
    assert out["limit_kg"] == 43000 and out["status"] == r.LEGAL


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=40), st.sampled_from(["floor", "ceil", "exact"]))
def test_penalty_columns_agree_with_the_scalar_penalty(batch, rounding):
    rs = with_overrides(RS, rounding=rounding)
    out = frames.determine_frame(pl.DataFrame(batch, schema=SCHEMA), rs).with_columns(
        frames.penalty_columns(rs.fines)).collect()
    for row, got in zip(batch, out.to_dicts(), strict=True):
        if got["status"] != r.VIOLATION:
            continue
        meas = r.measurement_from_row(row, "wim")
        det = r.determine(meas, rs, r.TolerancePolicy(row["tol_permille"] / 10, row["tol_deduct"]))
        pen = r.proposed_penalty(det, meas, rs.fines)
        lines = {ln.what: ln for ln in pen.lines}
        assert got["pen_total_fen"] == pen.proposed_fen, row
        assert got["pen_mass_fen"] == (lines["mass"].proposed_fen if "mass" in lines else None), row
        dim = lines.get("dimension")
        assert (got["pen_dim_lo"], got["pen_dim_hi"]) == ((dim.min_yuan, dim.max_yuan) if dim else (None, None)), row


def test_registered_kind_fills_what_the_device_did_not_classify():
    """Entry weighing has no vehicle kind: a registered rigid 4-axle truck is judged against 31 t, not the
    36 t of a 4-axle combination; the device's own classification wins; an unregistered truck stays lenient."""
    df = pl.DataFrame({
        "record_id": ["reg", "dev", "unreg"], "plate": ["豫A1", "豫A2", "豫A3"], "plate_color": ["yellow"] * 3,
        "gross_weight_kg": [35000] * 3, "axle_count": [4] * 3, "vehicle_kind": [None, "full_trailer", None],
        "tol_permille": [0] * 3, "tol_deduct": [False] * 3,
    })
    kinds = pl.DataFrame({"plate": ["豫A1", "豫A2", "豫A1"], "plate_color": ["yellow", "yellow", "blue"],
                          "registered_kind": ["rigid", "rigid", "tractor_semitrailer"]})
    out = frames.determine_frame(frames.with_registered_kind(df, kinds, RS.limits), RS).collect()
    got = {x["record_id"]: (x["kind_source"], x["vehicle_kind"], x["limit_kg"], x["status"]) for x in out.to_dicts()}
    assert got == {
        "reg": ("registry", "rigid", 31000, r.VIOLATION),
        "dev": ("device", "full_trailer", 36000, r.LEGAL),
        "unreg": ("unknown", None, 36000, r.LEGAL),
    }
    none = frames.with_registered_kind(df, None, RS.limits).collect()
    assert none["kind_source"].to_list() == ["unknown", "device", "unknown"]


def test_registered_drive_axle_and_single_tyres_lower_the_limit_where_the_device_did_not_say():
    """6-axle tractor with one drive axle: 46 t (Order 62 Art. 3); a 2-axle truck with a single-tyre axle:
    18 t − 3 t. The registry's single-drive flag only applies to combinations; a device value wins."""
    df = pl.DataFrame({
        "record_id": ["tractor", "rigid2", "dev"], "plate": ["豫B1", "豫B2", "豫B3"], "plate_color": ["yellow"] * 3,
        "gross_weight_kg": [47500, 17000, 47500], "axle_count": [6, 2, 6],
        "vehicle_kind": [None, None, "tractor_semitrailer"], "single_drive_axle": [None, None, False],
        "tol_permille": [0] * 3, "tol_deduct": [False] * 3,
    })
    kinds = pl.DataFrame({
        "plate": ["豫B1", "豫B2", "豫B3"], "plate_color": ["yellow"] * 3,
        "registered_kind": ["tractor_semitrailer", "rigid", "tractor_semitrailer"],
        "registered_single_drive": [True, True, True], "registered_single_tyres": [None, 1, None],
    })
    out = frames.determine_frame(frames.with_registered_kind(df, kinds, RS.limits), RS).collect()
    got = {x["record_id"]: (x["kind_source"], x["single_drive_axle"], x["limit_kg"], x["status"]) for x in out.to_dicts()}
    assert got == {
        "tractor": ("registry", True, 46000, r.VIOLATION),
        "rigid2": ("registry", None, 15000, r.VIOLATION),
        "dev": ("device", False, 49000, r.LEGAL),
    }


def test_the_registry_is_used_only_where_it_fits_the_measurement():
    """A registered rigid truck measured with 5 axles is towing a trailer (no truck limit for 5 axles);
    a kind outside the table, a different registered axle count or as many single-tyre axles as axles
    are ignored: each record keeps the lenient limit it had without the registry, and stays a violation."""
    df = pl.DataFrame({
        "record_id": ["towing", "odd_kind", "axles_differ", "tyres"], "plate": ["豫C1", "豫C2", "豫C3", "豫C4"],
        "plate_color": ["yellow"] * 4, "gross_weight_kg": [45000, 38000, 38000, 38000], "axle_count": [5, 4, 4, 4],
        "vehicle_kind": [None] * 4, "tol_permille": [0] * 4, "tol_deduct": [False] * 4,
    })
    kinds = pl.DataFrame({
        "plate": ["豫C1", "豫C2", "豫C3", "豫C4"], "plate_color": ["yellow"] * 4,
        "registered_kind": ["rigid", "重型半挂牵引车", "rigid", "full_trailer"], "registered_axles": [None, 4, 2, 4],
        "registered_single_drive": [None] * 4, "registered_single_tyres": [None, None, None, 4],
    })
    out = frames.determine_frame(frames.with_registered_kind(df, kinds, RS.limits), RS).collect()
    got = {x["record_id"]: (x["kind_source"], x["limit_kg"], x["status"]) for x in out.to_dicts()}
    assert got == {
        "towing": ("unknown", 43000, r.VIOLATION),
        "odd_kind": ("unknown", 36000, r.VIOLATION),
        "axles_differ": ("unknown", 36000, r.VIOLATION),
        "tyres": ("registry", 36000, r.VIOLATION),  # the kind fits; the impossible tyre count is not taken
    }
    assert out.filter(pl.col("record_id") == "tyres")["single_tyre_axles"].to_list() == [None]
    assert out["received_vehicle_kind"].to_list() == [None] * 4  # what the device sent is kept
