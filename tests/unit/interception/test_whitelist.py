from __future__ import annotations

from datetime import timedelta

import polars as pl

from tests.unit.interception.interception_helpers import ANALYST, LineGraph, seed_org
from zhifa.db.session import unit_of_work
from zhifa.interception import service as svc
from zhifa.interception.matcher import Matcher
from zhifa.interception.model import Record
from zhifa.interception.orm import WatchHit
from zhifa.interception.whitelist import import_whitelist, list_whitelist


def frame(rows):
    return pl.DataFrame(rows, schema=["plate", "plate_color", "enterprise_id", "route_from", "route_to",
                                      "valid_from", "valid_to"], orient="row")


GOOD = ("豫A12345", "blue", "E1", "郑州", "洛阳", "2022-01-01T00:00:00", "2022-12-31T00:00:00")


def test_import_refuses_bad_rows_then_upserts(db, clock):
    seed_org(db, clock.now())
    bad = frame([GOOD, ("豫A1", "blue", "E1", None, None, "2022-01-01", "2022-12-31"),
                 ("豫B12345", "blue", "", None, None, "2022-01-01", "2022-12-31")])
    with unit_of_work(db) as s:
        rep = import_whitelist(s, actor=ANALYST, frame=bad, now=clock.now())
        assert rep.inserted == 0 and [n for n, _ in rep.errors] == [2, 3]
        assert list_whitelist(s, actor=ANALYST, plate=None, now=clock.now())[1] == 0
        rep = import_whitelist(s, actor=ANALYST, frame=bad, now=clock.now(), partial=True)
        assert rep.inserted == 1
    changed = list(GOOD)
    changed[4] = "开封"
    with unit_of_work(db) as s:
        rep = import_whitelist(s, actor=ANALYST, frame=frame([tuple(changed)]), now=clock.now())
        assert (rep.inserted, rep.updated) == (0, 1)
        rows, total = list_whitelist(s, actor=ANALYST, plate="A123", now=clock.now())
        assert total == 1 and rows[0].route_to == "开封"


def test_hits_show_whitelist_status(db, clock):
    seed_org(db, clock.now())
    with unit_of_work(db) as s:
        import_whitelist(s, actor=ANALYST, frame=frame([GOOD]), now=clock.now())
        for plate in ("豫A12345", "豫A54321"):
            svc.add_watch_entry(s, actor=ANALYST, plate=plate, plate_color="blue", reason="疑似非法营运",
                                source="detector", valid_to=clock.now() + timedelta(days=1), now=clock.now())
    with unit_of_work(db) as s:
        m = Matcher(svc.load_watch_entries(s, now=clock.now()))
        recs = [Record(record_id=p, kind="gantry", site_id="G2", event_time=clock.now(), plate=p, plate_color="blue")
                for p in ("豫A12345", "豫A54321")]
        svc.commit_hits(s, hits=m.match_many(recs), graph=LineGraph(), stations=svc.StationDirectory(),
                        now=clock.now())
    with unit_of_work(db) as s:
        got = {h.plate: h.whitelisted for h in s.query(WatchHit)}
    assert got == {"豫A12345": True, "豫A54321": False}
