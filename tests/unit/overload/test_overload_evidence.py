"""Evidence bundles: parts hashed as canonical JSON, checked again after a round trip through storage."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.overload import evidence, service
from zhifa.overload.ruledata import ruleset_for
from zhifa.shared.clock import TZ

RS = ruleset_for(date(2022, 3, 1))
T0 = datetime(2022, 3, 1, 8, tzinfo=TZ)
SITES = {
    "W1": service.SiteInfo("W1", "G4鹤壁治超点", "410611", "wim", 114.3, 35.7, 5.0, True, T0 + timedelta(days=30)),
    "W2": service.SiteInfo("W2", "过期治超点", "410611", "wim", 114.3, 35.7, 5.0, True, T0 - timedelta(days=1)),
}


def violations(**over) -> pl.DataFrame:
    row = {
        "source": "wim", "record_id": "w1", "site_id": "W1", "measured_at": T0, "plate": "豫F11111",
        "plate_color": "yellow", "axle_count": 6, "vehicle_kind": "tractor_semitrailer", "gross_weight_kg": 60000,
        "axle_weights_kg": "[10000,10000,10000,10000,10000,10000]", "speed_kmh": 0.00001, "evidence": '["a.jpg","b.jpg"]',
        "status": "violation", "reason": None, "limit_kg": 49000, "tolerance_kg": 0, "judged_kg": 60000,
        "excess_kg": 11000, "excess_rate": 11000 / 49000, "mass_violation": True, "over_height_mm": 0,
        "over_width_mm": 0, "over_length_mm": 0, "is_100t": False, "is_severe": False, "limit_item": 6,
        "height_mm": 3900, "width_mm": 2500, "length_mm": 17000, "kind_source": "device",
    }
    row.update(over)
    return pl.DataFrame([row]).with_columns(pl.col("measured_at").dt.convert_time_zone("Asia/Shanghai"))


def stored(bundle: dict) -> dict:
    """What a lead's JSON column gives back (stdlib json on the way in and out)."""
    return json.loads(json.dumps(bundle, ensure_ascii=False))


def test_a_drafted_bundle_verifies_after_storage_and_names_what_was_changed():
    (lead,) = service.draft_leads(violations(), rules=RS, sites=SITES)
    bundle = stored(lead.evidence)
    assert evidence.verify_bundle(bundle) == []
    part = bundle["parts"][0]
    assert part["record"]["measured_at"] == T0.isoformat() and part["site"]["calibration_valid"] is True
    assert [p["name"] for p in part["photos"]] == ["a.jpg", "b.jpg"]

    changed = copy.deepcopy(bundle)
    changed["parts"][0]["record"]["gross_weight_kg"] = 66000
    assert evidence.verify_bundle(changed) == ["part 1 record"]
    changed = copy.deepcopy(bundle)
    changed["parts"][0]["site"]["calibration_valid"] = False
    assert evidence.verify_bundle(changed) == ["part 1 site"]
    changed = copy.deepcopy(bundle)
    changed["bundle_sha256"] = "0" * 64
    assert evidence.verify_bundle(changed) == ["bundle"]


def test_bundle_hash_covers_the_order_and_number_of_parts():
    two = pl.concat([violations(), violations(record_id="w2", site_id="W2", measured_at=T0 + timedelta(minutes=20))])
    (lead,) = service.draft_leads(two, rules=RS, sites=SITES)
    bundle = stored(lead.evidence)
    assert len(bundle["parts"]) == 2 and evidence.verify_bundle(bundle) == []
    assert bundle["parts"][1]["site"]["calibration_valid"] is False  # W2's certificate expired the day before
    swapped = copy.deepcopy(bundle)
    swapped["parts"].reverse()
    assert evidence.verify_bundle(swapped) == ["bundle"]
    dropped = copy.deepcopy(bundle)
    dropped["parts"].pop()
    assert evidence.verify_bundle(dropped) == ["bundle"]


names = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.one_of(names.map(lambda n: json.dumps(n, ensure_ascii=False)), names.map(json.dumps),
                 st.sampled_from(["", "not json", '["x"', "[1,2]", '{"a":1}', "[ ]", None])))
def test_photo_names_read_column_wise_agree_with_a_json_parser(text):
    got = evidence.record_parts(violations(evidence=text), SITES)[0]["photos"]
    assert [p["name"] for p in got] == evidence._names(text)
    assert all(p["available"] is False and p["sha256"] is None for p in got)


