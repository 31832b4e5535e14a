"""Verbs of case handling. Keyword-only `actor=`; each runs inside the caller's unit of work and writes
its audit event in the same session, so a refused step leaves nothing behind."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from zhifa.cases import rules
from zhifa.cases.model import (
    STATE_TIMESTAMP,
    CaseStatus,
    CatalogueItem,
    ExemptionItem,
    PartyKind,
    Procedure,
    ProcedureRules,
    RuleSet,
    is_allowed,
)
from zhifa.cases.orm import (
    Case,
    CaseEvidence,
    CaseStatement,
    DeadlineAlert,
    ExemptionApplication,
    RuleVersion,
)
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.calendar import WorkingCalendar, cn_calendar
from zhifa.shared.clock import TZ
from zhifa.shared.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from zhifa.shared.ids import new_id, receipt_code

if TYPE_CHECKING:
    from zhifa.cases.documents import DocumentStore
    from zhifa.leads.orm import Lead

RULEDATA = Path(__file__).resolve().parent / "ruledata"
RULE_KINDS = ("catalogue", "exemptions", "procedure")
CALENDAR = cn_calendar()


# ---------------------------------------------------------------- rule versions


@lru_cache(maxsize=1)
def _builtin() -> tuple[RuleSet, ...]:
    out = []
    for path in sorted(RULEDATA.glob("*.json")):
        p = json.loads(path.read_text(encoding="utf-8"))
        out.append(
            RuleSet(
                kind=p["kind"],
                version=p["version"],
                effective_from=date.fromisoformat(p["effective_from"]),
                source=p.get("source", path.name),
                payload=p,
            )
        )
    return tuple(out)


_PUBLISHED = "zhifa.cases.published_rule_versions"


def _published(session: Session) -> dict[str, list[RuleSet]]:
    """Admin-published versions of every kind, read once per transaction (opening a case needs the
    procedure and the catalogue; a batch of openings in one transaction reads them once)."""
    cached = session.info.get(_PUBLISHED)
    if cached is not None and cached[0] is session.get_transaction():
        return cached[1]
    out: dict[str, list[RuleSet]] = {}
    for row in session.execute(select(RuleVersion)).scalars():
        out.setdefault(row.kind, []).append(RuleSet(row.kind, row.version, row.effective_from, row.source, dict(row.payload)))
    session.info[_PUBLISHED] = (session.get_transaction(), out)
    return out


def rule_versions(session: Session, kind: str) -> list[RuleSet]:
    """Built-in versions from ruledata/ and those published by admins, oldest first."""
    if kind not in RULE_KINDS:
        raise ValidationFailed(f"未知的规则种类 {kind}", en=f"Unknown rule kind {kind}")
    out = [r for r in _builtin() if r.kind == kind] + _published(session).get(kind, [])
    return sorted(out, key=lambda r: (r.effective_from, r.version))


def catalogue_on(session: Session, on: date) -> tuple[RuleSet, dict[str, CatalogueItem]]:
    """The catalogue in force on the day of the act. Acts before the first encoded version use that
    first version (the older texts are not encoded); the case records which version was used."""
    versions = rule_versions(session, "catalogue")
    rs = rules.version_in_force(versions, max(on, versions[0].effective_from))
    return rs, rules.catalogue_items(rs.payload)


def exemptions_on(session: Session, on: date) -> tuple[RuleSet, dict[str, ExemptionItem]]:
    versions = rule_versions(session, "exemptions")
    rs = rules.version_in_force(versions, max(on, versions[0].effective_from))
    return rs, rules.exemption_items(rs.payload)


def procedure_on(session: Session, on: date) -> ProcedureRules:
    versions = rule_versions(session, "procedure")
    return rules.procedure_rules(rules.version_in_force(versions, max(on, versions[0].effective_from)))


def publish_rule_version(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    version: str,
    effective_from: date,
    payload: Mapping[str, Any],
    source: str,
    now: datetime,
) -> RuleVersion:
    """An admin publishes a new version (catalogue, discretion bands, exemption list). Old versions stay
    in force for the cases that used them."""
    require_role(actor, Role.ADMIN)
    if kind not in RULE_KINDS:
        raise ValidationFailed(f"未知的规则种类 {kind}", en=f"Unknown rule kind {kind}")
    if not source.strip():
        raise ValidationFailed("须注明依据来源", en="State the source (legal basis) of the rules")
    existing = {r.version for r in rule_versions(session, kind)}
    if version in existing:
        raise Conflict(f"版本 {version} 已存在", en=f"Version {version} already exists")
    body = {**dict(payload), "kind": kind, "version": version, "effective_from": effective_from.isoformat()}
    try:  # the payload must parse as its kind
        rs = RuleSet(kind, version, effective_from, source, body)
        if kind == "catalogue":
            items = rules.catalogue_items(body)
            for it in items.values():
                if it.min_yuan > it.max_yuan or any(b.min_yuan < it.min_yuan or b.max_yuan > it.max_yuan for b in it.bands):
                    raise ValidationFailed(f"事项 {it.code} 的裁量幅度超出法定幅度", en=f"The discretion bands of item {it.code} go beyond its statutory range")
        elif kind == "exemptions":
            items_e = rules.exemption_items(body)
            known = set(body.get("conditions", {}))
            for e in items_e.values():
                unknown = [c for c in e.conditions if c not in known]
                if unknown:
                    raise ValidationFailed(f"免罚事项 {e.code} 的条件未定义：{'、'.join(unknown)}", en=f"Exemption item {e.code} uses undefined conditions: {', '.join(unknown)}")
        else:
            rules.procedure_rules(rs)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(f"规则内容格式错误：{exc}", en=f"The rule content is malformed: {exc}") from exc
    row = RuleVersion(
        rule_version_id=new_id()[:24],
        kind=kind,
        version=version,
        effective_from=effective_from,
        source=source,
        payload=body,
        created_by=actor.username,
        created_at=now,
    )
    session.add(row)
    session.info.pop(_PUBLISHED, None)
    audit.record(
        session,
        actor=actor,
        action=f"cases.publish_{kind}",
        object_type="case_rule_version",
        object_id=f"{kind}:{version}",
        after={"effective_from": effective_from.isoformat(), "source": source},
        now=now,
    )
    session.flush()
    return row


# ---------------------------------------------------------------- access


def access_case(session: Session, actor: Actor, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在", en="Case not found")
    check_visible(actor, case.unit_code, "案件", what_en="Case")
    return case


def list_cases(
    session: Session,
    *,
    actor: Actor,
    status: str | None = None,
    officer: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Case], int]:
    stmt = scope(select(Case), actor, Case.unit_code)
    if status:
        stmt = stmt.where(Case.status == status)
    if officer:
        stmt = stmt.where(Case.officer == officer)
    if overdue is not None:
        stmt = stmt.where(Case.overdue == overdue)
    if q:
        stmt = stmt.where((Case.plate == q) | (Case.case_code == q) | (Case.party_name == q))
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(stmt.order_by(Case.created_at.desc(), Case.case_id).limit(min(limit, 500)).offset(offset))
    return list(rows.scalars()), int(total)


def snapshot(case: Case) -> dict[str, Any]:
    return {
        "status": case.status,
        "fine_yuan": case.fine_yuan,
        "proposed_fine_yuan": case.proposed_fine_yuan,
        "decision_due": case.decision_due,
        "defence_due": case.defence_due,
        "payment_due": case.payment_due,
    }


def _stamp(case: Case, status: CaseStatus, now: datetime) -> None:
    setattr(case, STATE_TIMESTAMP[status], now)


def _day(now: datetime) -> date:
    return now.astimezone(TZ).date()


# ---------------------------------------------------------------- opening


def open_case(
    session: Session,
    *,
    actor: Actor,
    catalogue_code: str,
    proposed_fine_yuan: int,
    facts: str,
    party_name: str,
    party_kind: str,
    act_on: date,
    now: datetime,
    plate: str | None = None,
    unit_code: str | None = None,
    band_code: str | None = None,
    procedure: str = Procedure.ORDINARY.value,
    lead_id: str | None = None,
    linked_group: str | None = None,
    harm_to_safety: bool = False,
    complex_case: bool = False,
    public_interest: bool = False,
    e_service_consent: bool = False,
    docs: DocumentStore | None = None,
) -> Case:
    """立案 (交通运输行政执法程序规定 Art. 62–63). Checks the limitation period (行政处罚法 Art. 36), the
    item and its penalty range in the catalogue version in force on the day of the act (Art. 37), and
    the summary thresholds (Art. 51) when the summary procedure is chosen."""
    require_role(actor, Role.OFFICER)
    unit = unit_code or actor.unit_code
    check_visible(actor, unit, "执法机构", what_en="Enforcement unit")
    if not facts.strip():
        raise ValidationFailed("须填写违法事实", en="Enter the facts of the violation")
    if not party_name.strip():
        raise ValidationFailed("须填写当事人", en="Enter the party")
    try:
        kind = PartyKind(party_kind)
        proc = Procedure(procedure)
    except ValueError as exc:
        raise ValidationFailed(f"当事人类型或程序不正确：{exc}", en=f"Invalid party kind or procedure: {exc}") from exc
    today = _day(now)
    if act_on > today:
        raise ValidationFailed("违法行为日期不能晚于立案日期", en="The date of the violation cannot be later than the date the case is opened")
    prules = procedure_on(session, today)
    if rules.limitation_expired(prules, act_ended_on=act_on, discovered_on=today, harm_to_safety=harm_to_safety):
        raise ValidationFailed(
            f"违法行为发生于 {act_on.isoformat()}，已超过《行政处罚法》第三十六条规定的追责期限，不予立案",
            en=f"The violation took place on {act_on.isoformat()}, beyond the limitation period of Article 36 of the "
            "Administrative Penalty Law; no case can be opened",
        )
    cat_rs, items = catalogue_on(session, act_on)
    item = items.get(catalogue_code)
    if item is None:
        raise ValidationFailed(f"违法行为事项 {catalogue_code} 不在 {cat_rs.version} 版事项清单中", en=f"Violation {catalogue_code} is not in version {cat_rs.version} of the violation catalogue")
    rules.check_penalty(item, party_kind=kind.value, fine_yuan=int(proposed_fine_yuan), band_code=band_code)
    if proc is Procedure.SUMMARY and not rules.summary_allowed(prules, party_kind=kind.value, fine_yuan=proposed_fine_yuan):
        raise ValidationFailed(
            f"简易程序仅适用于罚款不超过 {prules.summary_max_yuan[kind.value]} 元的案件（行政处罚法第五十一条）",
            en=f"The summary procedure applies only to cases with a fine of at most {prules.summary_max_yuan[kind.value]} "
            "yuan (Administrative Penalty Law, Article 51)",
        )
    case = Case(
        case_id=new_id()[:24],
        case_code=receipt_code(10),
        unit_code=unit,
        procedure=proc.value,
        status=CaseStatus.REGISTERED.value,
        catalogue_code=item.code,
        catalogue_version=cat_rs.version,
        procedure_version=prules.version,
        calendar_version=CALENDAR.version,
        band_code=band_code,
        legal_basis=item.legal_basis,
        proposed_fine_yuan=int(proposed_fine_yuan),
        fine_yuan=None,
        party_name=party_name.strip(),
        party_kind=kind.value,
        plate=(plate or "").strip().upper() or None,
        facts=facts.strip(),
        act_on=act_on,
        lead_id=lead_id,
        linked_group=linked_group,
        officer=actor.username,
        complex_case=complex_case,
        public_interest=public_interest,
        hearing_requested=False,
        legal_review_passed=False,
        e_service_consent=e_service_consent,
        decision_due=rules.decision_due(prules, today),
        paid_fen=0,
        surcharge_fen=0,
        overdue=False,
        registered_at=now,
        created_at=now,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="cases.open",
        object_type="case",
        object_id=case.case_id,
        after={**snapshot(case), "catalogue": f"{item.code}@{cat_rs.version}", "procedure": proc.value, "lead_id": lead_id},
        unit_code=unit,
        now=now,
    )
    if docs is not None:
        docs.issue(session, actor=actor, case=case, kind="register", now=now)
    return case


def open_case_from_lead(
    session: Session,
    *,
    actor: Actor,
    lead: Lead,
    catalogue_code: str,
    proposed_fine_yuan: int,
    facts: str,
    party_name: str,
    party_kind: str,
    now: datetime,
    band_code: str | None = None,
    e_service_consent: bool = False,
    docs: DocumentStore | None = None,
) -> Case:
    """立案 from a lead; the lead is linked to the case. A rejected lead or one that has a case is refused."""
    from zhifa.leads.service import link_case

    check_visible(actor, lead.unit_code, "线索", what_en="Lead")
    if lead.status == "rejected":
        raise ValidationFailed("线索已被驳回，不能据此立案", en="The lead has been rejected; no case can be opened from it")
    if lead.case_id:
        raise Conflict(f"线索已立案（案件 {lead.case_id}）", en=f"A case has already been opened from this lead (case {lead.case_id})")
    case = open_case(
        session,
        actor=actor,
        catalogue_code=catalogue_code,
        proposed_fine_yuan=proposed_fine_yuan,
        facts=facts,
        party_name=party_name,
        party_kind=party_kind,
        act_on=lead.end.astimezone(TZ).date(),
        now=now,
        plate=lead.plate,
        unit_code=lead.unit_code,
        band_code=band_code,
        lead_id=lead.lead_id,
        e_service_consent=e_service_consent,
        docs=docs,
    )
    link_case(session, lead=lead, case_id=case.case_id)
    return case


@dataclass(frozen=True)
class RideHailingTrip:
    """One illegal ride-hailing trip: the facts for both linked cases (一案双罚)."""

    plate: str
    driver_name: str
    platform_name: str
    act_on: date
    facts: str
    missing: str = "vehicle"  # vehicle | driver: which licence the driver/vehicle lacks (Art. 34)


def open_linked_ride_hailing_cases(
    session: Session,
    *,
    actor: Actor,
    trip: RideHailingTrip,
    party_fine_yuan: int,
    platform_fine_yuan: int,
    now: datetime,
    lead: Lead | None = None,
    docs: DocumentStore | None = None,
) -> tuple[Case, Case]:
    """一案双罚 (网约车暂行办法): the driver/vehicle under Art. 34, the platform under Art. 35, each with its
    own article and penalty; both cases share `linked_group`. Either both open or neither."""
    group = new_id()[:24]
    party_item = {"vehicle": "RH-VEHICLE-LIC", "driver": "RH-DRIVER-LIC"}.get(trip.missing)
    if party_item is None:
        raise ValidationFailed("缺少的证照须为 vehicle 或 driver", en="The missing licence must be vehicle or driver")
    common = dict(session=session, actor=actor, act_on=trip.act_on, now=now, plate=trip.plate, linked_group=group, docs=docs)
    unit = lead.unit_code if lead is not None else None
    first = open_case(
        catalogue_code=party_item,
        proposed_fine_yuan=party_fine_yuan,
        facts=f"{trip.facts}（驾驶员/车辆）",
        party_name=trip.driver_name,
        party_kind=PartyKind.PERSON.value,
        lead_id=lead.lead_id if lead is not None else None,
        unit_code=unit,
        **common,  # type: ignore[arg-type]
    )
    second = open_case(
        catalogue_code="RH-PLATFORM-DISPATCH",
        proposed_fine_yuan=platform_fine_yuan,
        facts=f"{trip.facts}（网约车平台派单）",
        party_name=trip.platform_name,
        party_kind=PartyKind.ENTERPRISE.value,
        lead_id=lead.lead_id if lead is not None else None,
        unit_code=unit,
        **common,  # type: ignore[arg-type]
    )
    if lead is not None:
        from zhifa.leads.service import link_case

        link_case(session, lead=lead, case_id=first.case_id)
    return first, second


def linked_cases(session: Session, *, actor: Actor, case: Case) -> list[Case]:
    if not case.linked_group:
        return []
    stmt = scope(select(Case).where(Case.linked_group == case.linked_group, Case.case_id != case.case_id), actor, Case.unit_code)
    return list(session.execute(stmt).scalars())


# ---------------------------------------------------------------- workflow


def hearing_right_for(session: Session, case: Case) -> bool:
    prules = procedure_on(session, case.registered_at.astimezone(TZ).date() if case.registered_at else case.act_on)
    return rules.hearing_right(prules, party_kind=case.party_kind, fine_yuan=case.proposed_fine_yuan)


def review_required(case: Case) -> bool:
    return rules.legal_review_required(
        procedure=case.procedure,
        hearing_held=case.hearing_requested,
        complex_case=case.complex_case,
        public_interest=case.public_interest,
    )


DOC_FOR_STATUS = {
    CaseStatus.NOTIFIED: "notice",
    CaseStatus.DECIDED: "decision",
    CaseStatus.SERVED: "service_receipt",
    CaseStatus.CLOSED: "closing_report",
}


def advance(
    session: Session,
    *,
    actor: Actor,
    case_id: str,
    target: str,
    now: datetime,
    reason: str | None = None,
    fine_yuan: int | None = None,
    service_channel: str = "electronic",
    docs: DocumentStore | None = None,
) -> Case:
    """Move a case one step along the transition table, with the guards each step needs."""
    require_role(actor, Role.OFFICER, Role.LEGAL_REVIEWER)
    case = access_case(session, actor, case_id)
    try:
        to = CaseStatus(target)
    except ValueError as exc:
        raise ValidationFailed(f"未知的案件状态 {target}", en=f"Unknown case status {target}") from exc
    frm = CaseStatus(case.status)
    proc = Procedure(case.procedure)
    if not is_allowed(frm, to, proc):
        raise IllegalTransition(
            f"案件处于“{_zh(frm)}”，不能转为“{_zh(to)}”（{'简易' if proc is Procedure.SUMMARY else '普通'}程序）",
            en=f"The case is at “{_en(frm)}” and cannot move to “{_en(to)}” "
            f"({'summary' if proc is Procedure.SUMMARY else 'ordinary'} procedure)",
        )
    today = _day(now)
    prules = procedure_on(session, case.registered_at.astimezone(TZ).date() if case.registered_at else today)
    before = snapshot(case)

    if to is CaseStatus.NOTIFIED:
        case.defence_due = rules.defence_due(prules, today, CALENDAR)
    elif to is CaseStatus.LEGAL_REVIEW:
        if actor.role is Role.LEGAL_REVIEWER:
            raise PermissionDenied("法制审核由承办人员提交", en="Legal review is submitted by the officer handling the case")
    elif to is CaseStatus.DECIDED:
        _guard_decision(session, actor=actor, case=case, frm=frm, prules=prules, today=today, fine_yuan=fine_yuan)
    elif to is CaseStatus.SERVED:
        if service_channel == "electronic" and not case.e_service_consent:
            raise ValidationFailed("当事人未同意电子送达，须采用直接送达或邮寄送达", en="The party has not agreed to electronic service; serve directly or by post")
        if service_channel not in {"electronic", "direct", "post"}:
            raise ValidationFailed("送达方式须为 electronic、direct 或 post", en="The service channel must be electronic, direct or post")
        case.payment_due = rules.payment_due(prules, today, CALENDAR) if (case.fine_yuan or 0) > 0 else None
    elif to is CaseStatus.CLOSED:
        if frm is CaseStatus.ENFORCING and case.paid_fen < amount_due_fen(session, case, today) and not (reason or "").strip():
            raise ValidationFailed(
                "罚款尚未缴清；未缴清结案须写明理由（如已申请法院强制执行）",
                en="The fine has not been paid in full; closing the case unpaid requires a reason "
                "(e.g. enforcement by the court has been requested)",
            )
    elif to is CaseStatus.NOT_PENALISED:
        if not (reason or "").strip():
            raise ValidationFailed("不予处罚须写明理由", en="A decision of no penalty requires a reason")
    elif to is CaseStatus.INVESTIGATING and frm is CaseStatus.LEGAL_REVIEW:
        if actor.role not in (Role.LEGAL_REVIEWER, Role.ADMIN):
            raise PermissionDenied("退回补充调查由法制审核人员决定", en="Only a legal reviewer may return a case for further investigation")
        if not (reason or "").strip():
            raise ValidationFailed("退回补充调查须写明理由", en="Returning a case for further investigation requires a reason")

    case.status = to.value
    _stamp(case, to, now)
    if to in (CaseStatus.DECIDED, CaseStatus.NOT_PENALISED, CaseStatus.CLOSED):
        case.overdue = False  # the deadline that was late is over; lateness stays visible in the timestamps
    audit.record(
        session,
        actor=actor,
        action=f"cases.{to.value}",
        object_type="case",
        object_id=case.case_id,
        before=before,
        after=snapshot(case),
        reason=(reason or "").strip() or None,
        unit_code=case.unit_code,
        now=now,
    )
    session.flush()
    kind = DOC_FOR_STATUS.get(to)
    if docs is not None and kind is not None:
        docs.issue(session, actor=actor, case=case, kind=kind, now=now)
    return case


def _guard_decision(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    frm: CaseStatus,
    prules: ProcedureRules,
    today: date,
    fine_yuan: int | None,
) -> None:
    fine = case.proposed_fine_yuan if fine_yuan is None else int(fine_yuan)
    if frm is CaseStatus.LEGAL_REVIEW:
        if actor.role not in (Role.LEGAL_REVIEWER, Role.ADMIN):
            raise PermissionDenied("法制审核通过须由法制审核人员确认", en="Passing the legal review must be confirmed by a legal reviewer")
        case.legal_review_passed = True
    elif frm is CaseStatus.NOTIFIED:
        if review_required(case):
            raise ValidationFailed(
                "本案须经法制审核，未经审核不得作出决定（行政处罚法第五十八条）",
                en="This case requires legal review; no penalty decision may be made without it "
                "(Administrative Penalty Law, Article 58)",
            )
        heard = session.execute(select(func.count()).where(CaseStatement.case_id == case.case_id)).scalar_one()
        if not heard and case.defence_due is not None and today <= case.defence_due:
            raise ValidationFailed(
                f"陈述申辩期限至 {case.defence_due.isoformat()}，期满前且当事人未陈述申辩的，不得作出决定",
                en=f"The time limit for statement and defence runs until {case.defence_due.isoformat()}; before it "
                "expires, no decision may be made unless the party has made a statement or defence",
            )
    if case.exemption_code is None:  # a reduction under the list may go below the range (减轻)
        _, items = catalogue_on(session, case.act_on)
        item = items.get(case.catalogue_code)
        if item is None:
            raise ValidationFailed("违法行为事项不存在", en="Violation not found in the catalogue")
        rules.check_penalty(item, party_kind=case.party_kind, fine_yuan=fine, band_code=case.band_code if fine_yuan is None else None)
    if case.procedure == Procedure.SUMMARY.value and not rules.summary_allowed(prules, party_kind=case.party_kind, fine_yuan=fine):
        raise ValidationFailed("罚款超过简易程序限额，须适用普通程序", en="The fine exceeds the limit of the summary procedure; the ordinary procedure must be used")
    if case.proposed_fine_yuan != fine and case.status == CaseStatus.NOTIFIED.value and fine > case.proposed_fine_yuan:
        raise ValidationFailed(
            "决定罚款高于告知的拟处罚款，须重新告知（不得因申辩加重处罚，行政处罚法第四十五条）",
            en="The decided fine is higher than the proposed fine in the notice; serve a new notice of intended penalty "
            "(a defence must not lead to a heavier penalty, Administrative Penalty Law, Article 45)",
        )
    case.fine_yuan = fine


def _zh(s: CaseStatus) -> str:
    from zhifa.cases.model import STATUS_LABELS_ZH

    return STATUS_LABELS_ZH[s]


def _en(s: CaseStatus) -> str:
    from zhifa.cases.model import STATUS_LABELS_EN

    return STATUS_LABELS_EN[s]


def amount_due_fen(session: Session, case: Case, on: date) -> int:
    """Fine plus the late surcharge on `on` (行政处罚法 Art. 72), in fen."""
    fine = case.fine_yuan or 0
    if case.payment_due is None:
        return fine * 100
    prules = procedure_on(session, case.registered_at.astimezone(TZ).date() if case.registered_at else on)
    return fine * 100 + rules.late_surcharge_fen(
        fine_yuan=fine, due=case.payment_due, paid_on=on, percent_per_day=prules.surcharge_percent_per_day
    )


def set_flags(
    session: Session,
    *,
    actor: Actor,
    case_id: str,
    now: datetime,
    complex_case: bool | None = None,
    public_interest: bool | None = None,
    e_service_consent: bool | None = None,
) -> Case:
    require_role(actor, Role.OFFICER)
    case = access_case(session, actor, case_id)
    before = {"complex_case": case.complex_case, "public_interest": case.public_interest, "e_service_consent": case.e_service_consent}
    if complex_case is not None:
        case.complex_case = complex_case
    if public_interest is not None:
        case.public_interest = public_interest
    if e_service_consent is not None:
        case.e_service_consent = e_service_consent
    after = {"complex_case": case.complex_case, "public_interest": case.public_interest, "e_service_consent": case.e_service_consent}
    audit.record(session, actor=actor, action="cases.flags", object_type="case", object_id=case.case_id,
                 before=before, after=after, unit_code=case.unit_code, now=now)
    return case


# ---------------------------------------------------------------- party (portal)

PORTAL_NOT_FOUND = "车牌号或案件查询码不正确"
PORTAL_NOT_FOUND_EN = "Wrong plate number or case code"


def party_actor(case: Case) -> Actor:
    return Actor(username=f"party:{case.case_code}", role=Role.PARTY, unit_code=case.unit_code, unit_codes=frozenset(), display_name=case.party_name)


def portal_find(session: Session, *, plate: str, case_code: str) -> Case:
    """Plate and case code must both match; every failure gives the same message (no enumeration)."""
    plate_n = (plate or "").strip().upper()
    code_n = (case_code or "").strip().upper()
    if not plate_n or not code_n:
        raise NotFound(PORTAL_NOT_FOUND, en=PORTAL_NOT_FOUND_EN)
    case = session.execute(select(Case).where(Case.case_code == code_n)).scalar_one_or_none()
    if case is None or case.plate != plate_n:
        raise NotFound(PORTAL_NOT_FOUND, en=PORTAL_NOT_FOUND_EN)
    return case


def submit_statement(session: Session, *, case: Case, kind: str, text: str, now: datetime) -> CaseStatement:
    """A party's statement/defence (行政处罚法 Art. 45) or hearing request (Art. 64), within the window."""
    if kind not in {"statement", "defence", "hearing_request"}:
        raise ValidationFailed("提交类型不正确", en="Invalid type of submission")
    if case.status != CaseStatus.NOTIFIED.value:
        raise IllegalTransition("本案当前不在陈述申辩阶段", en="This case is not at the statement and defence stage")
    today = _day(now)
    if case.defence_due is None or today > case.defence_due:
        raise ValidationFailed(f"陈述申辩期限已于 {case.defence_due} 届满", en=f"The time limit for statement and defence expired on {case.defence_due}")
    if kind == "hearing_request" and not hearing_right_for(session, case):
        raise ValidationFailed("本案拟处罚款未达到听证标准，不适用听证程序", en="The proposed fine is below the threshold for a hearing; the hearing procedure does not apply")
    if kind != "hearing_request" and not text.strip():
        raise ValidationFailed("请填写陈述申辩内容", en="Enter your statement and defence")
    if len(text) > 5000:
        raise ValidationFailed("内容过长（不超过5000字）", en="The text is too long (at most 5000 characters)")
    st = CaseStatement(statement_id=new_id()[:24], case_id=case.case_id, kind=kind, text=text.strip(), channel="portal", submitted_at=now)
    session.add(st)
    before = {"hearing_requested": case.hearing_requested}
    if kind == "hearing_request":
        case.hearing_requested = True
    audit.record(session, actor=party_actor(case), action=f"cases.party_{kind}", object_type="case", object_id=case.case_id,
                 before=before, after={"kind": kind, "hearing_requested": case.hearing_requested, "text": text.strip()[:500]},
                 unit_code=case.unit_code, now=now)
    session.flush()
    return st


