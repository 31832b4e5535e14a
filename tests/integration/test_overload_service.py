"""Overload service against the `db` fixture and a small lake written in the contract's columns."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta

import polars as pl
import pytest
from sqlalchemy import select

from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.org.orm import Site, Unit
from zhifa.overload import service as svc
from zhifa.overload.orm import EntryWeighStat, OverloadDetermination, TraceBackTask
from zhifa.records.lake import write_batch
from zhifa.records.schemas import RECORD_TABLES
from zhifa.shared.access import SYSTEM, Actor, Role
from zhifa.shared.audit import verify_chain
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, ValidationFailed
from zhifa.vehicles.orm import Enterprise, Vehicle

DAY = date(2022, 3, 1)
T0 = datetime(2022, 3, 1, 8, 0, tzinfo=TZ)
OFFICER = Actor("wang", Role.OFFICER, "410600", frozenset({"410600", "410611"}))
OTHER = Actor("li", Role.OFFICER, "410100", frozenset({"410100"}))


def wim(rid, plate, minutes, gross, axles=6, kind="tractor_semitrailer", site="W1", color="yellow", aw=None, **kw):
    share = gross // axles
    weights = aw if aw is not None else [share] * (axles - 1) + [gross - share * (axles - 1)]
    return {
        "record_id": rid, "site_id": site, "measured_at": T0 + timedelta(minutes=minutes), "plate": plate,
        "plate_color": color, "axle_count": axles, "vehicle_kind": kind, "single_drive_axle": False,
        "single_tyre_axles": 0, "gross_weight_kg": gross, "axle_weights_kg": json.dumps(weights),
        "speed_kmh": 60.0, "length_mm": kw.get("length_mm"), "width_mm": None, "height_mm": kw.get("height_mm"),
        "lane": "1", "evidence": json.dumps([f"{rid}_front.jpg", f"{rid}_side.jpg"]),
    }


def entry(rid, plate, minutes, gross, station="T1", axles=6):
    return {
        "record_id": rid, "station_id": station, "lane": "E1", "event": "entry",
        "event_time": T0 + timedelta(minutes=minutes), "plate": plate, "plate_color": "yellow", "vehicle_class": 16,
        "axle_count": axles, "gross_weight_kg": gross, "entry_station_id": None, "entry_time": None,
    }


@pytest.fixture
def world(container):
    s = container.settings
    with unit_of_work(container.db) as ses:
        ses.add_all([
            Unit(unit_code="410000", name="河南省", level="province"),
            Unit(unit_code="410600", name="鹤壁市", level="city", parent_code="410000", city_code="410600"),
            Unit(unit_code="410611", name="淇滨区", level="county", parent_code="410600", city_code="410600"),
            Unit(unit_code="410100", name="郑州市", level="city", parent_code="410000", city_code="410100"),
        ])
        ses.flush()
        ses.add_all([
            Site(site_id="W1", kind="wim", name="G4鹤壁治超点", unit_code="410611", lon=114.3, lat=35.7,
                 device_class=5.0, deduct_tolerance=False, calibrated_until=datetime(2023, 1, 1, tzinfo=TZ)),
            Site(site_id="W2", kind="wim", name="G4淇县治超点", unit_code="410611", lon=114.2, lat=35.6,
                 device_class=5.0, deduct_tolerance=True),
            Site(site_id="T1", kind="toll_station", name="鹤壁收费站", unit_code="410611", lon=114.3, lat=35.7),
        ])
        now = T0
        ses.add_all([
            Enterprise(enterprise_id="E1", name="鹤壁运输有限公司", kind="transport", unit_code="410611",
                       created_at=now, updated_at=now),
            Enterprise(enterprise_id="S1", name="淇滨砂石料场", kind="loading_source", unit_code="410611",
                       key_source=True, created_at=now, updated_at=now),
            Enterprise(enterprise_id="S2", name="郑州煤场", kind="loading_source", unit_code="410100",
                       created_at=now, updated_at=now),
            Vehicle(plate="豫F11111", plate_color="yellow", owner_name="张三", owner_kind="enterprise",
                    enterprise_id="E1", created_at=now, updated_at=now),
        ])
    rows = [
        wim("w1", "豫F11111", 0, 60000),  # over 49 t by 11 t
        wim("w2", "豫F11111", 30, 61000, site="W2"),  # same truck 30 min later: one event
        wim("w3", "豫F22222", 10, 49000),  # exactly at the limit: legal
        wim("w4", "豫F33333", 20, 105000),  # 百吨王, severe
        wim("w5", "", 25, 70000),  # unreadable plate: unidentified lead
        wim("w6", "豫F44444", 26, -5),  # impossible
        wim("w7", "豫F55555", 27, 40000, aw=[1000, 1000, 1000, 1000, 1000, 1000]),  # axle sum mismatch
        wim("w8", "豫F66666", 28, 30000, axles=1, kind="rigid"),  # unknown axle configuration
        wim("w9", "豫F11111", 300, 60000),  # same truck 5 h later: a second event
        wim("w10", "豫F77777", 40, 30000, height_mm=4300),  # dimension only
        wim("w11", "豫F99999", 50, 90000),  # over, but holds an oversize permit valid now
        wim("w12", "豫F99998", 50, 90000),  # over; its permit expired the day before
    ]
    from zhifa.permits.orm import OversizePermit

    with unit_of_work(container.db) as ses:
        for no, plate, until in (("P1", "豫F99999", T0 + timedelta(days=5)), ("P2", "豫F99998", T0 - timedelta(days=1))):
            ses.add(OversizePermit(permit_no=no, permit_class=2, plate=plate, plate_color="yellow", length_mm=18000,
                                   width_mm=2550, height_mm=4000, gross_weight_kg=95000, route=[], route_sites=[],
                                   valid_from=T0 - timedelta(days=10), valid_to=until, created_at=T0))
    write_batch(s.lake_dir, RECORD_TABLES["wim"], pl.DataFrame(rows), "b1")
    tolls = [entry("t1", "豫F11111", -60, 60000), entry("t2", "豫F22222", -30, 40000), entry("t3", "豫F88888", 5, 48000)]
    write_batch(s.lake_dir, RECORD_TABLES["toll_txn"], pl.DataFrame(tolls), "b2")
    return container


def run(c):
    with unit_of_work(c.db) as ses:
        return svc.run_day(ses, actor=SYSTEM, lake_dir=c.settings.lake_dir, day=DAY, now=T0 + timedelta(hours=20))


def test_run_determines_counts_and_creates_leads_once(world):
    rep = run(world)
    wim_rep = next(s for s in rep.sources if s.source == "wim")
    assert wim_rep.rows == 12
    assert wim_rep.counts["permitted"] == 1
    assert wim_rep.counts["reason:weight_nonpositive"] == 1
    assert wim_rep.counts["reason:axle_weights_mismatch"] == 1
    assert wim_rep.counts["reason:unknown_axle_config"] == 1
    assert wim_rep.counts["reason:plate_missing"] == 1
    assert wim_rep.counts["legal"] == 1
    with unit_of_work(world.db) as ses:
        leads = list(ses.execute(select(Lead)).scalars())
        by = {}
        for lead in leads:
            by.setdefault(lead.rule, []).append(lead)
        assert sorted((x.plate, x.start.hour) for x in by["overload"]) == [
            ("豫F11111", 7), ("豫F11111", 13), ("豫F33333", 8), ("豫F99998", 8)]
        # entry weighing at 07:00, WIM W1 at 08:00 and W2 at 08:30: one event across sources and points
        first = next(x for x in by["overload"] if x.plate == "豫F11111" and x.start == T0 - timedelta(minutes=60))
        assert first.end == T0 + timedelta(minutes=30)
        assert [(p["source"], p["record"]["record_id"]) for p in first.evidence["parts"]] == [
            ("entry", "t1"), ("wim", "w1"), ("wim", "w2")]
        assert first.evidence["source"] == "entry,wim"
        part = first.evidence["parts"][1]
        assert part["site"]["calibration_valid"] is True and len(part["record_sha256"]) == 64
        assert [p["name"] for p in part["photos"]] == ["w1_front.jpg", "w1_side.jpg"]
        assert first.evidence["proposed_penalty"]["proposed_yuan"] == 5500
        # the worst record of the event decides: W1 (no deduction) 11 000 kg over → 11 × 500;
        # W2 deducts 5 %: 61 000 − 3050 − 49 000 = 8950 kg over → 4000
        assert first.evidence["worst"]["record_id"] == "w1"
        assert [x.plate for x in by["overload_100t"]] == ["豫F33333"]
        assert "豫F99999" not in {x.plate for x in leads} and "豫F99998" in {x.plate for x in by["overload"]}
        assert by["overload_100t"][0].plate_color == "yellow" and by["overload_100t"][0].end >= by["overload_100t"][0].start
        assert len(by["overload_unidentified"]) == 1 and by["overload_unidentified"][0].plate is None
        assert by["overload_unidentified"][0].evidence["parts"][0]["photos"][0]["name"] == "w5_front.jpg"
        assert [x.plate for x in by["overload_dimension"]] == ["豫F77777"]
        assert all(x.rule_version == rep.rule_version for x in leads)
        n_leads = len(leads)
        dets = list(ses.execute(select(OverloadDetermination)).scalars())
        n_dets = len(dets)
        assert {d.record_id for d in dets if d.status == "not_determined" and d.source == "wim"} == {"w5", "w6", "w7", "w8"}
        stat = ses.execute(select(EntryWeighStat)).scalars().one()
        assert (stat.weighed, stat.over_limit, stat.refused) == (3, 1, 1)
    rep2 = run(world)
    assert rep2.leads_created == 0 and rep2.leads_duplicate == rep.leads_created
    with unit_of_work(world.db) as ses:
        assert len(list(ses.execute(select(Lead)).scalars())) == n_leads
        assert len(list(ses.execute(select(OverloadDetermination)).scalars())) == n_dets
        assert len(list(ses.execute(select(EntryWeighStat)).scalars())) == 1
        assert verify_chain(ses).ok


def _lead(c, rule, plate):
    with unit_of_work(c.db) as ses:
        return ses.execute(select(Lead).where(Lead.rule == rule, Lead.plate == plate).order_by(Lead.start)).scalars().first()


def test_reject_needs_a_reason_and_keeps_the_lead(world):
    run(world)
    lead = _lead(world, "overload", "豫F33333")
    with pytest.raises(ValidationFailed):
        with unit_of_work(world.db) as ses:
            svc.review(ses, actor=OFFICER, lead_id=lead.lead_id, decision="rejected", reason=" ", now=T0)
    with pytest.raises(NotFound):  # outside the jurisdiction
        with unit_of_work(world.db) as ses:
            svc.review(ses, actor=OTHER, lead_id=lead.lead_id, decision="rejected", reason="误检", now=T0)
    with unit_of_work(world.db) as ses:
        res = svc.review(ses, actor=OFFICER, lead_id=lead.lead_id, decision="rejected", reason="称重设备故障", now=T0)
        assert res.lead.status == "rejected" and res.case_id is None
    assert _lead(world, "overload", "豫F33333").review_reason == "称重设备故障"


def test_confirm_opens_a_case_when_the_cases_slice_exists_and_issues_a_pdf_notice(world, tmp_path):
    import importlib.util

    run(world)
    lead = _lead(world, "overload", "豫F11111")
    with unit_of_work(world.db) as ses:
        res = svc.review(ses, actor=OFFICER, lead_id=lead.lead_id, decision="confirmed", reason=None, now=T0,
                         documents_dir=tmp_path)
        has_cases = importlib.util.find_spec("zhifa.cases.service") is not None and hasattr(
            importlib.import_module("zhifa.cases.service"), "open_case_from_lead")
        if has_cases:
            assert res.case_id and res.lead.case_id == res.case_id
        assert res.notice is not None and res.notice.party_name == "鹤壁运输有限公司"
        path = res.notice.file_path
    data = open(path, "rb").read()
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    assert "豫F11111" in text and "超限运输违法行为告知书" in text and "鹤壁运输有限公司" in text


def test_unidentified_lead_cannot_be_confirmed_directly(world):
    run(world)
    with unit_of_work(world.db) as ses:
        lead = ses.execute(select(Lead).where(Lead.rule == "overload_unidentified")).scalars().one()
    with pytest.raises(ValidationFailed):
        with unit_of_work(world.db) as ses:
            svc.review(ses, actor=OFFICER, lead_id=lead.lead_id, decision="confirmed", reason=None, now=T0)


def test_lists_are_scoped_by_jurisdiction_and_filter_by_severity(world):
    run(world)
    with unit_of_work(world.db) as ses:
        rows, total = svc.list_determinations(ses, actor=OFFICER, severity="100t")
        assert total == 1 and rows[0].plate == "豫F33333" and rows[0].lon == 114.3
        assert svc.list_determinations(ses, actor=OTHER)[1] == 0
        _, n_city = svc.list_determinations(ses, actor=OFFICER, city_code="410600", severity="violation")
        assert n_city >= 4
        assert svc.trucks_100t(ses, actor=OFFICER)[0]["gross_kg"] == 105000
        rates = svc.entry_overload_rate(ses, actor=OFFICER, month="2022-03", by="city")
        assert rates == [{"city": "410600", "month": "2022-03", "weighed": 3, "over_limit": 1, "refused": 1,
                          "rate": pytest.approx(1 / 3)}]
        assert svc.entry_overload_rate(ses, actor=OTHER, month="2022-03") == []
        with pytest.raises(ValidationFailed):
            svc.entry_overload_rate(ses, actor=OFFICER, month="March")


def test_trace_back_attributes_the_truck_to_the_source_near_its_entry(world):
    run(world)
    with unit_of_work(world.db) as ses:
        n = svc.trace_back_day(ses, actor=SYSTEM, lake_dir=world.settings.lake_dir, day=DAY, now=T0)
        assert n == 4  # one per overload lead
        assert svc.trace_back_day(ses, actor=SYSTEM, lake_dir=world.settings.lake_dir, day=DAY, now=T0) == 0
        tasks = {(t.plate, t.weighed_at): t for t in ses.execute(select(TraceBackTask)).scalars()}
        t = tasks[("豫F11111", T0 - timedelta(minutes=60))]
        assert t.source_enterprise_id == "S1" and t.basis["entry_station"] == "T1" and t.confidence == 0.9
        t33 = tasks[("豫F33333", T0 + timedelta(minutes=20))]
        assert t33.basis["match"] == "weigh_county" and t33.confidence < 0.5
        task_id = t.task_id
    with pytest.raises(ValidationFailed):
        with unit_of_work(world.db) as ses:
            svc.close_trace_task(ses, actor=OFFICER, task_id=task_id, outcome="penalty", note="罚", fine_yuan=None, now=T0)
    with unit_of_work(world.db) as ses:
        t = svc.close_trace_task(ses, actor=OFFICER, task_id=task_id, outcome="rectification_order",
                                 note="责令源头单位整改称重设备", fine_yuan=None, now=T0)
        assert t.status == "closed"
        counts = svc.trace_counts_by_city(ses, actor=OFFICER)
        assert counts == [{"city": "410600", "open": 3, "closed": 1, "penalty": 0, "rectification_order": 1}]
