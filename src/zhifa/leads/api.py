"""JSON API of leads: list, detail, review; a vehicle's trajectory of a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from zhifa.leads import queries
from zhifa.leads.orm import Lead
from zhifa.leads.service import list_leads
from zhifa.shared.errors import ValidationFailed
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, get_container

router = APIRouter(prefix="/api", tags=["leads"])


def lead_json(x: Lead) -> dict[str, Any]:
    return {
        "lead_id": x.lead_id, "rule": x.rule, "plate": x.plate, "plate_color": x.plate_color,
        "start": x.start.isoformat(), "end": x.end.isoformat(), "unit_code": x.unit_code, "site_id": x.site_id,
        "score": x.score, "explanation": x.explanation, "evidence": x.evidence, "rule_version": x.rule_version,
        "status": x.status, "review_reason": x.review_reason, "reviewed_by": x.reviewed_by,
        "reviewed_at": x.reviewed_at.isoformat() if x.reviewed_at else None, "case_id": x.case_id,
    }


@router.get("/leads")
def api_leads(
    actor: StaffActor,
    s: DbSession,
    rule: str | None = None,
    status: str | None = None,
    unit_code: str | None = None,
    plate: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    rows, total = list_leads(s, actor=actor, rule=rule, status=status, unit_code=unit_code, plate=plate,
                             limit=limit, offset=offset)
    return {"total": total, "items": [lead_json(r) for r in rows]}


@router.get("/leads/{lead_id}")
def api_lead(lead_id: str, actor: StaffActor, s: DbSession) -> dict[str, Any]:
    return lead_json(queries.lead_detail(s, actor=actor, lead_id=lead_id))


class ReviewIn(BaseModel):
    decision: str = Field(description="confirmed | rejected")
    reason: str | None = None
    follow_up: str = Field("none", description="none | case | watch")
    party_name: str | None = None
    party_kind: str = "person"
    proposed_fine_yuan: int | None = None


@router.post("/leads/{lead_id}/review")
def api_review(lead_id: str, body: ReviewIn, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    lead, opened = queries.review_with_follow_up(
        s, actor=actor, lead_id=lead_id, decision=body.decision, reason=body.reason, now=clock.now(),
        follow_up=body.follow_up, party_name=body.party_name, party_kind=body.party_kind,
        proposed_fine_yuan=body.proposed_fine_yuan,
    )
    return {**lead_json(lead), "opened": opened}


@router.get("/trajectory")
def api_trajectory(
    request: Request, actor: StaffActor, s: DbSession, plate: str, day: str, color: str = "blue"
) -> dict[str, Any]:
    try:
        d = date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("日期格式无效（应为 YYYY-MM-DD）", en="Invalid date (expected YYYY-MM-DD)") from None
    lake = get_container(request).settings.lake_dir
    return queries.trajectory(s, lake_dir=lake, plate=plate, plate_color=color, day=d).as_json()