def statements(session: Session, case_id: str) -> list[CaseStatement]:
    return list(session.execute(select(CaseStatement).where(CaseStatement.case_id == case_id).order_by(CaseStatement.submitted_at)).scalars())


# ---------------------------------------------------------------- evidence


def add_evidence(
    session: Session, *, actor: Actor, case_id: str, name: str, content: bytes, evidence_dir: Path, now: datetime, description: str = ""
) -> CaseEvidence:
    """Evidence stored by SHA-256 (content-addressed, never overwritten)."""
    import hashlib

    require_role(actor, Role.OFFICER)
    case = access_case(session, actor, case_id)
    if not content:
        raise ValidationFailed("证据文件为空", en="The evidence file is empty")
    digest = hashlib.sha256(content).hexdigest()
    path = evidence_dir / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(content)
    ev = CaseEvidence(evidence_id=new_id()[:24], case_id=case.case_id, name=name[:256], sha256=digest, size=len(content),
                      description=description or None, added_at=now)
    session.add(ev)
    audit.record(session, actor=actor, action="cases.evidence", object_type="case", object_id=case.case_id,
                 after={"name": name, "sha256": digest, "size": len(content)}, unit_code=case.unit_code, now=now)
    session.flush()
    return ev


def evidence_of(session: Session, case_id: str) -> list[CaseEvidence]:
    return list(session.execute(select(CaseEvidence).where(CaseEvidence.case_id == case_id).order_by(CaseEvidence.added_at)).scalars())


