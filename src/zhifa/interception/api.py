"""JSON API: /api/watch (watch-list), /api/intercept (tasks, outcomes, live view, figures), /api/forwarded-leads."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from zhifa.interception import service as svc
from zhifa.interception.orm import ForwardedLead, InterceptTask, WatchHit, WatchlistEntry
from zhifa.shared.errors import ValidationFailed
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor

router = APIRouter(prefix="/api", tags=["interception"])


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v else None


def entry_json(e: WatchlistEntry, now: datetime) -> dict[str, Any]:
    return {"entry_id": e.entry_id, "plate": e.plate, "plate_color": e.plate_color, "reason": e.reason,
            "source": e.source, "issued_by_unit": e.issued_by_unit, "priority": e.priority,
            "valid_from": _iso(e.valid_from), "valid_to": _iso(e.valid_to), "status": e.status,
            "effective_status": svc.effective_status(e, now), "legal_basis": e.legal_basis, "case_no": e.case_no,
            "approver": e.approver, "scope_stations": e.scope_stations, "scope_hours": e.scope_hours}


def task_json(t: InterceptTask) -> dict[str, Any]:
    return {"task_id": t.task_id, "hit_id": t.hit_id, "entry_id": t.entry_id, "plate": t.plate,
            "plate_color": t.plate_color, "station_id": t.station_id, "team_id": t.team_id, "unit_code": t.unit_code,
            "priority": t.priority, "distance_m": t.distance_m, "eta": _iso(t.eta), "deadline": _iso(t.deadline),
            "status": t.status, "outcome": t.outcome, "findings": t.findings, "case_id": t.case_id,
            "outcome_reason": t.outcome_reason, "answered_at": _iso(t.answered_at), "answered_late": t.answered_late,
            "escalation_level": t.escalation_level, "withdrawn_reason": t.withdrawn_reason,
            "created_at": _iso(t.created_at)}


def hit_json(h: WatchHit) -> dict[str, Any]:
    return {"hit_id": h.hit_id, "record_id": h.record_id, "entry_id": h.entry_id, "site_id": h.site_id,
            "record_kind": h.record_kind, "event_time": _iso(h.event_time), "plate_read": h.plate_read,
            "plate": h.plate, "plate_color": h.plate_color, "match_kind": h.match_kind, "confidence": h.confidence,
            "late": h.late, "lag_s": h.lag_s, "whitelisted": h.whitelisted}


def forwarded_json(x: ForwardedLead) -> dict[str, Any]:
    return {"lead_id": x.lead_id, "external_ref": x.external_ref, "source_unit": x.source_unit,
            "source_province": x.source_province, "category": x.category, "plate": x.plate,
            "plate_color": x.plate_color, "occurred_at": _iso(x.occurred_at), "location": x.location,
            "facts": x.facts, "evidence": x.evidence, "unit_code": x.unit_code, "assignee": x.assignee,
            "status": x.status, "due_at": _iso(x.due_at), "result": x.result, "watch_entry_id": x.watch_entry_id,
            "received_at": _iso(x.received_at), "closed_at": _iso(x.closed_at)}


# ---------------------------------------------------------------- watch-list
class WatchIn(BaseModel):
    plate: str
    plate_color: str
    reason: str
    source: str = "manual"
    valid_to: datetime
    valid_from: datetime | None = None
    priority: int = 2
    issued_by_unit: str | None = None
    legal_basis: str | None = None
    case_no: str | None = None
    approver: str | None = None
    scope_stations: list[str] | None = None
    scope_hours: str | None = Field(None, description="HH:MM-HH:MM, may wrap midnight")
    vehicle_class: int | None = None
    axle_count: int | None = None


@router.get("/watch")
def api_watch_search(actor: StaffActor, s: DbSession, clock: ClockDep, plate: str | None = None,
                     status: str | None = None, source: str | None = None,
                     limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> dict[str, Any]:
    now = clock.now()
    rows, total = svc.search_watchlist(s, actor=actor, now=now, plate=plate, status=status, source=source,
                                       limit=limit, offset=offset)
    return {"total": total, "items": [entry_json(e, now) for e in rows]}


@router.post("/watch", status_code=201)
def api_watch_add(body: WatchIn, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    data = body.model_dump()
    e = svc.add_watch_entry(s, actor=actor, now=clock.now(), **data)
    return entry_json(e, clock.now())


class ReasonIn(BaseModel):
    reason: str


@router.post("/watch/{entry_id}/revoke")
def api_watch_revoke(entry_id: str, body: ReasonIn, actor: StaffActor, s: DbSession, clock: ClockDep,
                     _: Csrf) -> dict[str, Any]:
    return entry_json(svc.revoke_watch_entry(s, actor=actor, entry_id=entry_id, reason=body.reason, now=clock.now()),
                      clock.now())


@router.get("/watch/{entry_id}/hits")
def api_watch_hits(entry_id: str, actor: StaffActor, s: DbSession, clock: ClockDep) -> dict[str, Any]:
    return {"items": [hit_json(h) for h in svc.hits_for_entry(s, actor=actor, entry_id=entry_id, now=clock.now())]}


# ---------------------------------------------------------------- tasks
@router.get("/intercept/tasks")
def api_tasks(actor: StaffActor, s: DbSession, status: str | None = None, station_id: str | None = None,
              limit: int = Query(200, ge=1, le=1000)) -> dict[str, Any]:
    return {"items": [task_json(t) for t in svc.list_tasks(s, actor=actor, status=status, station_id=station_id,
                                                          limit=limit)]}


class OutcomeIn(BaseModel):
    outcome: str = Field(description="intercepted | not_seen | released | false_hit")
    findings: str | None = None
    case_id: str | None = None
    reason: str | None = None


@router.post("/intercept/tasks/{task_id}/outcome")
def api_outcome(task_id: str, body: OutcomeIn, actor: StaffActor, s: DbSession, clock: ClockDep,
                _: Csrf) -> dict[str, Any]:
    t = svc.report_outcome(s, actor=actor, task_id=task_id, outcome=body.outcome, findings=body.findings,
                           case_id=body.case_id, reason=body.reason, now=clock.now())
    return task_json(t)


@router.get("/intercept/live")
def api_live(actor: StaffActor, s: DbSession, clock: ClockDep) -> dict[str, Any]:
    now = clock.now()
    return {"at": now.isoformat(), "vehicles": svc.live_positions(s, actor=actor, now=now),
            "open_tasks": [task_json(t) for t in svc.list_tasks(s, actor=actor, status="open", limit=300)]}


@router.get("/intercept/figures")
def api_figures(actor: StaffActor, s: DbSession, clock: ClockDep, by: str = "city",
                days: int = Query(30, ge=1, le=3660)) -> dict[str, Any]:
    now = clock.now()
    figs = svc.figures(s, actor=actor, by=by, since=now - timedelta(days=days), until=now + timedelta(seconds=1),
                       now=now)
    rows = [f.as_dict() for f in figs]
    return {"by": by, "days": days, "items": rows, "late_total": sum(r["late"] for r in rows)}


# ---------------------------------------------------------------- forwarded leads (抄告)
def _csv_items(text: str) -> list[dict[str, Any]]:
    return [dict(r) for r in csv.DictReader(io.StringIO(text))]


@router.post("/forwarded-leads")
async def api_forwarded_receive(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                                watch: bool = False) -> dict[str, Any]:
    """Receive one lead or a list (JSON), or a CSV file body (text/csv). Format: docs/forwarded_leads.md."""
    ctype = request.headers.get("content-type", "")
    raw = await request.body()
    try:
        if ctype.startswith("text/csv"):
            items = _csv_items(raw.decode("utf-8-sig"))
        else:
            import json

            data = json.loads(raw or b"null")
            items = data if isinstance(data, list) else [data]
    except (ValueError, UnicodeDecodeError) as e:
        raise ValidationFailed(f"无法解析抄告内容: {e}", en=f"Cannot parse the forwarded lead: {e}") from e
    if not items or not all(isinstance(i, dict) for i in items):
        raise ValidationFailed("抄告内容须为对象或对象数组", en="A forwarded lead must be a JSON object or an array of objects")
    created, repeated, errors = [], [], []
    for n, item in enumerate(items, start=1):
        try:
            with s.begin_nested():
                lead, is_new = svc.receive_forwarded(s, actor=actor, item=item, now=clock.now(), watch=watch)
            (created if is_new else repeated).append(lead.lead_id)
        except ValidationFailed as e:
            errors.append({"row": n, "error": e.message, "error_en": e.text("en")})
    return {"created": created, "repeated": repeated, "errors": errors}


@router.get("/forwarded-leads")
def api_forwarded_list(actor: StaffActor, s: DbSession, status: str | None = None) -> dict[str, Any]:
    return {"items": [forwarded_json(x) for x in svc.list_forwarded(s, actor=actor, status=status)]}


class AssignIn(BaseModel):
    unit_code: str
    assignee: str | None = None


@router.post("/forwarded-leads/{lead_id}/assign")
def api_forwarded_assign(lead_id: str, body: AssignIn, actor: StaffActor, s: DbSession, clock: ClockDep,
                         _: Csrf) -> dict[str, Any]:
    return forwarded_json(svc.assign_forwarded(s, actor=actor, lead_id=lead_id, unit_code=body.unit_code,
                                               assignee=body.assignee, now=clock.now()))


@router.post("/forwarded-leads/{lead_id}/handle")
def api_forwarded_handle(lead_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    return forwarded_json(svc.handle_forwarded(s, actor=actor, lead_id=lead_id, now=clock.now()))


class CloseIn(BaseModel):
    result: str


@router.post("/forwarded-leads/{lead_id}/close")
def api_forwarded_close(lead_id: str, body: CloseIn, actor: StaffActor, s: DbSession, clock: ClockDep,
                        _: Csrf) -> dict[str, Any]:
    return forwarded_json(svc.close_forwarded(s, actor=actor, lead_id=lead_id, result=body.result, now=clock.now()))


@router.get("/forwarded-leads/completion")
def api_forwarded_completion(actor: StaffActor, s: DbSession, clock: ClockDep) -> dict[str, Any]:
    return {"items": svc.forwarded_completion(s, actor=actor, now=clock.now())}
