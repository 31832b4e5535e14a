from __future__ import annotations

from datetime import date, datetime, timedelta

import ibis
import pytest

from zhifa.detection import samples as S
from zhifa.detection.context import Registries, SiteInfo, VehicleInfo, WhitelistEntry
from zhifa.detection.rules import illegal_passenger
from zhifa.shared.clock import TZ

DAY = date(2022, 3, 7)


@pytest.fixture
def con():
    c = ibis.duckdb.connect()
    yield c
    c.disconnect()


def registries() -> Registries:
    sites = {
        "SA": SiteInfo("SA", "toll_station", "西平站", "411721", "411700"),
        "SA2": SiteInfo("SA2", "toll_station", "西平东站", "411721", "411700"),
        "G1": SiteInfo("G1", "gantry", "门架1", "411721", "411700"),
        "G2": SiteInfo("G2", "gantry", "门架2", "410102", "410100"),
        "SB": SiteInfo("SB", "toll_station", "郑州站", "410102", "410100"),
    }
    return Registries(sites=sites, unit_names={"411700": "驻马店", "410100": "郑州"})


def shuttle(plate: str, days: int, start_hour: int = 7, dwell_min: int = 40, origin: str = "SA", n: int = 0) -> tuple:
    """A car shuttling origin → SB → origin once a day, `days` days up to DAY."""
    g, t = [], []
    for d in range(days):
        t0 = datetime(2022, 3, 7 - d, start_hour, 0, tzinfo=TZ)
        out = [(origin, "entry", 0), ("G1", None, 15), ("G2", None, 60), ("SB", "exit", 80)]
        back = [("SB", "entry", 80 + dwell_min), ("G2", None, 100 + dwell_min), ("G1", None, 145 + dwell_min),
                (origin, "exit", 160 + dwell_min)]
        for k, (site, ev, m) in enumerate(out + back):
            ts = t0 + timedelta(minutes=m)
            rid = f"{plate}-{n}-{d}-{k}"
            if ev:
                t.append(S.toll(rid, site, ev, ts, plate))
            else:
                g.append(S.gantry(rid, site, ts, plate))
    return g, t


def ctx_for(con, reg, *vehicles):
    g, t = [], []
    for gg, tt in vehicles:
        g += gg
        t += tt
    return S.context(con, DAY, reg, history_days=14, gantry_pass=g, toll_txn=t)


def test_a_private_car_shuttling_daily_between_two_cities_with_short_dwell_is_a_lead(con):
    reg = registries()
    leads = illegal_passenger.detect(ctx_for(con, reg, shuttle("豫Q12345", 6)))
    assert [(d.rule, d.plate) for d in leads] == [("illegal_passenger", "豫Q12345")]
    lead = leads[0]
    assert "6 次往返" in lead.explanation and "驻马店·西平站 ↔ 郑州站" in lead.explanation
    assert "不在白名单" in lead.explanation
    assert lead.unit_code == "411721" and lead.score >= 0.6
    assert len(lead.evidence["trips"]) == 12


def test_a_whitelisted_coach_on_its_licensed_route_is_not_a_lead(con):
    reg = registries()
    reg.whitelist[("豫Q12345", "blue")] = [WhitelistEntry("豫Q12345", "blue", "驻马店", "郑州", None, None)]
    assert illegal_passenger.detect(ctx_for(con, reg, shuttle("豫Q12345", 6))) == []


def test_a_whitelisted_coach_off_its_licensed_route_is_a_lead(con):
    reg = registries()
    reg.whitelist[("豫Q12345", "blue")] = [WhitelistEntry("豫Q12345", "blue", "洛阳", "郑州", None, None)]
    leads = illegal_passenger.detect(ctx_for(con, reg, shuttle("豫Q12345", 6)))
    assert len(leads) == 1 and "偏离核定线路" in leads[0].explanation


def test_a_licensed_operating_vehicle_is_not_a_lead(con):
    reg = registries()
    reg.vehicles[("豫Q12345", "blue")] = VehicleInfo("豫Q12345", "blue", 1, use="operating")
    assert illegal_passenger.detect(ctx_for(con, reg, shuttle("豫Q12345", 6))) == []


def test_two_trips_in_a_fortnight_are_not_enough(con):
    assert illegal_passenger.detect(ctx_for(con, registries(), shuttle("豫Q12345", 2))) == []


def test_a_ride_hailing_car_without_a_transport_certificate_is_named_as_such(con):
    reg = registries()
    reg.vehicles[("豫Q12345", "blue")] = VehicleInfo("豫Q12345", "blue", 1, use="non_operating",
                                                     enterprise_kind="ride_hailing_platform")
    leads = illegal_passenger.detect(ctx_for(con, reg, shuttle("豫Q12345", 6)))
    assert len(leads) == 1 and "网约车" in leads[0].explanation


def test_three_suspect_cars_starting_at_the_same_station_make_a_gathering_point(con):
    reg = registries()
    cars = [shuttle(p, 6, start_hour=6 + i, n=i) for i, p in enumerate(["豫Q11111", "豫Q22222", "豫Q33333"])]
    cars.append(shuttle("豫Q44444", 6, origin="SA2", n=9))
    leads = illegal_passenger.detect(ctx_for(con, reg, *cars))
    points = {d.site_id: d for d in leads if d.rule == "gathering_point"}
    # SA: three cars set out from it; SB: all four pick up for the way back; SA2: only one car
    assert set(points) == {"SA", "SB"}
    assert points["SA"].plate is None and "3 辆" in points["SA"].explanation
    assert "4 辆" in points["SB"].explanation
    assert len([d for d in leads if d.rule == "illegal_passenger"]) == 4


def test_the_dedup_key_is_stable_across_two_runs_of_the_same_day(con):
    reg = registries()
    ctx = ctx_for(con, reg, shuttle("豫Q12345", 6))
    assert illegal_passenger.detect(ctx)[0].dedup_key == illegal_passenger.detect(ctx)[0].dedup_key
