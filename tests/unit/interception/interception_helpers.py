"""A small network and registry for interception tests: one road G1 with toll stations S1..S4."""

from __future__ import annotations

from datetime import datetime

from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, Team, Unit
from zhifa.shared.access import Actor, Role

CITY = "410100"
COUNTY = "410181"
OTHER_CITY = "410600"

ANALYST = Actor(username="ana", role=Role.ANALYST, unit_code="410000", unit_codes=None, display_name="研判员")
OPERATOR_S2 = Actor(username="op2", role=Role.TOLL_OPERATOR, unit_code=COUNTY,
                    unit_codes=frozenset({COUNTY}), site_id="S2")
OPERATOR_S3 = Actor(username="op3", role=Role.TOLL_OPERATOR, unit_code=COUNTY,
                    unit_codes=frozenset({COUNTY}), site_id="S3")
CITY_ANALYST = Actor(username="hebi", role=Role.ANALYST, unit_code=OTHER_CITY, unit_codes=frozenset({OTHER_CITY}))


class LineGraph:
    """G1 north-bound: G0 —10km— S1 —20km— G2 —10km— S2 —5km— G3 —25km— S3 —40km— S4. Exits downstream only."""

    ORDER = [("G0", 0), ("S1", 10_000), ("G2", 30_000), ("S2", 40_000), ("G3", 45_000), ("S3", 70_000), ("S4", 110_000)]

    def downstream_exits(self, site_id: str):
        pos = dict(self.ORDER)[site_id]
        return [(s, km - pos) for s, km in self.ORDER if s.startswith("S") and km >= pos]


def seed_org(db, now: datetime) -> None:
    with unit_of_work(db) as s:
        s.add_all([
            Unit(unit_code="410000", name="河南省", level="province", parent_code=None, city_code=None),
            Unit(unit_code=CITY, name="郑州市", level="city", parent_code="410000", city_code=CITY),
            Unit(unit_code=COUNTY, name="巩义市", level="county", parent_code=CITY, city_code=CITY),
            Unit(unit_code=OTHER_CITY, name="鹤壁市", level="city", parent_code="410000", city_code=OTHER_CITY),
        ])
        s.flush()
        s.add_all([
            Team(team_id="T-GY", unit_code=COUNTY, name="巩义大队", kind="brigade"),
            Team(team_id="T-HB", unit_code=OTHER_CITY, name="鹤壁支队", kind="detachment"),
        ])
        for sid, unit, lon in [("S1", COUNTY, 113.0), ("S2", COUNTY, 113.1), ("S3", COUNTY, 113.2),
                               ("S4", OTHER_CITY, 113.3), ("G0", COUNTY, 112.9), ("G2", COUNTY, 113.05), ("G3", COUNTY, 113.12)]:
            s.add(Site(site_id=sid, kind="toll_station" if sid[0] == "S" else "gantry", name=f"{sid}站",
                       unit_code=unit, road="G1", lon=lon, lat=34.7))
