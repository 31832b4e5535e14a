from __future__ import annotations

from datetime import date, datetime, timedelta

import ibis
import pytest

from zhifa.detection import samples as S
from zhifa.detection.context import PermitInfo, Registries, SiteInfo
from zhifa.detection.rules import oversize
from zhifa.permits.rules import classify_route
from zhifa.shared.clock import TZ

DAY = date(2022, 3, 1)
PLATE = "豫A66666"


def at(h: int, m: int = 0, day: int = 1) -> datetime:
    return datetime(2022, 3, day, h, m, tzinfo=TZ)


@pytest.fixture
def con():
    c = ibis.duckdb.connect()
    yield c
    c.disconnect()


PERMIT = PermitInfo(
    permit_no="豫大件2022-0001", plate=PLATE, plate_color="yellow", permit_class=2, length_mm=22000, width_mm=3000,
    height_mm=4300, gross_weight_kg=60000, axle_count=6, route_sites=("G1", "G2", "G3", "G4"),
    valid_from=at(0), valid_to=at(23, 59, day=3), allowed_hours="22:00-06:00",
)


def registries(*permits: PermitInfo) -> Registries:
    sites = {f"G{i}": SiteInfo(f"G{i}", "gantry", f"门架{i}", "410102" if i < 5 else "410225", "410100")
             for i in range(1, 10)}
    sites["CS"] = SiteInfo("CS", "check_station", "检测站", "410122", "410100")
    sites["W1"] = SiteInfo("W1", "wim", "非现场点", "410183", "410100")
    return Registries(sites=sites, permits=list(permits))


def drive(sites: list[str], start: datetime, plate: str = PLATE) -> list[dict]:
    return [S.gantry(f"{plate}-{start:%d%H%M}-{i}", s, start + timedelta(minutes=8 * i), plate, "yellow", 16, 6)
            for i, s in enumerate(sites)]


def rules_of(leads) -> list[tuple[str, str]]:
    return sorted((d.rule, d.plate or "") for d in leads)


def test_a_permitted_trip_on_route_within_hours_is_not_a_lead(con):
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=drive(["G1", "G2", "G3", "G4"], at(22, 30)))
    assert oversize.detect(ctx) == []


def test_leaving_the_route_halfway_is_off_route(con):
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=drive(["G1", "G2", "G7", "G8"], at(22, 30)))
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_off_route", PLATE)]
    assert leads[0].site_id == "G7" and leads[0].unit_code == "410225"
    assert leads[0].evidence["permits"] == ["豫大件2022-0001"]


def test_carrying_on_past_the_end_of_the_route_is_beyond_route(con):
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=drive(["G1", "G2", "G3", "G4", "G5"], at(22, 30)))
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_beyond_route", PLATE)]
    assert "办短跑长" in leads[0].explanation


def test_a_missed_gantry_on_the_route_is_not_a_deviation(con):
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=drive(["G1", "G3", "G4"], at(22, 30)))
    assert oversize.detect(ctx) == []


def test_travelling_by_day_outside_the_allowed_hours_is_off_window(con):
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=drive(["G1", "G2", "G3"], at(10, 0)))
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_off_window", PLATE)]
    assert "22:00-06:00" in leads[0].explanation


def test_travelling_after_the_permit_expired_is_off_window(con):
    ctx = S.context(con, date(2022, 3, 5), registries(PERMIT), gantry_pass=drive(["G1", "G2"], at(23, 0, day=5)))
    assert rules_of(oversize.detect(ctx)) == [("oversize_off_window", PLATE)]


def test_a_check_station_measuring_more_width_than_permitted_is_exceeds_permit(con):
    ctx = S.context(con, DAY, registries(PERMIT), static_weigh=[
        S.static("sw1", "CS", at(23), PLATE, width=3600, length=21000, height=4200, gross=58000)])
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_exceeds_permit", PLATE)]
    assert "宽实测 3600 > 许可 3000" in leads[0].explanation and leads[0].unit_code == "410122"


def test_a_measurement_within_the_permit_is_not_a_lead(con):
    ctx = S.context(con, DAY, registries(PERMIT), static_weigh=[
        S.static("sw1", "CS", at(23), PLATE, width=2990, length=21000, height=4200, gross=59000)])
    assert oversize.detect(ctx) == []


def test_an_oversize_vehicle_with_no_permit_is_a_lead(con):
    ctx = S.context(con, DAY, registries(PERMIT), wim=[S.wim("w1", "W1", at(9), "豫B12345", height=4600)])
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_no_permit", "豫B12345")]
    assert "高 4600 mm" in leads[0].explanation


def test_a_reading_just_over_the_limit_within_the_device_tolerance_is_not_a_lead(con):
    ctx = S.context(con, DAY, registries(), wim=[S.wim("w1", "W1", at(9), "豫B12345", height=4050)])
    assert oversize.detect(ctx) == []


