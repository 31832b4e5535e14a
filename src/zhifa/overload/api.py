"""JSON API for overload control (/api/overload) and the credit list (/api/overload/credit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from zhifa.credit import service as credit_service
from zhifa.overload import service
from zhifa.web.deps import ClockDep, Csrf, CurrentActor, DbSession, StaffActor, get_container

router = APIRouter(prefix="/api/overload", tags=["overload"])


class ReviewIn(BaseModel):
    decision: str = Field(pattern="^(confirmed|rejected)$")
    reason: str | None = Field(default=None, max_length=2000)


class TraceCloseIn(BaseModel):
    outcome: str = Field(max_length=24)
    note: str = Field(max_length=2000)
    fine_yuan: int | None = Field(default=None, ge=0, le=1_000_000)


def _det(d: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.__dict__.items() if not k.startswith("_")}


@router.get("/records")
def records(actor: StaffActor, s: DbSession, site_id: str | None = None, city: str | None = None,
            day_from: date | None = None, day_to: date | None = None, severity: str | None = None,
            plate: str | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    rows, total = service.list_determinations(s, actor=actor, site_id=site_id, city_code=city, day_from=day_from,
                                              day_to=day_to, severity=severity, plate=plate, limit=limit, offset=offset)
    return {"total": total, "items": [_det(d) for d in rows]}


@router.get("/leads")
def leads(actor: StaffActor, s: DbSession, status: str | None = None, rule: str | None = None, limit: int = 100,
          offset: int = 0) -> dict[str, Any]:
    rows, total = service.list_overload_leads(s, actor=actor, status=status, rule=rule, limit=limit, offset=offset)
    return {"total": total, "items": [
        {"lead_id": x.lead_id, "rule": x.rule, "plate": x.plate, "plate_color": x.plate_color,
         "start": x.start.isoformat(), "end": x.end.isoformat(), "unit_code": x.unit_code, "site_id": x.site_id,
         "status": x.status, "explanation": x.explanation, "case_id": x.case_id, "rule_version": x.rule_version,
         "proposed_penalty": (x.evidence or {}).get("proposed_penalty")}
        for x in rows]}


@router.get("/leads/{lead_id}/evidence")
def lead_evidence(lead_id: str, actor: StaffActor, s: DbSession) -> dict[str, Any]:
    """The evidence bundle, whether every part still matches its SHA-256, and each record's determination."""
    v = service.lead_evidence(s, actor=actor, lead_id=lead_id)
    return {"lead_id": lead_id, "intact": v.intact, "problems": v.problems, "bundle": v.bundle,
            "determinations": [_det(d) if d is not None else None for d in v.determinations],
            "plate_registered": v.registered,
            "registered_lookalikes": [{"plate": p, "weighed_in_window": w} for p, w in v.lookalikes]}


@router.post("/leads/{lead_id}/review")
def review(request: Request, lead_id: str, body: ReviewIn, actor: StaffActor, s: DbSession, clock: ClockDep,
           _: Csrf) -> dict[str, Any]:
    res = service.review(s, actor=actor, lead_id=lead_id, decision=body.decision, reason=body.reason,
                         now=clock.now(), documents_dir=get_container(request).settings.documents_dir)
    return {"lead_id": res.lead.lead_id, "status": res.lead.status, "case_id": res.case_id,
            "notice_id": res.notice.notice_id if res.notice else None}


@router.get("/trucks-100t")
def trucks_100t(actor: StaffActor, s: DbSession, day_from: date | None = None,
                day_to: date | None = None) -> list[dict[str, Any]]:
    return service.trucks_100t(s, actor=actor, day_from=day_from, day_to=day_to)


@router.get("/entry-rate")
def entry_rate(actor: StaffActor, s: DbSession, month: str, by: str = "station") -> list[dict[str, Any]]:
    return service.entry_overload_rate(s, actor=actor, month=month, by=by)


@router.get("/sources")
def sources(actor: StaffActor, s: DbSession, key_only: bool = False) -> list[dict[str, Any]]:
    return [{"enterprise_id": e.enterprise_id, "name": e.name, "unit_code": e.unit_code, "key_source": e.key_source,
             "published_on": e.published_on.isoformat() if e.published_on else None}
            for e in service.list_sources(s, actor=actor, key_only=key_only)]


@router.get("/trace")
def trace(actor: StaffActor, s: DbSession, status: str | None = None) -> list[dict[str, Any]]:
    return [_det(t) for t in service.list_trace_tasks(s, actor=actor, status=status)]


@router.post("/trace/{task_id}/close")
def trace_close(task_id: str, body: TraceCloseIn, actor: StaffActor, s: DbSession, clock: ClockDep,
                _: Csrf) -> dict[str, Any]:
    t = service.close_trace_task(s, actor=actor, task_id=task_id, outcome=body.outcome, note=body.note,
                                 fine_yuan=body.fine_yuan, now=clock.now())
    return _det(t)


@router.get("/credit")
def credit_list(actor: StaffActor, s: DbSession, status: str | None = None,
                kind: str | None = None) -> list[dict[str, Any]]:
    return [_det(x) for x in credit_service.list_listings(s, actor=actor, status=status, subject_kind=kind)]


@router.get("/credit/mine/{subject_id}")
def credit_mine(subject_id: str, actor: CurrentActor, s: DbSession) -> list[dict[str, Any]]:
    """A party's own listings and the events behind them."""
    return credit_service.party_view(s, actor=actor, subject_id=subject_id)