# ---------------------------------------------------------------- exemptions


def prior_penalties(session: Session, case: Case) -> int:
    """Earlier cases against the same party or plate that ended in a penalty (for 首违)."""
    cond = Case.party_name == case.party_name
    if case.plate:
        cond = cond | (Case.plate == case.plate)
    stmt = select(func.count()).where(
        cond, Case.case_id != case.case_id, Case.fine_yuan.is_not(None), Case.fine_yuan > 0,
        Case.decided_at.is_not(None), Case.created_at < case.created_at,
    )
    return int(session.execute(stmt).scalar_one())


def apply_exemption(
    session: Session,
    *,
    actor: Actor,
    case_id: str,
    item_code: str,
    answers: Mapping[str, bool],
    reason: str,
    now: datetime,
) -> ExemptionApplication:
    """Apply an item of the minor-violation list (行政处罚法 Art. 33, 交法发〔2021〕115号): every condition
    must hold; the answers and reason are recorded. `no_penalty` ends the case as not penalised;
    `reduced` lowers the proposed fine by the item's percentage."""
    require_role(actor, Role.OFFICER)
    case = access_case(session, actor, case_id)
    if case.status not in (CaseStatus.REGISTERED.value, CaseStatus.INVESTIGATING.value, CaseStatus.NOTIFIED.value):
        raise IllegalTransition("案件已作出决定，不能再适用免罚或从轻清单", en="A penalty decision has been made; the exemption or mitigation list can no longer be applied")
    if case.exemption_code:
        raise Conflict("本案已适用清单事项", en="A list item has already been applied to this case")
    if not reason.strip():
        raise ValidationFailed("适用免罚或从轻清单须写明理由", en="Applying the exemption or mitigation list requires a reason")
    rs, items = exemptions_on(session, case.act_on)
    item = items.get(item_code)
    if item is None:
        raise ValidationFailed(f"清单事项 {item_code} 不在 {rs.version} 版清单中", en=f"List item {item_code} is not in version {rs.version} of the list")
    ans = {k: bool(v) for k, v in answers.items()}
    if ans.get("first_offence") and prior_penalties(session, case) > 0:
        raise ValidationFailed("当事人或车辆此前已有处罚记录，不属于初次违法", en="The party or the vehicle has been penalised before; this is not a first violation")
    check = rules.evaluate_exemption(item, ans, catalogue_code=case.catalogue_code)
    if not check.eligible:
        labels = rs.payload.get("conditions", {})
        if "catalogue_code" in check.failed:
            raise ValidationFailed(f"清单事项“{item.title}”不适用于本案违法行为", en=f"List item “{item.title}” does not apply to the violation in this case")
        names = [labels.get(c, c) for c in (*check.failed, *check.missing)]
        raise ValidationFailed(f"不符合清单事项“{item.title}”的条件：{'、'.join(names)}", en=f"The conditions of list item “{item.title}” are not met: {', '.join(names)}")
    before = snapshot(case)
    fine_before = case.proposed_fine_yuan
    fine_after = 0 if item.effect == "no_penalty" else rules.reduced_fine(fine_before, item.reduction_percent)
    case.exemption_code = item.code
    case.proposed_fine_yuan = fine_after
    app = ExemptionApplication(
        application_id=new_id()[:24], case_id=case.case_id, unit_code=case.unit_code, item_code=item.code,
        list_version=rs.version, effect=item.effect, answers=ans, reason=reason.strip(),
        fine_before=fine_before, fine_after=fine_after, applied_by=actor.username, applied_at=now,
    )
    session.add(app)
    if item.effect == "no_penalty":
        case.status = CaseStatus.NOT_PENALISED.value
        _stamp(case, CaseStatus.NOT_PENALISED, now)
    audit.record(session, actor=actor, action="cases.exemption", object_type="case", object_id=case.case_id,
                 before=before, after={**snapshot(case), "item": f"{item.code}@{rs.version}", "answers": ans},
                 reason=reason.strip(), unit_code=case.unit_code, now=now)
    session.flush()
    return app