def test_findings_of_one_rule_for_one_vehicle_on_one_day_are_one_lead(con):
    rows = drive(["G1", "G2", "G7", "G8"], at(22, 0)) + drive(["G8", "G7", "G9"], at(23, 30))
    ctx = S.context(con, DAY, registries(PERMIT), gantry_pass=rows)
    leads = oversize.detect(ctx)
    assert len(leads) == 1 and len(leads[0].evidence["records"]) == 5


@pytest.mark.parametrize(
    ("sites", "verdict"),
    [
        (["A", "B", "C", "D", "E"], None),
        (["A", "C", "E"], None),
        (["A", "B", "X", "C"], "off_route"),
        (["A", "B", "X"], "off_route"),
        (["A", "B", "C", "D", "E", "X"], "beyond_route"),
        (["A", "B", "C", "D", "X"], "beyond_route"),  # E not read: one missed gantry before the end
        (["Y", "A", "B"], "beyond_route"),
        (["X", "Y"], "off_route"),
    ],
)
def test_route_classification(sites, verdict):
    assert classify_route(sites, ["A", "B", "C", "D", "E"])[0] == verdict


def test_exiting_at_a_station_past_the_end_of_the_route_is_beyond_route(con):
    permit = PermitInfo(**{**PERMIT.__dict__, "route_sites": ("S1", "G1", "G2", "G3", "G4", "S2")})
    rows = drive(["G1", "G2", "G3", "G4"], at(22, 30))
    tolls = [S.toll("e", "S1", "entry", at(22, 20), PLATE, "yellow", 16, 6),
             S.toll("x", "S9", "exit", at(23, 30), PLATE, "yellow", 16, 6)]
    reg = registries(permit)
    reg.sites["S1"] = SiteInfo("S1", "toll_station", "起点站", "410102", "410100")
    reg.sites["S9"] = SiteInfo("S9", "toll_station", "远端站", "410225", "410100")
    leads = oversize.detect(S.context(con, DAY, reg, gantry_pass=rows, toll_txn=tolls))
    assert rules_of(leads) == [("oversize_beyond_route", PLATE)] and leads[0].site_id == "S9"


def test_a_misread_plate_at_a_check_station_is_checked_against_the_vehicles_permit(con):
    ctx = S.context(con, DAY, registries(PERMIT), static_weigh=[
        S.static("sw1", "CS", at(23), "豫A6666G", width=3600, length=21000, height=4200, gross=58000)])
    assert rules_of(oversize.detect(ctx)) == [("oversize_exceeds_permit", PLATE)]


def test_a_trip_across_midnight_is_judged_whole_on_the_day_it_ends(con):
    permit = PermitInfo(**{**PERMIT.__dict__, "route_sites": ("S1", "G1", "G2", "G3", "G4", "S2")})
    reg = registries(permit)
    reg.sites["S9"] = SiteInfo("S9", "toll_station", "远端站", "410225", "410100")
    rows = drive(["G1", "G2", "G3", "G4"], at(23, 20))
    tolls = [S.toll("x", "S9", "exit", at(0, 10, day=2), PLATE, "yellow", 16, 6)]
    ctx = S.context(con, date(2022, 3, 2), reg, history_days=2, gantry_pass=rows, toll_txn=tolls)
    leads = oversize.detect(ctx)
    assert rules_of(leads) == [("oversize_beyond_route", PLATE)]
    assert leads[0].start == at(0, 10, day=2)
    # the run for the first day sees a compliant trip so far and reports nothing
    ctx1 = S.context(con, DAY, reg, history_days=2, gantry_pass=rows, toll_txn=tolls)
    assert oversize.detect(ctx1) == []


def test_one_wim_reading_just_past_its_tolerance_is_not_enough_for_exceeds_permit(con):
    just = [S.wim("w1", "W1", at(23), PLATE, gross=63500, length=21000, width=2990, height=4200)]  # +5.8 %
    assert oversize.detect(S.context(con, DAY, registries(PERMIT), wim=just)) == []
    twice = just + [S.wim("w2", "W1", at(23, 40), PLATE, gross=63600, length=21000, width=2990, height=4200)]
    assert rules_of(oversize.detect(S.context(con, DAY, registries(PERMIT), wim=twice))) == [
        ("oversize_exceeds_permit", PLATE)]
    far = [S.wim("w3", "W1", at(23), PLATE, gross=70000, length=21000, width=2990, height=4200)]  # +16.7 %
    assert rules_of(oversize.detect(S.context(con, DAY, registries(PERMIT), wim=far))) == [
        ("oversize_exceeds_permit", PLATE)]
