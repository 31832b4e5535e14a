"""Verbs of supervision. One transaction each (the caller's unit_of_work), audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.calendar import WorkingCalendar
from zhifa.shared.errors import NotFound, PermissionDenied, ValidationFailed
from zhifa.shared.ids import new_id
from zhifa.shared.numbering import next_number
from zhifa.supervision import rules
from zhifa.supervision.model import OrderAction, OrderSource, OrderStatus
from zhifa.supervision.orm import WorkOrder
from zhifa.supervision.ruledata import params_on


def _snapshot(o: WorkOrder) -> dict[str, object]:
    return {"status": o.status, "due_date": o.due_date.isoformat(), "urge_count": o.urge_count, "reopen_count": o.reopen_count}


def create_order(
    session: Session,
    *,
    actor: Actor,
    unit_code: str,
    source: OrderSource | str,
    title: str,
    description: str = "",
    source_ref: str | None = None,
    time_limit_working_days: int | None = None,
    calendar: WorkingCalendar,
    now: datetime,
) -> WorkOrder:
    """交办: number the order in the issuing unit's sequence and set its time limit on the calendar."""
    require_role(actor, Role.SUPERVISOR, Role.ANALYST)
    if not actor.can_see_unit(unit_code):
        raise PermissionDenied("只能向本单位及下级单位交办工单")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed("工单标题不能为空，且不超过200字")
    src = OrderSource(source)
    params = params_on(now.date())
    limit = time_limit_working_days or params.default_time_limit_working_days
    if not 1 <= limit <= 90:
        raise ValidationFailed("办理时限须在1至90个工作日之间")
    seq = next_number(session, kind="work_order", unit_code=actor.unit_code, year=now.year)
    order = WorkOrder(
        order_id=new_id()[:24],
        number=rules.order_number(params.order_prefix, now.year, seq),
        issued_by_unit=actor.unit_code,
        unit_code=unit_code,
        year=now.year,
        seq=seq,
        source=src.value,
        source_ref=source_ref,
        title=title,
        description=description[:5000],
        status=OrderStatus.ASSIGNED.value,
        due_date=calendar.add_working_days(now.date(), limit),
        params_version=params.version,
        assigned_at=now,
        created_by=actor.username,
    )
    session.add(order)
    session.flush()
    audit.record(
        session, actor=actor, action="supervision.assign", object_type="work_order", object_id=order.order_id,
        after={"number": order.number, **_snapshot(order)}, unit_code=unit_code, now=now,
    )
    return order


def access_order(session: Session, actor: Actor, order_id: str) -> WorkOrder:
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise NotFound("工单不存在")
    # the handling unit and the issuing unit (and the units above either) may both see it
    visible_as = order.unit_code if actor.can_see_unit(order.unit_code) else order.issued_by_unit
    check_visible(actor, visible_as, "工单")
    return order


def act(
    session: Session,
    *,
    actor: Actor,
    order_id: str,
    action: OrderAction | str,
    note: str | None = None,
    now: datetime,
) -> WorkOrder:
    """承办 / 督办 / 办结 / 回访. Accept and complete are the handling unit's; urge and callback the issuer's."""
    order = access_order(session, actor, order_id)
    act_ = OrderAction(action)
    handling_side = act_ in (OrderAction.ACCEPT, OrderAction.COMPLETE)
    if handling_side:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST)
        if not actor.can_see_unit(order.unit_code):
            raise PermissionDenied("只有承办单位可以承办或办结工单")
    else:
        require_role(actor, Role.SUPERVISOR)
        if not actor.can_see_unit(order.issued_by_unit):
            raise PermissionDenied("只有交办单位可以督办或回访")
    if act_ is OrderAction.COMPLETE and not (note or "").strip():
        raise ValidationFailed("办结须填写办理结果")
    before = _snapshot(order)
    new = rules.next_status(OrderStatus(order.status), act_)
    order.status = new.value
    if act_ is OrderAction.ACCEPT:
        order.accepted_at = now
    elif act_ is OrderAction.URGE:
        order.urge_count += 1
    elif act_ is OrderAction.COMPLETE:
        order.completed_at = now
        order.result = (note or "").strip()[:5000]
    elif act_ is OrderAction.CALLBACK_SATISFIED:
        order.satisfaction = "satisfied"
        order.closed_at = now
    elif act_ is OrderAction.CALLBACK_DISSATISFIED:
        order.satisfaction = "dissatisfied"
        order.reopen_count += 1
        order.completed_at = None
    session.flush()
    audit.record(
        session, actor=actor, action=f"supervision.{act_.value}", object_type="work_order", object_id=order.order_id,
        before=before, after=_snapshot(order), reason=note, unit_code=order.unit_code, now=now,
    )
    return order


@dataclass(frozen=True)
class SweepReport:
    reminded: int
    escalated: int


def sweep(session: Session, *, actor: Actor, calendar: WorkingCalendar, now: datetime) -> SweepReport:
    """Reminders before the time limit, escalation (to the issuer's superior) after it; each once."""
    params = params_on(now.date())
    open_states = [OrderStatus.ASSIGNED.value, OrderStatus.ACCEPTED.value]
    orders = session.execute(select(WorkOrder).where(WorkOrder.status.in_(open_states))).scalars().all()
    reminded = escalated = 0
    today = now.date()
    for o in orders:
        state = rules.deadline_state(
            o.due_date,
            today,
            working_days_left=calendar.working_days_between(today, o.due_date),
            remind_before=params.remind_before_working_days,
        )
        if state.remind and o.reminded_at is None:
            o.reminded_at = now
            reminded += 1
            audit.record(session, actor=actor, action="supervision.remind", object_type="work_order",
                         object_id=o.order_id, after={"due_date": o.due_date.isoformat()}, unit_code=o.unit_code, now=now)
        if state.overdue and o.escalated_at is None:
            o.escalated_at = now
            escalated += 1
            audit.record(session, actor=actor, action="supervision.escalate", object_type="work_order",
                         object_id=o.order_id, after={"due_date": o.due_date.isoformat()}, unit_code=o.unit_code, now=now)
    return SweepReport(reminded, escalated)


def list_orders(
    session: Session, *, actor: Actor, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[WorkOrder], int]:
    stmt = scope(select(WorkOrder), actor, WorkOrder.unit_code)
    if status:
        stmt = stmt.where(WorkOrder.status == status)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(stmt.order_by(WorkOrder.assigned_at.desc()).limit(min(limit, 500)).offset(offset))
    return list(rows.scalars()), int(total)


def on_time_figures(session: Session, *, unit_codes: list[str] | None, start: date, end: date) -> dict[str, tuple[int, int]]:
    """Per handling unit: (orders due in the period, of which completed by their due date)."""
    stmt = select(WorkOrder).where(WorkOrder.due_date >= start, WorkOrder.due_date <= end)
    if unit_codes is not None:
        stmt = stmt.where(WorkOrder.unit_code.in_(unit_codes))
    out: dict[str, list[int]] = {}
    for o in session.execute(stmt).scalars():
        counts = out.setdefault(o.unit_code, [0, 0])
        counts[0] += 1
        counts[1] += int(o.completed_at is not None and o.completed_at.date() <= o.due_date)
    return {u: (v[0], v[1]) for u, v in out.items()}