def exemption_counts(session: Session, *, actor: Actor) -> dict[str, dict[str, int]]:
    """Per unit: how many cases were exempted (不予处罚) and how many got a reduced penalty."""
    stmt = scope(
        select(ExemptionApplication.unit_code, ExemptionApplication.effect, func.count()).group_by(
            ExemptionApplication.unit_code, ExemptionApplication.effect
        ),
        actor,
        ExemptionApplication.unit_code,
    )
    out: dict[str, dict[str, int]] = {}
    for unit, effect, n in session.execute(stmt):
        row = out.setdefault(unit, {"exempted": 0, "reduced": 0})
        row["exempted" if effect == "no_penalty" else "reduced"] += int(n)
    return out


# ---------------------------------------------------------------- deadlines


OPEN_FOR_DECISION = (CaseStatus.REGISTERED.value, CaseStatus.INVESTIGATING.value, CaseStatus.NOTIFIED.value, CaseStatus.LEGAL_REVIEW.value)
OPEN_FOR_PAYMENT = (CaseStatus.SERVED.value, CaseStatus.ENFORCING.value)


def case_deadlines(case: Case) -> list[tuple[str, date]]:
    out: list[tuple[str, date]] = []
    if case.status in OPEN_FOR_DECISION and case.decision_due:
        out.append(("decision", case.decision_due))
    if case.status == CaseStatus.NOTIFIED.value and case.defence_due:
        out.append(("defence", case.defence_due))
    if case.status in OPEN_FOR_PAYMENT and case.payment_due and case.paid_fen == 0:
        out.append(("payment", case.payment_due))
    return out


