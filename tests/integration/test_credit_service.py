"""Credit listing from confirmed overload leads: compute, publish (watch-list), exit, export, party view."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from zhifa.credit import service as cs
from zhifa.credit.orm import CreditListing
from zhifa.db.session import unit_of_work
from zhifa.leads.model import LeadDraft
from zhifa.leads.service import review_lead, store_leads
from zhifa.org.orm import Unit
from zhifa.shared.access import SYSTEM, Actor, Role
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound
from zhifa.vehicles.orm import Enterprise, Vehicle

T0 = datetime(2021, 12, 1, 9, tzinfo=TZ)
ANALYST = Actor("zhao", Role.ANALYST, "410600", frozenset({"410600", "410611"}))


def seed(c, counts):
    with unit_of_work(c.db) as s:
        s.add_all([Unit(unit_code="410000", name="河南省", level="province"),
                   Unit(unit_code="410600", name="鹤壁市", level="city", parent_code="410000", city_code="410600")])
        s.add(Enterprise(enterprise_id="E1", name="鹤壁运输有限公司", kind="transport", unit_code="410600",
                         created_at=T0, updated_at=T0))
        for i in range(10):
            s.add(Vehicle(plate=f"豫F1000{i}", plate_color="yellow", owner_name="鹤壁运输有限公司", owner_kind="enterprise",
                          enterprise_id="E1", registered_unit_code="410600", created_at=T0, updated_at=T0))
        drafts = []
        for plate, n in counts.items():
            for k in range(n):
                t = T0 + timedelta(days=40 * k)
                drafts.append(LeadDraft(rule="overload", plate=plate, plate_color="yellow", start=t, end=t,
                                        unit_code="410600", explanation="超限", dedup_key=f"overload:{plate}:{k}",
                                        evidence={"driver_id": "D1"} if plate == "豫F10000" else {}))
        store_leads(s, actor=SYSTEM, drafts=drafts, now=T0, source="test")
        from zhifa.leads.orm import Lead

        for lead in s.execute(select(Lead)).scalars():
            review_lead(s, actor=ANALYST, lead_id=lead.lead_id, decision="confirmed", reason=None, now=T0)


def test_compute_publish_export_exit_and_party_view(container):
    seed(container, {"豫F10000": 4, "豫F10001": 3, "豫F10002": 1})
    now = T0 + timedelta(days=200)
    with unit_of_work(container.db) as s:
        rep = cs.compute(s, actor=SYSTEM, now=now)
        assert rep.by_criterion == {"truck_over_3_in_year": 1, "driver_over_3_in_year": 1,
                                    "enterprise_over_10pct_fleet": 1}
        again = cs.compute(s, actor=SYSTEM, now=now)
        assert again.created == 0
        truck = s.execute(select(CreditListing).where(CreditListing.subject_kind == "truck")).scalars().one()
        assert truck.subject_id == "豫F10000:yellow" and truck.violation_count == 4
        assert truck.entered_on == (T0 + timedelta(days=120)).date()
        ent = s.execute(select(CreditListing).where(CreditListing.subject_kind == "enterprise")).scalars().one()
        assert ent.violation_count == 2  # 2 of 10 trucks: 20 % > 10 %
        tid = truck.listing_id
    with unit_of_work(container.db) as s:
        row = cs.publish(s, actor=ANALYST, listing_id=tid, now=now)
        assert row.exit_on == row.published_on.replace(year=row.published_on.year + 2)
        assert row.watch_flagged
        watch_id = row.watch_entry_id
    import importlib.util

    if importlib.util.find_spec("zhifa.interception.service") is not None:
        from zhifa.interception.orm import WatchlistEntry

        with unit_of_work(container.db) as s:
            w = s.get(WatchlistEntry, watch_id)
            assert w is not None and w.plate == "豫F10000" and w.source == "credit"
    with unit_of_work(container.db) as s:
        text = cs.export(s, actor=ANALYST, fmt="csv")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0].keys()) == list(cs.EXPORT_COLUMNS) and len(rows) == 1
        assert rows[0]["subject_id"] == "豫F10000:yellow" and len(rows[0]["event_refs"].split(";")) == 4
        assert json.loads(cs.export(s, actor=ANALYST, fmt="json"))[0]["status"] == "published"
        party = Actor("p", Role.PARTY, "410600", frozenset(), extra={"subjects": ["豫F10000:yellow"]})
        view = cs.party_view(s, actor=party, subject_id="豫F10000:yellow")
        assert len(view) == 1 and len(view[0]["events"]) == 4
        with pytest.raises(NotFound):
            cs.party_view(s, actor=party, subject_id="E1")
    with unit_of_work(container.db) as s:
        assert cs.sweep_exits(s, actor=SYSTEM, now=now + timedelta(days=365)) == 0
        assert cs.sweep_exits(s, actor=SYSTEM, now=now + timedelta(days=731)) == 1
        assert s.get(CreditListing, tid).status == "exited"
