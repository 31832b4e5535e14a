"""Case handling against the database (SQLite by default): workflow guards, documents, exemptions,
deadlines, linked cases, payments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from zhifa.cases import service as cs
from zhifa.cases.documents import DocumentStore, next_number
from zhifa.cases.model import CaseStatus
from zhifa.cases.orm import Case, CaseDocument, DeadlineAlert, PaymentCallback
from zhifa.cases.payment import SimulatedScanPay, derive_key
from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.shared.access import Actor, Role
from zhifa.shared.audit import history, verify_chain
from zhifa.shared.clock import TZ
from zhifa.shared.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed

UNIT = "410105"
OFFICER = Actor(username="off1", role=Role.OFFICER, unit_code=UNIT, unit_codes=frozenset({UNIT}))
REVIEWER = Actor(username="rev1", role=Role.LEGAL_REVIEWER, unit_code=UNIT, unit_codes=frozenset({UNIT}))
ADMIN = Actor(username="adm", role=Role.ADMIN, unit_code="410000", unit_codes=None)
OTHER = Actor(username="off2", role=Role.OFFICER, unit_code="410300", unit_codes=frozenset({"410300"}))
T0 = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)  # Tuesday


def open_gps(s, **kw):
    args = dict(actor=OFFICER, catalogue_code="GPS-OFF", proposed_fine_yuan=3000, facts="关闭动态监控运营",
                party_name="张三", party_kind="person", act_on=date(2022, 2, 20), now=T0, plate="豫A12345",
                e_service_consent=True)
    args.update(kw)
    return cs.open_case(s, **args)


def go(s, case, target, when, actor=OFFICER, **kw):
    return cs.advance(s, actor=actor, case_id=case.case_id, target=target, now=when, **kw)


# ---------------------------------------------------------------- opening


def test_open_case_stores_item_version_and_deadline(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        assert c.catalogue_version == "2021.1" and c.procedure_version == "2021.12"
        assert c.decision_due == date(2022, 5, 30)
        assert c.registered_at == T0 and c.status == "registered"
        assert [e.action for e in history(s, "case", c.case_id)] == ["cases.open"]


def test_penalty_outside_range_is_refused_and_nothing_stored(db):
    with pytest.raises(ValidationFailed, match="法定幅度"):
        with unit_of_work(db) as s:
            open_gps(s, proposed_fine_yuan=6000)
    with unit_of_work(db) as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 0


def test_limitation_period_checked_at_registration(db):
    with pytest.raises(ValidationFailed, match="第三十六条"):
        with unit_of_work(db) as s:
            open_gps(s, act_on=date(2020, 2, 28))
    with unit_of_work(db) as s:
        open_gps(s, act_on=date(2020, 3, 1))


def test_summary_procedure_refused_above_threshold(db):
    with pytest.raises(ValidationFailed, match="简易程序"):
        with unit_of_work(db) as s:
            open_gps(s, procedure="summary")
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=200, procedure="summary")
        go(s, c, "decided", T0 + timedelta(minutes=5))
        assert c.fine_yuan == 200 and c.decided_at is not None


def test_officer_of_another_unit_cannot_see_the_case(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
    with unit_of_work(db) as s, pytest.raises(NotFound):
        cs.access_case(s, OTHER, c.case_id)


def test_open_case_from_lead_links_the_lead(db):
    with unit_of_work(db) as s:
        lead = Lead(lead_id="L1", rule="gps_off", plate="豫A99999", start=T0 - timedelta(days=3), end=T0 - timedelta(days=3),
                    unit_code=UNIT, explanation="x", evidence={}, dedup_key="k1", status="confirmed", created_at=T0)
        s.add(lead)
        s.flush()
        c = cs.open_case_from_lead(s, actor=OFFICER, lead=lead, catalogue_code="GPS-OFF", proposed_fine_yuan=2000,
                                   facts="关闭动态监控", party_name="某运输公司", party_kind="enterprise", now=T0)
        assert lead.case_id == c.case_id and c.lead_id == "L1" and c.plate == "豫A99999"
        assert c.act_on == date(2022, 2, 26)
        with pytest.raises(Conflict):
            cs.open_case_from_lead(s, actor=OFFICER, lead=lead, catalogue_code="GPS-OFF", proposed_fine_yuan=2000,
                                   facts="x", party_name="y", party_kind="enterprise", now=T0)


def test_ride_hailing_trip_opens_two_linked_cases_with_own_articles(db):
    trip = cs.RideHailingTrip(plate="豫A6D123", driver_name="李四", platform_name="某出行平台", act_on=date(2022, 2, 25),
                              facts="无证网约车载客运营")
    with unit_of_work(db) as s:
        a, b = cs.open_linked_ride_hailing_cases(s, actor=OFFICER, trip=trip, party_fine_yuan=5000,
                                                 platform_fine_yuan=8000, now=T0)
        assert a.linked_group == b.linked_group
        assert "第三十四条" in a.legal_basis and "第三十五条" in b.legal_basis
        assert (a.party_kind, b.party_kind) == ("person", "enterprise")
        assert [c.case_id for c in cs.linked_cases(s, actor=OFFICER, case=a)] == [b.case_id]
    with pytest.raises(ValidationFailed):  # platform fine out of range: neither case opens
        with unit_of_work(db) as s:
            cs.open_linked_ride_hailing_cases(s, actor=OFFICER, trip=trip, party_fine_yuan=5000,
                                              platform_fine_yuan=40000, now=T0)
    with unit_of_work(db) as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 2


# ---------------------------------------------------------------- workflow guards


def test_out_of_order_transition_is_refused_and_recorded_nowhere(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
    with pytest.raises(IllegalTransition):
        with unit_of_work(db) as s:
            go(s, c, "served", T0)
    with unit_of_work(db) as s:
        assert s.get(Case, c.case_id).status == "registered"
        assert len(history(s, "case", c.case_id)) == 1


def test_decision_before_defence_window_without_statement_is_refused(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        assert c.defence_due == date(2022, 3, 8)
        with pytest.raises(ValidationFailed, match="陈述申辩期限"):
            go(s, c, "decided", T0 + timedelta(days=2))
        go(s, c, "decided", datetime(2022, 3, 9, 9, tzinfo=TZ))
        assert c.fine_yuan == 3000


def test_decision_without_required_legal_review_is_refused(db):
    with unit_of_work(db) as s:
        c = open_gps(s, complex_case=True)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        later = datetime(2022, 3, 10, 9, tzinfo=TZ)
        with pytest.raises(ValidationFailed, match="法制审核"):
            go(s, c, "decided", later)
        go(s, c, "legal_review", later)
        with pytest.raises(PermissionDenied):
            go(s, c, "decided", later)  # the officer cannot pass their own review
        go(s, c, "decided", later, actor=REVIEWER)
        assert c.legal_review_passed and c.status == "decided"


def test_hearing_request_makes_review_required(db):
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="PAS-ILLEGAL", proposed_fine_yuan=30000)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        cs.submit_statement(s, case=c, kind="hearing_request", text="", now=T0 + timedelta(days=1))
        assert c.hearing_requested and cs.review_required(c)
        with pytest.raises(ValidationFailed, match="法制审核"):
            go(s, c, "decided", T0 + timedelta(days=10))


def test_hearing_request_below_threshold_is_refused(db):
    with unit_of_work(db) as s:
        c = open_gps(s, proposed_fine_yuan=4999 if False else 5000, party_kind="enterprise", party_name="某公司")
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        with pytest.raises(ValidationFailed, match="听证"):
            cs.submit_statement(s, case=c, kind="hearing_request", text="", now=T0)


def test_defence_after_the_window_is_refused(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        with pytest.raises(ValidationFailed, match="届满"):
            cs.submit_statement(s, case=c, kind="defence", text="我有异议", now=datetime(2022, 3, 9, 9, tzinfo=TZ))


def test_decision_may_not_exceed_the_notified_fine(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)
        cs.submit_statement(s, case=c, kind="defence", text="初次违法", now=T0)
        with pytest.raises(ValidationFailed, match="加重"):
            go(s, c, "decided", T0 + timedelta(days=1), fine_yuan=4000)
        with pytest.raises(ValidationFailed, match="法定幅度"):
            go(s, c, "decided", T0 + timedelta(days=1), fine_yuan=1000)
        go(s, c, "decided", T0 + timedelta(days=1), fine_yuan=2000)
        assert c.fine_yuan == 2000


def test_electronic_service_needs_consent(db):
    with unit_of_work(db) as s:
        c = open_gps(s, e_service_consent=False, catalogue_code="OVL-DIM", proposed_fine_yuan=100, procedure="summary")
        go(s, c, "decided", T0)
        with pytest.raises(ValidationFailed, match="电子送达"):
            go(s, c, "served", T0)
        go(s, c, "served", T0, service_channel="direct")
        assert c.payment_due == date(2022, 3, 16)


def test_not_penalised_needs_a_reason_and_closing_unpaid_needs_one_too(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        with pytest.raises(ValidationFailed):
            go(s, c, "not_penalised", T0)
        go(s, c, "not_penalised", T0, reason="违法事实不能成立")
        go(s, c, "closed", T0)
        go(s, c, "archived", T0)
        assert c.archived_at == T0
        with pytest.raises(IllegalTransition):
            go(s, c, "closed", T0)
        d = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=100, procedure="summary")
        for st in ("decided", "served", "enforcing"):
            go(s, d, st, T0)
        with pytest.raises(ValidationFailed, match="尚未缴清"):
            go(s, d, "closed", T0)
        go(s, d, "closed", T0, reason="已申请人民法院强制执行")


def test_every_state_is_timestamped_along_the_full_path(db):
    with unit_of_work(db) as s:
        c = open_gps(s, complex_case=True)
        path = ["investigating", "notified", "legal_review", "decided", "served", "enforcing"]
        t = T0
        for st in path:
            t += timedelta(days=3)
            go(s, c, st, t, actor=REVIEWER if st == "decided" else OFFICER)
            assert getattr(c, f"{st}_at") == t
        actions = [e.action for e in history(s, "case", c.case_id)]
        assert actions == ["cases.open"] + [f"cases.{p}" for p in path]
        assert verify_chain(s).ok


# ---------------------------------------------------------------- exemptions


def test_exemption_with_all_conditions_ends_the_case_unpenalised(db):
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="GPS-OFFLINE", proposed_fine_yuan=800, party_kind="enterprise", party_name="甲公司",
                     act_on=date(2023, 1, 5), now=datetime(2023, 1, 10, 9, tzinfo=TZ))
        app = cs.apply_exemption(s, actor=OFFICER, case_id=c.case_id, item_code="EX-GPS-ONLINE",
                                 answers={"first_offence": True, "no_obstruction": True, "not_operator_fault": True},
                                 reason="首次违法，设备故障非经营者原因", now=datetime(2023, 1, 10, 10, tzinfo=TZ))
        assert c.status == "not_penalised" and c.proposed_fine_yuan == 0 and app.list_version == "2022.1"
        assert cs.exemption_counts(s, actor=OFFICER) == {UNIT: {"exempted": 1, "reduced": 0}}


@pytest.mark.parametrize("cond", ["first_offence", "no_obstruction", "not_operator_fault"])
def test_exemption_refused_when_one_condition_fails(db, cond):
    now = datetime(2023, 1, 10, 9, tzinfo=TZ)
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="GPS-OFFLINE", proposed_fine_yuan=800, act_on=date(2023, 1, 5), now=now)
        answers = {"first_offence": True, "no_obstruction": True, "not_operator_fault": True, cond: False}
        with pytest.raises(ValidationFailed, match="不符合"):
            cs.apply_exemption(s, actor=OFFICER, case_id=c.case_id, item_code="EX-GPS-ONLINE", answers=answers,
                               reason="r", now=now)
        assert c.status == "registered"


def test_first_offence_claim_is_checked_against_earlier_penalties(db):
    now = datetime(2023, 1, 10, 9, tzinfo=TZ)
    with unit_of_work(db) as s:
        old = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=100, procedure="summary", act_on=date(2023, 1, 1), now=now)
        go(s, old, "decided", now)
        c = open_gps(s, catalogue_code="GPS-OFFLINE", proposed_fine_yuan=800, act_on=date(2023, 1, 5),
                     now=now + timedelta(hours=1))
        with pytest.raises(ValidationFailed, match="初次违法"):
            cs.apply_exemption(s, actor=OFFICER, case_id=c.case_id, item_code="EX-GPS-ONLINE",
                               answers={"first_offence": True, "no_obstruction": True, "not_operator_fault": True},
                               reason="r", now=now)


def test_reduction_item_lowers_the_fine_and_is_counted(db):
    now = datetime(2023, 1, 10, 9, tzinfo=TZ)
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="RH-DRIVER-LIC", proposed_fine_yuan=1000, act_on=date(2023, 1, 5), now=now)
        cs.apply_exemption(s, actor=OFFICER, case_id=c.case_id, item_code="RD-RH-DRIVER",
                           answers={"first_offence": True, "no_obstruction": True, "corrected": True}, reason="当场出示", now=now)
        assert c.proposed_fine_yuan == 500 and c.status == "registered"
        assert cs.exemption_counts(s, actor=ADMIN) == {UNIT: {"exempted": 0, "reduced": 1}}


def test_admin_publishes_a_new_exemption_list_version(db):
    with unit_of_work(db) as s:
        _, items = cs.exemptions_on(s, date(2023, 6, 1))
        rs, _ = cs.exemptions_on(s, date(2023, 6, 1))
        payload = dict(rs.payload)
        payload["items"] = [i for i in payload["items"] if i["code"] != "EX-DIM-MINOR"]
        with pytest.raises(PermissionDenied):
            cs.publish_rule_version(s, actor=OFFICER, kind="exemptions", version="2023.1", effective_from=date(2023, 6, 1),
                                    payload=payload, source="调整", now=T0)
        cs.publish_rule_version(s, actor=ADMIN, kind="exemptions", version="2023.1", effective_from=date(2023, 6, 1),
                                payload=payload, source="省厅2023年调整", now=T0)
        assert "EX-DIM-MINOR" in cs.exemptions_on(s, date(2023, 5, 31))[1]
        rs2, items2 = cs.exemptions_on(s, date(2023, 6, 1))
        assert rs2.version == "2023.1" and "EX-DIM-MINOR" not in items2
        bad = dict(payload, items=[{**payload["items"][0], "conditions": ["nonsense"]}])
        with pytest.raises(ValidationFailed, match="未定义"):
            cs.publish_rule_version(s, actor=ADMIN, kind="exemptions", version="2023.2", effective_from=date(2023, 7, 1),
                                    payload=bad, source="x", now=T0)


# ---------------------------------------------------------------- deadlines


def test_sweep_raises_reminders_then_overdue_flags_once(db):
    with unit_of_work(db) as s:
        c = open_gps(s)
        go(s, c, "investigating", T0)
        go(s, c, "notified", T0)  # defence due 8 Mar
    with unit_of_work(db) as s:
        r = cs.sweep_deadlines(s, datetime(2022, 3, 7, 8, tzinfo=TZ))
        assert (r.reminders, r.overdue) == (1, 0)
    with unit_of_work(db) as s:
        assert cs.sweep_deadlines(s, datetime(2022, 3, 7, 9, tzinfo=TZ)).reminders == 0  # idempotent
    with unit_of_work(db) as s:
        r = cs.sweep_deadlines(s, datetime(2022, 3, 9, 8, tzinfo=TZ))
        assert r.overdue == 1 and s.get(Case, c.case_id).overdue
    with unit_of_work(db) as s:  # the 90-day decision deadline (30 May) nears and passes
        r = cs.sweep_deadlines(s, datetime(2022, 5, 31, 8, tzinfo=TZ))
        kinds = {(a.deadline, a.kind) for a in s.execute(select(DeadlineAlert)).scalars()}
        assert ("decision", "overdue") in kinds and ("defence", "overdue") in kinds


# ---------------------------------------------------------------- documents


def test_document_numbers_have_no_gaps_per_unit_year_and_kind(db):
    with unit_of_work(db) as s:
        assert next_number(s, unit_code=UNIT, year=2022, kind="decision") == "豫交执罚〔2022〕410105-0001号"
        assert next_number(s, unit_code=UNIT, year=2022, kind="decision") == "豫交执罚〔2022〕410105-0002号"
        assert next_number(s, unit_code=UNIT, year=2023, kind="decision").endswith("-0001号")
        assert next_number(s, unit_code="410300", year=2022, kind="decision").endswith("410300-0001号")
    with pytest.raises(RuntimeError):  # a rolled-back step gives its number back
        with unit_of_work(db) as s:
            next_number(s, unit_code=UNIT, year=2022, kind="decision")
            raise RuntimeError
    with unit_of_work(db) as s:
        assert next_number(s, unit_code=UNIT, year=2022, kind="decision").endswith("-0003号")


def test_full_path_with_documents_portal_and_payment(db, settings):
    store = DocumentStore.from_settings(settings)
    pay = SimulatedScanPay.from_settings(settings)
    with unit_of_work(db) as s:
        c = open_gps(s, docs=store)
        cs.add_evidence(s, actor=OFFICER, case_id=c.case_id, name="监控截图.png", content=b"\x89PNG fake",
                        evidence_dir=settings.evidence_dir, now=T0)
        go(s, c, "investigating", T0, docs=store)
        go(s, c, "notified", T0, docs=store)
        code, plate = c.case_code, c.plate
    with unit_of_work(db) as s:
        with pytest.raises(NotFound) as wrong_code:
            cs.portal_find(s, plate=plate, case_code="ZZZZZZZZZZ")
        with pytest.raises(NotFound) as wrong_plate:
            cs.portal_find(s, plate="豫B00000", case_code=code)
        assert wrong_code.value.message == wrong_plate.value.message
        found = cs.portal_find(s, plate=plate.lower(), case_code=code.lower())
        cs.submit_statement(s, case=found, kind="defence", text="车辆故障，并非故意", now=T0 + timedelta(days=1))
    t_dec = T0 + timedelta(days=2)
    with unit_of_work(db) as s:
        go(s, c, "decided", t_dec, docs=store)
        go(s, c, "served", t_dec, docs=store)
        docs = {d.kind: d for d in s.execute(select(CaseDocument).where(CaseDocument.case_id == c.case_id)).scalars()}
        assert set(docs) == {"register", "notice", "decision", "service_receipt"}
        assert docs["decision"].number == "豫交执罚〔2022〕410105-0001号"
        pdf = store.read(docs["decision"])
        assert pdf.startswith(b"%PDF") and store.path_for(docs["decision"].sha256).exists()
        case = s.get(Case, c.case_id)
        order = cs.create_payment_order(s, case=case, provider=pay, now=t_dec)
        assert order.amount_fen == 300000
        order_no = order.order_no
    paid_at = t_dec + timedelta(minutes=3)
    body, headers = pay.build_callback(order_no=order_no, amount_fen=300000, paid_at=paid_at)
    # bad signature: refused, recorded, case untouched
    with pytest.raises(ValidationFailed, match="签名"):
        cs.receive_payment_callback(db, provider=pay, body=body, headers={"x-zhifa-signature": "0" * 64}, now=paid_at)
    cs.receive_payment_callback(db, provider=pay, body=body, headers=headers, now=paid_at)
    with pytest.raises(ValidationFailed, match="重放"):
        cs.receive_payment_callback(db, provider=pay, body=body, headers=headers, now=paid_at)
    body2, headers2 = pay.build_callback(order_no=order_no, amount_fen=300000, paid_at=paid_at)  # fresh nonce, same order
    with pytest.raises(ValidationFailed, match="重复"):
        cs.receive_payment_callback(db, provider=pay, body=body2, headers=headers2, now=paid_at)
    with unit_of_work(db) as s:
        case = s.get(Case, c.case_id)
        assert case.status == "closed" and case.paid_fen == 300000 and case.surcharge_fen == 0
        assert case.enforcing_at == paid_at and case.closed_at == paid_at
        outcomes = [r.outcome for r in s.execute(select(PaymentCallback).order_by(PaymentCallback.received_at)).scalars()]
        assert sorted(outcomes) == ["accepted", "refused", "refused", "refused"]
        go(s, case, "archived", paid_at)
        store.issue(s, actor=OFFICER, case=case, kind="closing_report", now=paid_at)
        blob = store.case_file(s, case, paid_at)
        assert blob.startswith(b"%PDF")
        from io import BytesIO

        from pypdf import PdfReader

        reader = PdfReader(BytesIO(blob))
        assert len(reader.pages) >= 6
        text = reader.pages[0].extract_text()
        assert "卷内文书目录" in text and "410105-0001" in text
        assert verify_chain(s).ok


def test_late_payment_includes_the_surcharge(db, settings):
    pay = SimulatedScanPay.from_settings(settings)
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=200, procedure="summary")
        go(s, c, "decided", T0)
        go(s, c, "served", T0)  # due 16 Mar
        late = datetime(2022, 3, 20, 9, tzinfo=TZ)
        order = cs.create_payment_order(s, case=c, provider=pay, now=late)
        assert order.amount_fen == 20000 + 4 * 600
    body, headers = pay.build_callback(order_no=order.order_no, amount_fen=order.amount_fen, paid_at=late)
    cs.receive_payment_callback(db, provider=pay, body=body, headers=headers, now=late)
    with unit_of_work(db) as s:
        assert s.get(Case, c.case_id).surcharge_fen == 2400


def test_wrong_amount_is_refused(db, settings):
    pay = SimulatedScanPay.from_settings(settings)
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=200, procedure="summary")
        go(s, c, "decided", T0)
        go(s, c, "served", T0)
        order = cs.create_payment_order(s, case=c, provider=pay, now=T0)
    body, headers = pay.build_callback(order_no=order.order_no, amount_fen=100, paid_at=T0)
    with pytest.raises(ValidationFailed, match="不符"):
        cs.receive_payment_callback(db, provider=pay, body=body, headers=headers, now=T0)
    with unit_of_work(db) as s:
        assert s.get(Case, c.case_id).status == CaseStatus.SERVED.value


def test_other_provider_key_cannot_pay(db, settings):
    other = SimulatedScanPay(derive_key("attacker"))
    pay = SimulatedScanPay.from_settings(settings)
    with unit_of_work(db) as s:
        c = open_gps(s, catalogue_code="OVL-DIM", proposed_fine_yuan=200, procedure="summary")
        go(s, c, "decided", T0)
        go(s, c, "served", T0)
        order = cs.create_payment_order(s, case=c, provider=pay, now=T0)
    body, headers = other.build_callback(order_no=order.order_no, amount_fen=order.amount_fen, paid_at=T0)
    with pytest.raises(ValidationFailed, match="签名"):
        cs.receive_payment_callback(db, provider=pay, body=body, headers=headers, now=T0)


def _concurrent_numbers(db, n_threads=4, per_thread=10):
    import threading

    got, errors = [], []

    def worker():
        try:
            for _ in range(per_thread):
                with unit_of_work(db) as s:
                    got.append(next_number(s, unit_code=UNIT, year=2022, kind="notice"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got, errors


def test_concurrent_numbering_has_no_duplicates_or_gaps_sqlite(db):
    got, errors = _concurrent_numbers(db)
    assert not errors
    seqs = sorted(int(g.split("-")[1][:4]) for g in got)
    assert seqs == list(range(1, 41))


@pytest.mark.postgres
def test_concurrent_numbering_has_no_duplicates_or_gaps_postgres(pg_container):
    got, errors = _concurrent_numbers(pg_container.db)
    assert not errors
    seqs = sorted(int(g.split("-")[1][:4]) for g in got)
    assert seqs == list(range(1, 41))