@dataclass(frozen=True)
class SweepReport:
    checked: int
    reminders: int
    overdue: int


SWEEP_BATCH = 1000


def _sweep_horizon(versions: list[RuleSet], today: date, calendar: WorkingCalendar) -> date:
    """No deadline on or after this day can raise anything today: it is the (N+1)-th working day after
    today, N the longest reminder period of any procedure version, so at least N+1 working days remain."""
    longest = 1  # the default when a version names no period for a deadline
    for rs in versions:
        longest = max(longest, *rules.procedure_rules(rs).reminder_working_days.values(), 1)
    return calendar.add_working_days(today, longest + 1)


def sweep_deadlines(session: Session, now: datetime, *, calendar: WorkingCalendar = CALENDAR, actor: Actor | None = None) -> SweepReport:
    """Raise reminders before and overdue flags after each open deadline; idempotent (one alert per
    case, deadline, kind and due date). The decision deadline counts 90 calendar days (Art. 60).

    Only the open cases with a deadline before the reminder horizon that is not already past with its
    overdue alert raised are read, in batches of SWEEP_BATCH with their existing alerts; `checked` is
    still every open case."""
    from sqlalchemy import and_, exists, inspect, or_

    from zhifa.shared.access import SYSTEM

    who = actor or SYSTEM
    today = _day(now)
    versions = rule_versions(session, "procedure")
    horizon = _sweep_horizon(versions, today, calendar)
    is_open = Case.status.in_(OPEN_FOR_DECISION + OPEN_FOR_PAYMENT)
    checked = int(session.execute(select(func.count()).select_from(Case).where(is_open)).scalar_one())

    def pending(due_col: Any, name: str, statuses: tuple[str, ...], *more: Any) -> Any:
        """The deadline is open, before the horizon, and not already past with its overdue alert raised."""
        done = exists().where(DeadlineAlert.case_id == Case.case_id, DeadlineAlert.deadline == name,
                              DeadlineAlert.kind == "overdue", DeadlineAlert.due == due_col)
        return and_(Case.status.in_(statuses), due_col < horizon, *more, ~and_(due_col < today, done))

    near = or_(
        pending(Case.decision_due, "decision", OPEN_FOR_DECISION),
        pending(Case.defence_due, "defence", (CaseStatus.NOTIFIED.value,)),
        pending(Case.payment_due, "payment", OPEN_FOR_PAYMENT, Case.paid_fen == 0),
    )
    ids = list(session.execute(select(Case.case_id).where(is_open, near).order_by(Case.case_id)).scalars())
    held = set(session.identity_map.keys())  # objects the caller already holds stay in the session
    reminders = overdue = 0
    flagged: list[tuple[str, str, date, str]] = []
    prules_cache: dict[date, ProcedureRules] = {}

    def prules_on(day: date) -> ProcedureRules:
        if day not in prules_cache:
            prules_cache[day] = rules.procedure_rules(rules.version_in_force(versions, max(day, versions[0].effective_from)))
        return prules_cache[day]

    for i in range(0, len(ids), SWEEP_BATCH):
        chunk = ids[i : i + SWEEP_BATCH]
        cases = session.execute(select(Case).where(Case.case_id.in_(chunk), is_open).order_by(Case.case_id)).scalars().all()
        existing = {
            tuple(r)
            for r in session.execute(
                select(DeadlineAlert.case_id, DeadlineAlert.deadline, DeadlineAlert.kind, DeadlineAlert.due).where(
                    DeadlineAlert.case_id.in_(chunk)
                )
            )
        }
        for case in cases:
            reg = case.registered_at.astimezone(TZ).date() if case.registered_at else today
            prules = prules_on(reg)
            for name, due in case_deadlines(case):
                state = rules.deadline_state(due, today, calendar, prules.reminder_working_days.get(name, 1))
                if state == "ok":
                    continue
                key = (case.case_id, name, state, due)
                if key in existing:
                    continue
                existing.add(key)
                session.add(DeadlineAlert(alert_id=new_id()[:24], case_id=case.case_id, unit_code=case.unit_code,
                                          deadline=name, kind=state, due=due, raised_at=now))
                if state == "overdue":
                    overdue += 1
                    if not case.overdue:
                        case.overdue = True
                        flagged.append((case.case_id, name, due, case.unit_code))
                else:
                    reminders += 1
        session.flush()  # the batch's alerts and flags in a few statements, then one audit event per flag
        for case_id, name, due, unit in flagged:
            audit.record(session, actor=who, action="cases.overdue", object_type="case", object_id=case_id,
                         after={"deadline": name, "due": due}, unit_code=unit, now=now)
        flagged.clear()
        for obj in list(session.identity_map.values()):  # written; let go of what this sweep loaded
            if inspect(obj).key not in held:
                session.expunge(obj)
    audit.record(session, actor=who, action="cases.sweep", object_type="case_sweep", object_id=today.isoformat(),
                 after={"checked": checked, "reminders": reminders, "overdue": overdue}, now=now)
    session.flush()
    return SweepReport(checked, reminders, overdue)


