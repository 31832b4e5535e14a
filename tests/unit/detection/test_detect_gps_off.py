from __future__ import annotations

from datetime import date, datetime, timedelta

import ibis
import pytest

from zhifa.detection import samples as S
from zhifa.detection.context import Registries, SiteInfo, VehicleInfo
from zhifa.detection.rules import gps_off
from zhifa.shared.clock import TZ

DAY = date(2022, 3, 1)


def at(h: int, m: int = 0) -> datetime:
    return datetime(2022, 3, 1, h, m, tzinfo=TZ)


@pytest.fixture
def con():
    c = ibis.duckdb.connect()
    yield c
    c.disconnect()


def registries(**vehicles: VehicleInfo) -> Registries:
    sites = {f"G{i}": SiteInfo(f"G{i}", "gantry", f"门架{i}", "410102" if i < 5 else "410202", "410100") for i in range(10)}
    return Registries(sites=sites, vehicles={(v.plate, v.plate_color): v for v in vehicles.values()})


TRUCK = VehicleInfo("豫A88888", "yellow", vehicle_class=16, use="operating", axle_count=6,
                    vehicle_kind="tractor_semitrailer")


def gps_every_minute(plate: str, start: datetime, end: datetime) -> list[dict]:
    out, t = [], start
    while t <= end:
        out.append(S.gps(plate, t))
        t += timedelta(minutes=1)
    return out


def passes(plate: str, start: datetime, n: int, every_min: int = 10) -> list[dict]:
    return [S.gantry(f"{plate}-{i}", f"G{i}", start + timedelta(minutes=every_min * i), plate, "yellow", 16, 6)
            for i in range(n)]


def test_a_heavy_truck_passing_gantries_while_its_gps_is_silent_is_a_lead(con):
    gps = gps_every_minute("豫A88888", at(7), at(8, 5)) + gps_every_minute("豫A88888", at(9, 30), at(11))
    rows = passes("豫A88888", at(7, 30), 9)  # 07:30 … 08:50: passes from 08:20 on are dark
    ctx = S.context(con, DAY, registries(t=TRUCK), gantry_pass=rows, gps_point=gps)
    leads = gps_off.detect(ctx)
    assert len(leads) == 1
    lead = leads[0]
    assert lead.rule == "gps_off" and lead.plate == "豫A88888"
    assert lead.start == at(8, 5) and lead.end == at(9, 30)  # last GPS before, first GPS after
    assert lead.evidence["records"] == [f"豫A88888-{i}" for i in range(4, 9)]  # 08:10 on: no GPS within 4 min
    assert "第三十八条" in lead.explanation and "令2016年第55号" in lead.explanation


def test_a_truck_whose_gps_reports_throughout_is_not_a_lead(con):
    gps = gps_every_minute("豫A88888", at(7), at(11))
    ctx = S.context(con, DAY, registries(t=TRUCK), gantry_pass=passes("豫A88888", at(7, 30), 9), gps_point=gps)
    assert gps_off.detect(ctx) == []


def test_a_single_dark_pass_is_tolerated(con):
    gps = gps_every_minute("豫A88888", at(7), at(7, 52)) + gps_every_minute("豫A88888", at(8, 8), at(11))
    ctx = S.context(con, DAY, registries(t=TRUCK), gantry_pass=passes("豫A88888", at(7, 30), 9, every_min=10),
                    gps_point=gps)
    assert gps_off.detect(ctx) == []


def test_a_private_car_without_gps_duty_is_not_a_lead(con):
    car = VehicleInfo("豫A11111", "blue", vehicle_class=1, use="non_operating")
    rows = [S.gantry(f"c{i}", f"G{i}", at(8, 10 * i), "豫A11111") for i in range(6)]
    ctx = S.context(con, DAY, registries(c=car), gantry_pass=rows, gps_point=[S.gps("豫A88888", at(6))])
    assert gps_off.detect(ctx) == []


def test_a_hazmat_vehicle_dark_all_day_is_found_from_the_registry(con):
    hz = VehicleInfo("豫A99999", "yellow", vehicle_class=12, use="operating", enterprise_kind="hazmat")
    rows = [S.gantry(f"z{i}", f"G{i}", at(10, 10 * i), "豫A99999", "yellow", 12, 2) for i in range(4)]
    ctx = S.context(con, DAY, registries(h=hz), gantry_pass=rows, gps_point=[S.gps("豫A88888", at(6))])
    leads = gps_off.detect(ctx)
    assert [lead.plate for lead in leads] == ["豫A99999"]
    assert "危险货物" in leads[0].explanation


def test_the_dedup_key_is_the_same_on_a_second_run(con):
    gps = gps_every_minute("豫A88888", at(7), at(8, 5))
    ctx = S.context(con, DAY, registries(t=TRUCK), gantry_pass=passes("豫A88888", at(7, 30), 9), gps_point=gps)
    assert [d.dedup_key for d in gps_off.detect(ctx)] == [d.dedup_key for d in gps_off.detect(ctx)]


def test_one_dark_pass_inside_a_long_gps_silence_is_a_lead(con):
    # 25 minutes without GPS around a single gantry pass (the vehicle then left the gantry network)
    gps = gps_every_minute("豫A88888", at(7), at(7, 55)) + gps_every_minute("豫A88888", at(8, 20), at(9))
    rows = passes("豫A88888", at(7, 30), 4, every_min=10)  # 07:30, 07:40, 07:50, 08:00 (dark)
    ctx = S.context(con, DAY, registries(t=TRUCK), gantry_pass=rows, gps_point=gps)
    leads = gps_off.detect(ctx)
    assert [lead.evidence["records"] for lead in leads] == [["豫A88888-3"]]
