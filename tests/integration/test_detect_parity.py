"""The same Ibis expressions on DuckDB and Spark local give the same trips and the same leads."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import ibis
import pytest

from zhifa.detection import samples as S
from zhifa.detection.context import PermitInfo, Registries, SiteInfo, VehicleInfo
from zhifa.detection.engines import connect, register_frame
from zhifa.detection.service import detect_day
from zhifa.detection.trajectory import TRIP_ORDER, build_trips
from zhifa.shared.clock import TZ

DAY = date(2022, 3, 1)


def sample(seed: int = 7) -> dict[str, list[dict]]:
    rnd = random.Random(seed)
    gantry, toll, gps = [], [], []
    for v in range(60):
        plate = f"豫A{v:05d}"
        color = "yellow" if v % 3 == 0 else "blue"
        vclass = 16 if color == "yellow" else 1
        t = datetime(2022, 3, 1, 6, tzinfo=TZ) + timedelta(minutes=rnd.randint(0, 300))
        for trip in range(rnd.randint(1, 3)):
            toll.append(S.toll(f"e{v}-{trip}", "S1", "entry", t, plate, color, vclass))
            for k in range(rnd.randint(2, 6)):
                t += timedelta(minutes=rnd.randint(3, 15))
                read = plate if rnd.random() > 0.05 else plate[:-1] + "S"
                gantry.append(S.gantry(f"g{v}-{trip}-{k}", f"G{rnd.randint(1, 8)}", t, read, color, vclass, 6))
                if color == "yellow" and rnd.random() > 0.4:
                    gps.append(S.gps(plate, t, color))
            if rnd.random() > 0.3:
                t += timedelta(minutes=5)
                toll.append(S.toll(f"x{v}-{trip}", "S2", "exit", t, plate, color, vclass))
            t += timedelta(minutes=rnd.randint(30, 240))
    return {"gantry_pass": gantry, "toll_txn": toll, "gps_point": gps,
            "wim": [S.wim("w1", "W1", datetime(2022, 3, 1, 9, tzinfo=TZ), "豫B00001", height=4700)]}


def registries() -> Registries:
    sites = {f"G{i}": SiteInfo(f"G{i}", "gantry", f"门架{i}", "410102", "410100") for i in range(1, 9)}
    vehicles = {(f"豫A{v:05d}", "yellow"): VehicleInfo(f"豫A{v:05d}", "yellow", 16, "operating", axle_count=6)
                for v in range(0, 60, 3)}
    permit = PermitInfo("P1", "豫A00003", "yellow", 2, 22000, 3000, 4300, 60000, 6, ("G1", "G2", "G3"),
                        datetime(2022, 2, 1, tzinfo=TZ), datetime(2022, 4, 1, tzinfo=TZ), "22:00-06:00")
    return Registries(sites=sites, vehicles=vehicles, permits=[permit])


def frame_of(expr):
    return expr.to_pandas().sort_values(TRIP_ORDER).reset_index(drop=True)


@pytest.mark.spark
def test_trips_and_leads_are_identical_on_duckdb_and_spark():
    rows = sample()
    results = {}
    for engine in ("duckdb", "spark"):
        con = connect(engine)
        g = register_frame(con, "pg", S.arrow("gantry_pass", rows["gantry_pass"]))
        t = register_frame(con, "pt", S.arrow("toll_txn", rows["toll_txn"]))
        _, trips = build_trips(g, t)
        ctx = S.context(con, DAY, registries(), **rows)
        drafts, _ = detect_day(ctx)
        results[engine] = (frame_of(trips), sorted((d.rule, d.plate, d.start, d.end, d.dedup_key) for d in drafts))
    duck, spark = results["duckdb"], results["spark"]
    assert len(duck[0]) > 60
    assert duck[0].to_dict("records") == spark[0].to_dict("records")
    assert duck[1] == spark[1] and len(duck[1]) > 0
    assert ibis  # both backends come from the same Ibis build