def alerts(session: Session, *, actor: Actor, kind: str | None = None, officer: str | None = None, limit: int = 200) -> list[tuple[DeadlineAlert, Case]]:
    stmt = scope(select(DeadlineAlert, Case).join(Case, Case.case_id == DeadlineAlert.case_id), actor, Case.unit_code)
    if kind:
        stmt = stmt.where(DeadlineAlert.kind == kind)
    if officer:
        stmt = stmt.where(Case.officer == officer)
    stmt = stmt.where(Case.status.in_(OPEN_FOR_DECISION + OPEN_FOR_PAYMENT))
    return [(a, c) for a, c in session.execute(stmt.order_by(DeadlineAlert.due).limit(limit))]


def due_within(session: Session, *, actor: Actor, today: date, officer: str | None = None) -> list[tuple[Case, str, date]]:
    """Open deadlines that fall today or earlier (deadlines today, overdue), computed directly. The
    database picks the cases with such a deadline (the first 2000), so none is missed behind open cases
    whose deadlines are still ahead."""
    from sqlalchemy import and_, or_

    due_now = or_(
        and_(Case.status.in_(OPEN_FOR_DECISION), Case.decision_due <= today),
        and_(Case.status == CaseStatus.NOTIFIED.value, Case.defence_due <= today),
        and_(Case.status.in_(OPEN_FOR_PAYMENT), Case.payment_due <= today, Case.paid_fen == 0),
    )
    # the list shows code, party and deadline: only those columns are read (others load on access)
    shown = load_only(Case.case_id, Case.case_code, Case.unit_code, Case.party_name, Case.officer, Case.status,
                      Case.overdue, Case.decision_due, Case.defence_due, Case.payment_due, Case.paid_fen)
    stmt = scope(select(Case).options(shown).where(Case.status.in_(OPEN_FOR_DECISION + OPEN_FOR_PAYMENT), due_now),
                 actor, Case.unit_code)
    if officer:
        stmt = stmt.where(Case.officer == officer)
    out = []
    for c in session.execute(stmt.limit(2000)).scalars():
        for name, due in case_deadlines(c):
            if due <= today:
                out.append((c, name, due))
    return sorted(out, key=lambda t: t[2])


