"""Verbs on leads: store detector findings (deduplicated), review them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhifa.leads.model import TRANSITIONS, LeadDraft, LeadStatus
from zhifa.leads.orm import Lead
from zhifa.shared import audit, plates
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.clock import TZ
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed
from zhifa.shared.ids import new_id


@dataclass(frozen=True)
class StoreReport:
    created: int
    duplicates: int


def store_leads(
    session: Session, *, actor: Actor, drafts: Sequence[LeadDraft], now: datetime, source: str
) -> StoreReport:
    """Insert new leads; a draft whose dedup_key exists already is counted, not stored again.

    One audit event covers the batch (a detector run), naming how many were created.
    """
    keys = list({d.dedup_key for d in drafts})
    existing: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        existing.update(session.execute(select(Lead.dedup_key).where(Lead.dedup_key.in_(chunk))).scalars())
    created = 0
    seen: set[str] = set()
    rows = []
    for d in drafts:
        if d.dedup_key in existing or d.dedup_key in seen:
            continue
        seen.add(d.dedup_key)
        rows.append(
            dict(
                lead_id=new_id()[:24],
                rule=d.rule,
                plate=d.plate,
                plate_color=d.plate_color,
                start=d.start,
                end=d.end,
                unit_code=d.unit_code,
                site_id=d.site_id,
                score=float(d.score),
                explanation=d.explanation,
                evidence=d.evidence,
                rule_version=d.rule_version,
                dedup_key=d.dedup_key,
                status=LeadStatus.OPEN.value,
                created_at=now,
            )
        )
        created += 1
    if rows:
        session.execute(Lead.__table__.insert(), rows)
    audit.record(
        session,
        actor=actor,
        action="leads.store",
        object_type="lead_batch",
        object_id=source,
        after={"created": created, "duplicates": len(drafts) - created},
        now=now,
    )
    return StoreReport(created=created, duplicates=len(drafts) - created)


def access_lead(session: Session, actor: Actor, lead_id: str) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound("线索不存在", en="Lead not found")
    check_visible(actor, lead.unit_code, "线索", what_en="Lead")
    return lead


def list_leads(
    session: Session,
    *,
    actor: Actor,
    rule: str | None = None,
    status: str | None = None,
    unit_code: str | None = None,
    plate: str | None = None,
    day: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Lead], int]:
    """Leads in the actor's jurisdiction, newest first; `day` keeps those whose window touches that day."""
    stmt = scope(select(Lead), actor, Lead.unit_code)
    if rule:
        stmt = stmt.where(Lead.rule == rule)
    if status:
        stmt = stmt.where(Lead.status == status)
    if unit_code:
        stmt = stmt.where(Lead.unit_code == unit_code)
    if plate:
        stmt = stmt.where(Lead.plate == plates.normalise(plate))
    if day:
        d0 = datetime.combine(day, time(0), tzinfo=TZ)
        stmt = stmt.where(Lead.start < d0 + timedelta(days=1), Lead.end >= d0)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.order_by(Lead.start.desc(), Lead.lead_id).limit(min(limit, 500)).offset(offset)).scalars()
    return list(rows), int(total)


def review_lead(
    session: Session,
    *,
    actor: Actor,
    lead_id: str,
    decision: LeadStatus | str,
    reason: str | None,
    now: datetime,
) -> Lead:
    """Confirm or reject an open lead. Rejection needs a reason; the lead is kept either way."""
    require_role(actor, Role.ANALYST, Role.OFFICER, Role.LEGAL_REVIEWER)
    lead = access_lead(session, actor, lead_id)
    target = LeadStatus(decision)
    current = LeadStatus(lead.status)
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(f"线索状态为 {current.value}，不能改为 {target.value}", en=f"The lead is {current.value} and cannot be changed to {target.value}")
    if target is LeadStatus.REJECTED and not (reason or "").strip():
        raise ValidationFailed("驳回线索须填写理由", en="Rejecting a lead requires a reason")
    before = {"status": lead.status}
    lead.status = target.value
    lead.review_reason = (reason or "").strip() or None
    lead.reviewed_by = actor.username
    lead.reviewed_at = now
    audit.record(
        session,
        actor=actor,
        action=f"leads.{target.value}",
        object_type="lead",
        object_id=lead.lead_id,
        before=before,
        after={"status": lead.status},
        reason=lead.review_reason,
        unit_code=lead.unit_code,
        now=now,
    )
    session.flush()
    return lead


def link_case(session: Session, *, lead: Lead, case_id: str) -> None:
    lead.case_id = case_id


def counts_by_rule(session: Session, *, actor: Actor) -> dict[str, int]:
    stmt = scope(select(Lead.rule, func.count()).group_by(Lead.rule), actor, Lead.unit_code)
    return {r: int(n) for r, n in session.execute(stmt)}


