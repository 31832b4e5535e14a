"""JSON API of supervision under /api/supervision."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from zhifa.shared.calendar import cn_calendar
from zhifa.shared.errors import ValidationFailed
from zhifa.supervision import ranking, service
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor

router = APIRouter(prefix="/api/supervision", tags=["supervision"])


class OrderCreate(BaseModel):
    unit_code: str = Field(max_length=6)
    title: str = Field(max_length=200)
    source: str = "instruction"
    description: str = Field("", max_length=5000)
    time_limit_working_days: int | None = Field(None, ge=1, le=90)


class OrderAct(BaseModel):
    action: str = Field(max_length=32)
    note: str | None = Field(None, max_length=5000)


def _order(o: Any) -> dict[str, Any]:
    return {"order_id": o.order_id, "number": o.number, "unit_code": o.unit_code, "issued_by_unit": o.issued_by_unit,
            "source": o.source, "title": o.title, "status": o.status, "due_date": o.due_date.isoformat(),
            "urge_count": o.urge_count, "reopen_count": o.reopen_count, "satisfaction": o.satisfaction,
            "escalated": o.escalated_at is not None}


@router.get("/orders")
def list_orders(actor: StaffActor, s: DbSession, status: str | None = None, limit: int = 50,
                offset: int = 0) -> dict[str, Any]:
    rows, total = service.list_orders(s, actor=actor, status=status, limit=limit, offset=offset)
    return {"data": [_order(o) for o in rows], "count": total}


@router.post("/orders", status_code=201)
def create_order(body: OrderCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    o = service.create_order(s, actor=actor, unit_code=body.unit_code, source=body.source, title=body.title,
                             description=body.description, time_limit_working_days=body.time_limit_working_days,
                             calendar=cn_calendar(), now=clock.now())
    return _order(o)


@router.get("/orders/{order_id}")
def get_order(order_id: str, actor: StaffActor, s: DbSession) -> dict[str, Any]:
    return _order(service.access_order(s, actor, order_id))


@router.post("/orders/{order_id}/act")
def act(order_id: str, body: OrderAct, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    return _order(service.act(s, actor=actor, order_id=order_id, action=body.action, note=body.note, now=clock.now()))


@router.get("/ranking")
def get_ranking(actor: StaffActor, s: DbSession, period: str) -> dict[str, Any]:
    try:
        start, end = ranking.period_of(period)
    except (ValueError, TypeError):
        raise ValidationFailed("统计期间格式应为 2022Q1、2022-03 或 2022", en="The period must look like 2022Q1, 2022-03 or 2022") from None
    return ranking.as_dict(ranking.visible_rows(ranking.compute(s, actor=actor, start=start, end=end), actor))


@router.get("/figures")
def figures(actor: StaffActor, s: DbSession, start: date, end: date) -> dict[str, Any]:
    return {
        "inspections": service.inspection_figures(s, actor=actor, start=start, end=end),
        "accountability": service.accountability_figures(s, actor=actor, start=start, end=end),
        "joint_operations": service.joint_operation_figures(s, actor=actor, start=start, end=end),
    }