def timeline(session: Session, *, actor: Actor, case_id: str) -> list[Any]:
    case = access_case(session, actor, case_id)
    return audit.history(session, "case", case.case_id)


def review_queue(session: Session, *, actor: Actor) -> list[Case]:
    require_role(actor, Role.LEGAL_REVIEWER)
    stmt = scope(select(Case).where(Case.status == CaseStatus.LEGAL_REVIEW.value), actor, Case.unit_code)
    return list(session.execute(stmt.order_by(Case.legal_review_at)).scalars())




# ---------------------------------------------------------------- payment (C6)


def create_payment_order(session: Session, *, case: Case, provider: Any, now: datetime) -> Any:
    """An order for the amount due today (fine + late surcharge). A pending order for the same amount is
    reused so a reload does not multiply orders."""
    from zhifa.cases.orm import Payment

    if case.status not in OPEN_FOR_PAYMENT:
        raise IllegalTransition("本案当前不在缴款阶段", en="This case is not at the payment stage")
    if case.paid_fen > 0:
        raise Conflict("罚款已缴纳", en="The fine has already been paid")
    amount = amount_due_fen(session, case, _day(now))
    if amount <= 0:
        raise ValidationFailed("本案无需缴款", en="Nothing is due for this case")
    pending = session.execute(
        select(Payment).where(Payment.case_id == case.case_id, Payment.status == "pending", Payment.amount_fen == amount)
    ).scalars().first()
    if pending is not None:
        return pending
    order_no = f"ZF{now.astimezone(TZ):%Y%m%d}{receipt_code(12)}"
    qr = provider.create_order(order_no=order_no, amount_fen=amount, description=f"罚款 {case.case_code}")
    pay = Payment(order_no=order_no, case_id=case.case_id, provider=provider.name, amount_fen=amount, status="pending",
                  qr_payload=qr, created_at=now)
    session.add(pay)
    audit.record(session, actor=party_actor(case), action="cases.payment_order", object_type="case", object_id=case.case_id,
                 after={"order_no": order_no, "amount_fen": amount}, unit_code=case.unit_code, now=now)
    session.flush()
    return pay


