"""Road rules: control-zone widths and geometry, coverage, ad campaign, model-road scoring."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import LineString, Point

from zhifa.roads import rules
from zhifa.roads.model import AD_TRANSITIONS, FINDING_TRANSITIONS, AdStatus, FindingStatus
from zhifa.roads.ruledata import control_zone_rules_on, model_road_params_on

CZ = control_zone_rules_on(date(2022, 3, 1))


@pytest.mark.parametrize(("road_class", "width"), [
    ("expressway", 30), ("national", 20), ("provincial", 15), ("county", 10), ("township", 5),
])
def test_control_zone_width_per_class_follows_article_11(road_class, width):
    assert rules.control_zone_width_m(road_class, CZ) == width


def test_control_zone_rules_are_versioned_with_source_and_date():
    assert CZ.effective_from == date(2011, 7, 1)
    assert "第十一条" in CZ.source
    with pytest.raises(LookupError):
        control_zone_rules_on(date(2010, 1, 1))


def test_unknown_road_class_is_refused():
    with pytest.raises(ValueError):
        rules.control_zone_width_m("motorway", CZ)


@pytest.mark.parametrize(("road_class", "width"), [("national", 20), ("county", 10), ("township", 5)])
def test_zone_is_measured_from_the_edge_of_the_road_land(road_class, width):
    line = LineString([(0, 0), (1000, 0)])
    z = rules.control_zone(line, road_class, CZ, road_land_half=12.0)
    assert z.width_m == width
    assert rules.where_in_zone(Point(500, 11.5), z) == "road_land"
    assert rules.where_in_zone(Point(500, 12.5), z) == "control_zone"
    assert rules.where_in_zone(Point(500, -(12 + width - 0.5)), z) == "control_zone"
    assert rules.where_in_zone(Point(500, 12 + width + 0.5), z) is None
    # band area = 2 sides × length × width
    assert z.control_zone.area == pytest.approx(2 * 1000 * width, rel=1e-3)


def test_road_land_half_width_defaults_by_class():
    z = rules.control_zone(LineString([(0, 0), (100, 0)]), "expressway", CZ)
    assert z.road_land_half_m == CZ.default_road_land_half_m["expressway"]


def test_coverage_counts_days_with_a_patrol():
    days = [date(2022, 2, 1), date(2022, 2, 1), date(2022, 2, 14), date(2022, 3, 1)]
    assert rules.coverage(days, 2022, 2) == pytest.approx(2 / 28)
    assert rules.coverage([], 2022, 2) == 0


def test_campaign_rate_leaves_out_approved_facilities():
    p = rules.campaign_progress(["to_clear", "cleared", "cleared", "approved"])
    assert (p.total, p.to_clear, p.cleared, p.approved) == (4, 1, 2, 1)
    assert p.rate == pytest.approx(2 / 3)
    assert rules.campaign_progress(["approved"]).rate is None


def test_ad_transitions():
    assert rules.ad_transition_allowed("to_clear", "cleared")
    assert rules.ad_transition_allowed("approved", "to_clear")
    assert not rules.ad_transition_allowed("cleared", "to_clear")
    assert AD_TRANSITIONS[AdStatus.CLEARED] == frozenset()


def test_finding_cannot_leave_resolved():
    assert FINDING_TRANSITIONS[FindingStatus.RESOLVED] == frozenset()
    assert FindingStatus.CASE in FINDING_TRANSITIONS[FindingStatus.NOTICE]


def test_model_road_scores_combine_weights_rank_and_pass_mark():
    params = model_road_params_on(date(2022, 1, 1))
    out = {s.key: s for s in rules.score_candidates([
        ("a", [90, 94], [80]),  # 92*0.7 + 80*0.3 = 88.4
        ("b", [80], [100]),  # 56 + 30 = 86
        ("c", [70], [70]),  # 70
        ("d", [99], []),  # no public score: no total
    ], params)}
    assert out["a"].total == pytest.approx(88.4)
    assert (out["a"].rank, out["b"].rank, out["c"].rank, out["d"].rank) == (1, 2, 3, None)
    assert out["a"].designated and out["b"].designated and not out["c"].designated and not out["d"].designated


def test_equal_totals_share_a_rank():
    params = model_road_params_on(date(2022, 1, 1))
    out = rules.score_candidates([("a", [90], [90]), ("b", [90], [90]), ("c", [50], [50])], params)
    assert [s.rank for s in out] == [1, 1, 3]