def test_photos_in_the_evidence_store_are_hashed(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8photo")
    part = evidence.record_parts(violations(), SITES, tmp_path)[0]
    assert part["photos"][0] == {"name": "a.jpg", "sha256": evidence.sha(b"\xff\xd8photo"), "available": True}
    assert part["photos"][1]["available"] is False


def test_unknown_site_is_marked_and_has_no_valid_calibration():
    part = evidence.record_parts(violations(site_id="W9"), SITES)[0]
    assert part["site"] == {"site_id": "W9", "known": False, "calibration_valid": False}


def test_the_drafted_penalty_is_the_scalar_rule_of_the_worst_record():
    from zhifa.overload import rules as r

    row = violations(height_mm=4300, over_height_mm=300).row(0, named=True)
    (lead,) = service.draft_leads(violations(height_mm=4300, over_height_mm=300), rules=RS, sites=SITES)
    meas = r.measurement_from_row(row, "wim")
    det = r.determine(meas, RS, r.TolerancePolicy(0.0, False))
    pen = r.proposed_penalty(det, meas, RS.fines)
    got = lead.evidence["proposed_penalty"]
    assert got["proposed_yuan"] == pen.proposed_yuan and got["warning_only"] == pen.warning_only
    assert got["lines"] == [
        {"what": ln.what, "min_yuan": ln.min_yuan, "max_yuan": ln.max_yuan, "proposed_fen": ln.proposed_fen,
         "text": ln.text} for ln in pen.lines
    ]
    assert [ln["what"] for ln in got["lines"]] == ["mass", "dimension"]


def test_explanations_state_the_excess_rate_exactly_and_the_dimension_excess_in_words():
    def text(**over):
        (lead,) = service.draft_leads(violations(**over), rules=RS, sites=SITES)
        return lead.explanation

    assert text() == "超限运输：总重60000千克，限值49000千克，超限11000千克（22.4%）"
    # tenths of a percent from the exact ratio, half up (四舍五入): 2.5 → 3, 7.5 → 8, 2.49… → 2
    assert text(excess_kg=5, limit_kg=2000).endswith("超限5千克（0.3%）")
    assert text(excess_kg=15, limit_kg=2000).endswith("超限15千克（0.8%）")
    assert text(excess_kg=4999, limit_kg=2000000).endswith("超限4999千克（0.2%）")
    assert text(excess_kg=6921, limit_kg=18000).endswith("（38.5%）")  # 38.45 exactly
    dims = text(mass_violation=False, excess_kg=0, over_height_mm=300, over_length_mm=20)
    assert dims == "外廓尺寸超限：总重60000千克，外廓尺寸超限：超高300毫米、超长20毫米"
    two = pl.concat([violations(), violations(record_id="w2", measured_at=T0 + timedelta(minutes=20))])
    (lead,) = service.draft_leads(two, rules=RS, sites=SITES)
    assert lead.explanation.endswith("；同一车辆2条记录合并为一次违法")


def test_the_record_part_is_what_the_device_sent_not_the_registry_fill():
    rows = violations(vehicle_kind="tractor_semitrailer", received_vehicle_kind=None, received_single_drive_axle=None,
                      received_single_tyre_axles=None, single_drive_axle=True)
    part = evidence.record_parts(rows, SITES)[0]
    assert part["record"]["vehicle_kind"] is None and part["record"]["single_drive_axle"] is None
    (lead,) = service.draft_leads(rows, rules=RS, sites=SITES)
    assert evidence.verify_bundle(stored(lead.evidence)) == []


def test_bundles_of_the_first_version_still_verify_and_still_catch_changes():
    """Leads drafted before the hashing changed (no `hashing` field): stdlib canonical JSON, bundle over the
    JSON list of hashes, a hashed determination per part."""
    record = {"record_id": "w1", "gross_weight_kg": 60000, "speed_kmh": 0.00001, "plate": "豫F11111"}
    site = {"site_id": "W1", "known": True, "calibration_valid": True}
    det = {"status": "violation", "excess_rate": 0.2244}
    part = {"source": "wim", "record": record, "record_sha256": evidence._legacy_sha(record), "photos": [],
            "site": site, "site_sha256": evidence._legacy_sha(site), "determination": det,
            "determination_sha256": evidence._legacy_sha(det)}
    old = {"kind": "overload_evidence", "parts": [part],
           "bundle_sha256": evidence._legacy_sha([part["record_sha256"], part["site_sha256"]])}
    assert evidence.verify_bundle(stored(old)) == []
    changed = stored(old)
    changed["parts"][0]["determination"]["status"] = "legal"
    assert evidence.verify_bundle(changed) == ["part 1 determination"]
    assert "hashing" not in old and service.draft_leads(violations(), rules=RS, sites=SITES)[0].evidence["hashing"]


def test_a_record_delivered_twice_is_one_record_of_one_lead():
    twice = pl.concat([violations(), violations()])
    (lead,) = service.draft_leads(twice, rules=RS, sites=SITES)
    assert len(lead.evidence["parts"]) == 1 and "合并" not in lead.explanation