def _apply_callback(session: Session, *, data: Any, provider: Any, body: bytes, now: datetime) -> Any:
    from zhifa.cases.orm import AcceptedNonce, Payment, PaymentCallback
    from zhifa.cases.payment import PaymentRejected
    from zhifa.shared.access import SYSTEM

    if session.get(AcceptedNonce, data.nonce) is not None:
        raise PaymentRejected("支付回调重复（重放），已拒绝", en="Duplicate payment callback (replay); refused")
    pay = session.get(Payment, data.order_no)
    if pay is None or pay.provider != provider.name:
        raise PaymentRejected("支付订单不存在", en="Payment order not found")
    if pay.status == "paid":
        raise PaymentRejected("订单已支付，重复回调已拒绝", en="The order is already paid; the repeated callback was refused")
    if session.execute(select(Payment.order_no).where(Payment.txn_id == data.txn_id)).first():
        raise PaymentRejected("交易流水号已使用", en="The transaction number has already been used")
    if data.amount_fen != pay.amount_fen:
        raise PaymentRejected(f"支付金额 {data.amount_fen} 分与订单金额 {pay.amount_fen} 分不符", en=f"The amount paid, {data.amount_fen} fen, does not match the order amount of {pay.amount_fen} fen")
    case = session.get(Case, pay.case_id)
    if case is None or case.status not in OPEN_FOR_PAYMENT or case.paid_fen > 0:
        raise PaymentRejected("案件当前不能入账", en="The case cannot take a payment now")
    session.add(AcceptedNonce(nonce=data.nonce, received_at=now))
    pay.status = "paid"
    pay.txn_id = data.txn_id
    pay.paid_at = data.paid_at
    before = snapshot(case)
    case.paid_fen = data.amount_fen
    case.surcharge_fen = max(0, data.amount_fen - (case.fine_yuan or 0) * 100)
    if case.status == CaseStatus.SERVED.value:
        case.status = CaseStatus.ENFORCING.value
        _stamp(case, CaseStatus.ENFORCING, now)
    case.status = CaseStatus.CLOSED.value
    _stamp(case, CaseStatus.CLOSED, now)
    case.overdue = False
    session.add(PaymentCallback(callback_id=new_id()[:24], order_no=data.order_no, txn_id=data.txn_id, nonce=data.nonce,
                                outcome="accepted", reason=None, body=body.decode("utf-8", "replace")[:4000], received_at=now))
    audit.record(session, actor=SYSTEM, action="cases.paid", object_type="case", object_id=case.case_id, before=before,
                 after={**snapshot(case), "order_no": pay.order_no, "txn_id": data.txn_id, "paid_fen": case.paid_fen,
                        "surcharge_fen": case.surcharge_fen},
                 reason="缴款成功，结案", unit_code=case.unit_code, now=now)
    session.flush()
    return pay


def receive_payment_callback(db: Any, *, provider: Any, body: bytes, headers: Mapping[str, str], now: datetime) -> Any:
    """Verify and apply a gateway callback in one transaction; a refusal rolls everything back and is
    then recorded (callback row + audit event) in its own transaction before the error is raised."""
    from sqlalchemy.exc import IntegrityError

    from zhifa.cases.orm import PaymentCallback
    from zhifa.cases.payment import PaymentRejected
    from zhifa.db.session import unit_of_work
    from zhifa.shared.access import SYSTEM
    from zhifa.shared.errors import ZhifaError

    data = None
    try:
        data = provider.verify_callback(body, headers, now=now)
        with unit_of_work(db) as s:
            return _apply_callback(s, data=data, provider=provider, body=body, now=now)
    except (ZhifaError, IntegrityError) as exc:
        reason = exc.message if isinstance(exc, ZhifaError) else "支付回调重复（并发），已拒绝"
        with unit_of_work(db) as s:
            s.add(PaymentCallback(callback_id=new_id()[:24], order_no=getattr(data, "order_no", None),
                                  txn_id=getattr(data, "txn_id", None), nonce=getattr(data, "nonce", None),
                                  outcome="refused", reason=reason, body=body.decode("utf-8", "replace")[:4000], received_at=now))
            audit.record(s, actor=SYSTEM, action="cases.payment_refused", object_type="payment_callback",
                         object_id=getattr(data, "order_no", None) or "unknown", after={"reason": reason}, reason=reason, now=now)
        if isinstance(exc, ZhifaError):
            raise
        raise PaymentRejected(reason, en="Duplicate payment callback (concurrent); refused") from exc
