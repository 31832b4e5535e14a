"""A synthetic year of records across the slices, written as plain rows (for tests and benchmarks).

`populate(session, year=2022, scale=1, seed=7)` inserts rows of every table the figures read, spread
over the province's units and the year (and a smaller previous year, for year-over-year change), and
returns the inserted rows per table so a test can recount every figure in plain Python.
Scale 1 is about 4 000 rows; the benchmark uses larger scales.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from zhifa.db.base import Base
from zhifa.shared.clock import TZ

OUTCOMES = ("intercepted", "not_found", "passed")
CASE_CODES = ("RH-VEHICLE-LIC", "RH-DRIVER-LIC", "RH-PLATFORM-LIC", "RH-PLATFORM-DISPATCH", "OVS-NOPERMIT",
              "OVS-AGAINST", "OVL-MASS", "PAS-ILLEGAL", "GPS-OFF")
CASE_STATES = ("registered", "investigating", "notified", "decided", "closed", "archived")
LEAD_RULES = ("illegal_passenger", "gps_off", "oversize_off_route", "oversize_beyond_route", "overload_wim")
PLATFORMS = ("滴滴出行", "花小猪", "曹操出行", "T3出行", "美团打车")


def _units(session: Session) -> tuple[list[str], list[str]]:
    from zhifa.org.orm import Unit

    rows = session.execute(select(Unit.unit_code, Unit.level)).all()
    cities = [u for u, lv in rows if lv == "city"]
    counties = [u for u, lv in rows if lv == "county"]
    return cities, counties


def _dt(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 1, tzinfo=TZ)
    return start + timedelta(seconds=rng.randrange(365 * 86400))


def _d(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def populate(session: Session, *, year: int = 2022, scale: int = 1, seed: int = 7,
             previous_fraction: float = 0.6, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Insert a year (plus part of the previous year) of rows; return them per table."""
    rng = random.Random(seed)
    cities, counties = _units(session)
    assert cities, "units must be seeded first"
    # Activity is skewed: a few busy cities, as in the document (查处数量最多 …).
    weights = {u: 1.0 + 6.0 * (i % 5 == 0) for i, u in enumerate(cities + counties)}
    all_units = cities + counties

    def unit() -> str:
        return rng.choices(all_units, weights=[weights[u] for u in all_units])[0]

    now = now or datetime(year + 1, 1, 10, 9, 0, tzinfo=TZ)
    out: dict[str, list[dict[str, Any]]] = {}

    def add(table: str, row: dict[str, Any]) -> None:
        out.setdefault(table, []).append(row)

    seq = [0]

    def nid(prefix: str) -> str:
        seq[0] += 1
        return f"{prefix}{seq[0]:09d}"

    for y, frac in ((year, 1.0), (year - 1, previous_fraction)):
        n = max(1, int(scale * frac))

        def dt(y: int = y) -> datetime:
            return _dt(rng, y)

        def d(y: int = y) -> date:
            return _d(rng, y)

        # sites: WIM points and video points, built across years
        for _ in range(8 * n):
            u = unit()
            kind = rng.choice(("wim", "wim", "video", "gantry"))
            add("sites", {"site_id": nid("S"), "kind": kind, "name": f"{kind}-{seq[0]}", "unit_code": u,
                          "lon": 112 + rng.random() * 3, "lat": 32.5 + rng.random() * 3,
                          "built_on": datetime.combine(d(), datetime.min.time(), tzinfo=TZ)})
        wim_sites = [s for s in out["sites"] if s["kind"] == "wim"]
        # watch-list, hits, interception tasks
        for _ in range(60 * n):
            t = dt()
            e = {"entry_id": nid("W"), "plate": f"豫A{rng.randrange(10**5):05d}", "plate_color": "blue",
                 "reason": "疑似非法营运", "source": rng.choice(("manual", "detector", "forwarded")),
                 "issued_by_unit": unit(), "priority": 2, "valid_from": t, "valid_to": t + timedelta(days=30),
                 "status": "active", "created_by": "synth", "created_at": t}
            add("watchlist", e)
            for _k in range(rng.randrange(0, 3)):
                u = unit()
                ht = t + timedelta(hours=rng.randrange(1, 600))
                hit = {"hit_id": nid("H"), "record_id": nid("R"), "entry_id": e["entry_id"], "record_kind": "gantry",
                       "site_id": "G1", "event_time": ht, "plate_read": e["plate"], "plate": e["plate"],
                       "plate_color": "blue", "match_kind": "exact", "confidence": 1.0, "late": False,
                       "unit_code": e["issued_by_unit"], "created_at": ht}
                add("watch_hits", hit)
                answered = rng.random() < 0.85
                at = ht + timedelta(minutes=rng.randrange(5, 90)) if answered else None
                add("intercept_tasks", {
                    "task_id": nid("T"), "hit_id": hit["hit_id"], "last_hit_id": hit["hit_id"],
                    "entry_id": e["entry_id"], "plate": e["plate"], "plate_color": "blue", "station_id": "TS1",
                    "unit_code": u, "priority": 2, "distance_m": 5000, "eta": ht + timedelta(minutes=10),
                    "deadline": ht + timedelta(minutes=60), "last_event_time": ht,
                    "status": "answered" if answered else "open",
                    "outcome": rng.choice(OUTCOMES) if answered else None, "answered_at": at,
                    "answered_late": (rng.random() < 0.1) if answered else None,
                    "escalation_level": 0, "created_at": ht, "updated_at": at or ht})
        # forwarded leads (抄告)
        for _ in range(20 * n):
            t = dt()
            closed = rng.random() < 0.7
            add("forwarded_leads", {"lead_id": nid("F"), "external_ref": nid("X"), "source_unit": "420000",
                                    "category": rng.choice(("third_class", "third_class", "overload")),
                                    "facts": "抄告", "unit_code": unit(), "status": "closed" if closed else "received",
                                    "received_at": t, "closed_at": t + timedelta(days=3) if closed else None})
        # joint operations
        for _ in range(3 * n):
            s0 = d()
            add("joint_operations", {"operation_id": nid("J"), "title": "打非治违联合行动", "unit_code": unit(),
                                     "partners": ["公安交警"], "areas": [], "start": s0, "end": s0 + timedelta(days=5),
                                     "vehicles_checked": 500, "vehicles_handled": rng.randrange(10, 400), "case_ids": []})
        # cases and exemptions
        for _ in range(80 * n):
            t = dt()
            code = rng.choice(CASE_CODES)
            u = unit()
            party = rng.choice(PLATFORMS) if code.startswith("RH-PLATFORM") else f"当事人{rng.randrange(500)}"
            c = {"case_id": nid("C"), "case_code": nid("K")[-16:], "unit_code": u, "procedure": "ordinary",
                 "status": rng.choice(CASE_STATES), "catalogue_code": code, "catalogue_version": "2021-07-15",
                 "procedure_version": "p", "calendar_version": "c", "legal_basis": "—", "proposed_fine_yuan": 1000,
                 "party_name": party, "party_kind": "enterprise" if code.startswith("RH-PLATFORM") else "person",
                 "plate": f"豫B{rng.randrange(300):05d}", "facts": "—", "act_on": t.date(), "officer": "synth",
                 "overdue": rng.random() < 0.1, "registered_at": t, "created_at": t, "paid_fen": 0, "surcharge_fen": 0}
            add("cases", c)
            if rng.random() < 0.25:
                add("case_exemptions", {"application_id": nid("E"), "case_id": c["case_id"], "unit_code": u,
                                        "item_code": "X", "list_version": "2022", "answers": {},
                                        "effect": rng.choice(("no_penalty", "reduced")), "reason": "—",
                                        "fine_before": 1000, "fine_after": 0, "applied_by": "synth",
                                        "applied_at": t + timedelta(days=1)})
        # leads
        for _ in range(50 * n):
            t = dt()
            add("leads", {"lead_id": nid("L"), "rule": rng.choice(LEAD_RULES), "start": t, "end": t,
                          "unit_code": unit(), "explanation": "—", "evidence": {}, "dedup_key": nid("D"),
                          "status": rng.choice(("open", "confirmed", "rejected")), "created_at": t})
        # overload determinations and entry weighing
        for _ in range(120 * n):
            t = dt()
            site = rng.choice(wim_sites) if wim_sites and rng.random() < 0.6 else None
            gross = rng.randrange(30_000, 130_000)
            add("overload_determinations", {
                "det_id": nid("O"), "source": "wim" if site else rng.choice(("static", "entry")),
                "record_id": nid("R"), "site_id": site["site_id"] if site else None,
                "unit_code": site["unit_code"] if site else unit(), "measured_at": t, "gross_kg": gross,
                "tolerance_kg": 0, "excess_kg": 0, "excess_rate": 0.0, "over_height_mm": 0, "over_width_mm": 0,
                "over_length_mm": 0, "mass_violation": True,
                "status": "violation" if rng.random() < 0.85 else "not_determined",
                "is_100t": gross >= 100_000, "is_severe": False, "rule_version": "v", "created_at": t})
        for i in range(30 * n):
            weighed = rng.randrange(100, 1000)
            add("overload_entry_stats", {"day": d(), "station_id": f"TS{i}-{seq[0]}", "unit_code": unit(),
                                         "weighed": weighed, "over_limit": rng.randrange(0, weighed // 20 + 1),
                                         "refused": 0, "not_determined": 0, "rule_version": "v"})
        # loading sources, trace-backs
        for _ in range(6 * n):
            pub = d() if rng.random() < 0.7 else None
            add("enterprises", {"enterprise_id": nid("N"), "name": f"源头{seq[0]}", "kind": "loading_source",
                                "unit_code": unit(), "key_source": pub is not None, "published_on": pub,
                                "created_at": dt(), "updated_at": dt()})
        for _ in range(15 * n):
            t = dt()
            oc = rng.choice(("rectification_order", "penalty", "no_violation", None))
            add("overload_traceback_tasks", {"task_id": nid("B"), "lead_id": nid("L"), "weighed_at": t,
                                             "unit_code": unit(), "confidence": 0.8, "basis": {},
                                             "status": "closed" if oc else "open", "outcome": oc,
                                             "fine_yuan": rng.randrange(1, 50) * 1000 if oc == "penalty" else None,
                                             "created_at": t})
        # credit listings
        for _ in range(12 * n):
            kind = rng.choice(("truck", "driver", "enterprise"))
            add("credit_listings", {"listing_id": nid("Q"), "subject_kind": kind,
                                    "subject_id": f"{kind}-{rng.randrange(40)}", "subject_name": "—",
                                    "unit_code": unit(), "criterion": nid("c"), "violation_count": 3,
                                    "event_refs": [], "entered_on": d(), "status": "published", "rule_version": "v",
                                    "watch_flagged": False, "created_at": dt()})
        # supervision
        for _ in range(2 * n):
            rid = nid("I")
            s0 = d()
            add("inspection_rounds", {"round_id": rid, "title": "暗访", "kind": rng.choice(("open", "secret")),
                                      "unit_code": "410000", "units_visited": [], "start": s0, "end": s0,
                                      "created_at": dt()})
            for _k in range(rng.randrange(3, 10)):
                add("inspection_findings", {"finding_id": nid("P"), "round_id": rid, "unit_code": unit(),
                                            "description": "—", "rectified": rng.random() < 0.8, "found_on": d()})
        for _ in range(5 * n):
            add("accountability", {"record_id": nid("A"), "unit_code": unit(), "officer_name": "某",
                                   "kind": rng.choice(("organisational", "organisational", "judicial")),
                                   "measure": "诫勉谈话", "reason": "—", "decided_on": d()})
        for _ in range(15 * n):
            t = dt()
            sat = rng.choice(("satisfied", "satisfied", "dissatisfied", None))
            add("work_orders", {"order_id": nid("Z"), "number": nid("豫督"), "issued_by_unit": "410000",
                                "unit_code": unit(), "year": t.year, "seq": seq[0], "source": "complaint",
                                "title": "—", "description": "", "status": "closed", "due_date": t.date(),
                                "params_version": "v", "urge_count": 0, "reopen_count": 0, "satisfaction": sat,
                                "assigned_at": t, "closed_at": t + timedelta(days=2), "created_by": "synth"})
        # complaints and barriers
        for _ in range(30 * n):
            t = dt()
            add("complaints", {"complaint_id": nid("M"), "receipt_code": nid("r")[-16:],
                               "category": rng.choice(("barrier", "enforcement_conduct", "illegal_operation")),
                               "lon": 113.0, "lat": 34.0, "description": "—", "photos": [], "real_name": False,
                               "unit_code": unit(), "status": rng.choice(("received", "resolved", "closed", "rejected")),
                               "reward_yuan": rng.choice((None, None, 200)), "opinion_incident": rng.random() < 0.1,
                               "channel": "web", "created_at": t})
        for _ in range(6 * n):
            st = rng.choice(("approved", "removed", "illegal"))
            reg = d()
            add("barriers", {"barrier_id": nid("V"), "name": "限高架", "road": "G107", "lon": 113.0, "lat": 34.0,
                             "owner": "乡政府", "unit_code": unit(), "status": st,
                             "approval_no": "审-1" if st == "approved" else None, "signboard": st == "approved",
                             "registered_on": reg, "removed_on": reg + timedelta(days=10) if st == "removed" else None})

        # vehicles held at check stations (O8), some past their deadline
        for _ in range(5 * n):
            t = dt()
            over = rng.random() < 0.4
            add("held_vehicles", {"held_id": nid("D"), "plate": f"豫A{rng.randrange(10**5):05d}",
                                  "plate_color": "yellow", "station_id": "CS1", "unit_code": unit(),
                                  "reason": "超限未卸载", "held_at": t, "deadline": t + timedelta(days=15),
                                  "rule_version": "held-2021.1", "status": "cleared", "overdue": over,
                                  "service_note": "一对一服务", "cleared_at": t + timedelta(days=20 if over else 5),
                                  "cleared_by": "synth"})

        # roads (advertising clean-up) and training (sessions, attendance, satisfaction surveys)
        for _ in range(10 * n):
            st = rng.choice(("to_clear", "cleared", "cleared", "approved"))
            u = unit()
            reg = dt()
            add("road_ads", {"ad_id": nid("AD"), "unit_code": u, "city_code": u[:4] + "00", "owner": "某广告公司",
                             "kind": "单立柱", "lon": 113.0, "lat": 34.0, "status": st, "registered_at": reg,
                             "cleared_on": d() if st == "cleared" else None, "updated_at": reg})
        course = nid("TC")
        add("training_courses", {"course_id": course, "title": "执法业务", "category": "law", "hours": 8.0,
                                 "mode": "offline", "unit_code": "410000", "created_at": dt()})
        for _ in range(3 * n):
            sid, s0 = nid("TS"), d()
            add("training_sessions", {"session_id": sid, "course_id": course, "unit_code": unit(), "starts_on": s0,
                                      "ends_on": s0 + timedelta(days=2), "place": "郑州", "created_at": dt()})
            for k in range(rng.randrange(5, 25)):
                add("training_attendance", {"attendance_id": nid("TA"), "session_id": sid, "username": f"u{k}",
                                            "unit_code": unit(), "hours": 8.0, "completed_on": s0 + timedelta(days=2),
                                            "recorded_at": dt()})
        survey = nid("SV")
        add("training_surveys", {"survey_id": survey, "unit_code": "410000", "year": y, "title": "满意度测评",
                                 "questions": ["总体满意度"], "open": True, "created_at": dt()})
        for _ in range(25 * n):
            add("training_survey_responses", {"response_id": nid("SR"), "survey_id": survey, "unit_code": unit(),
                                              "scores": [rng.randrange(1, 6)], "comment": "",
                                              "respondent": rng.choice(("public", "party")), "submitted_at": dt()})

    from zhifa.reports.figures import db_has_table, ensure_models

    ensure_models()
    for table in [t for t in out if t not in Base.metadata.tables or not db_has_table(session, t)]:
        del out[table]  # a slice not in this database: its rows are not written and not returned
    for table, rows in out.items():
        t = Base.metadata.tables[table]
        for i in range(0, len(rows), 2000):
            session.execute(insert(t), rows[i:i + 2000])
    session.flush()
    return out
