"""Verbs of supervision. One transaction each (the caller's unit_of_work), audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
from zhifa.supervision.orm import (
    Accountability,
    InspectionFinding,
    InspectionRound,
    Interview,
    JointOperation,
    WorkOrder,
)
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
        raise PermissionDenied("只能向本单位及下级单位交办工单", en="Work orders may only be assigned to your own unit or the units below it")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed("工单标题不能为空，且不超过200字", en="The work order title is required and may be at most 200 characters")
    if source not in {x.value for x in OrderSource}:
        raise ValidationFailed(f"未知的工单来源：{source}", en=f"Unknown work order source: {source}")
    src = OrderSource(source)
    params = params_on(now.date())
    limit = time_limit_working_days or params.default_time_limit_working_days
    if not 1 <= limit <= 90:
        raise ValidationFailed("办理时限须在1至90个工作日之间", en="The time limit must be between 1 and 90 working days")
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
        raise NotFound("工单不存在", en="Work order not found")
    # the handling unit and the issuing unit (and the units above either) may both see it
    visible_as = order.unit_code if actor.can_see_unit(order.unit_code) else order.issued_by_unit
    check_visible(actor, visible_as, "工单", what_en="Work order")
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
    if action not in {x.value for x in OrderAction}:
        raise ValidationFailed(f"未知的工单操作：{action}", en=f"Unknown work order action: {action}")
    act_ = OrderAction(action)
    handling_side = act_ in (OrderAction.ACCEPT, OrderAction.COMPLETE)
    if handling_side:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST)
        if not actor.can_see_unit(order.unit_code):
            raise PermissionDenied("只有承办单位可以承办或办结工单", en="Only the handling unit may accept or complete the work order")
    else:
        require_role(actor, Role.SUPERVISOR)
        if not actor.can_see_unit(order.issued_by_unit):
            raise PermissionDenied("只有交办单位可以督办或回访", en="Only the assigning unit may urge the work order or make the callback")
    if act_ is OrderAction.COMPLETE and not (note or "").strip():
        raise ValidationFailed("办结须填写办理结果", en="Completing a work order needs the result of its handling")
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


# ---------------------------------------------------------------- inspections, interviews, accountability,
# joint operations

ACCOUNTABILITY_KINDS = {"organisational": "组织处理", "judicial": "移交司法机关"}
MEASURES = ("诫勉谈话", "通报批评", "政务警告", "政务记过", "政务降级", "免职", "开除公职", "党内警告", "党内严重警告", "移交司法")


def _text(value: str | None, field: str, limit: int = 2000, *, en: str) -> str:
    v = (value or "").strip()
    if not v:
        raise ValidationFailed(f"{field}不能为空", en=f"{en} is required")
    return v[:limit]


def _visible_units(actor: Actor, units: list[str]) -> None:
    for u in units:
        if not actor.can_see_unit(u):
            raise PermissionDenied(f"单位 {u} 不在本单位监督范围内", en=f"Unit {u} is outside your unit's supervision")


def start_inspection(
    session: Session, *, actor: Actor, title: str, kind: str, units_visited: list[str], start: date, end: date,
    now: datetime,
) -> InspectionRound:
    require_role(actor, Role.SUPERVISOR)
    if kind not in ("open", "secret"):
        raise ValidationFailed("检查方式须为明查(open)或暗访(secret)", en="The inspection must be an open inspection (open) or a secret inspection (secret)")
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", en="The end date cannot be earlier than the start date")
    _visible_units(actor, units_visited)
    r = InspectionRound(round_id=new_id()[:24], title=_text(title, "标题", 200, en="The title"), kind=kind, unit_code=actor.unit_code,
                        units_visited=sorted(set(units_visited)), start=start, end=end, created_at=now)
    session.add(r)
    audit.record(session, actor=actor, action="supervision.inspection_start", object_type="inspection_round",
                 object_id=r.round_id, after={"kind": kind, "units": r.units_visited}, now=now)
    return r


def record_finding(
    session: Session, *, actor: Actor, round_id: str, unit_code: str, description: str, calendar: WorkingCalendar,
    now: datetime, rectify_within_working_days: int | None = None,
) -> InspectionFinding:
    """A problem found on an inspection becomes a rectification work order to the unit concerned."""
    require_role(actor, Role.SUPERVISOR)
    rnd = session.get(InspectionRound, round_id)
    if rnd is None:
        raise NotFound("检查轮次不存在", en="Inspection round not found")
    check_visible(actor, rnd.unit_code, "检查轮次", what_en="Inspection round")
    if unit_code not in rnd.units_visited:
        raise ValidationFailed("问题所在单位不在本轮检查范围内", en="The unit of the finding is not covered by this inspection round")
    text = _text(description, "问题描述", en="The description of the finding")
    order = create_order(session, actor=actor, unit_code=unit_code, source="inspection",
                         title=f"{'暗访' if rnd.kind == 'secret' else '明查'}发现问题整改：{text[:60]}", description=text,
                         source_ref=round_id, time_limit_working_days=rectify_within_working_days,
                         calendar=calendar, now=now)
    f = InspectionFinding(finding_id=new_id()[:24], round_id=round_id, unit_code=unit_code, description=text,
                          order_id=order.order_id, found_on=now.date())
    session.add(f)
    audit.record(session, actor=actor, action="supervision.finding", object_type="inspection_finding",
                 object_id=f.finding_id, after={"order": order.number}, unit_code=unit_code, now=now)
    return f


def mark_rectified(session: Session, *, actor: Actor, finding_id: str, now: datetime) -> InspectionFinding:
    require_role(actor, Role.SUPERVISOR)
    f = session.get(InspectionFinding, finding_id)
    if f is None:
        raise NotFound("问题不存在", en="Inspection finding not found")
    check_visible(actor, f.unit_code, "问题", what_en="Inspection finding")
    f.rectified, f.rectified_on = True, now.date()
    audit.record(session, actor=actor, action="supervision.rectified", object_type="inspection_finding",
                 object_id=f.finding_id, after={"rectified": True}, unit_code=f.unit_code, now=now)
    return f


def inspection_figures(session: Session, *, actor: Actor, start: date, end: date) -> dict[str, Any]:
    require_role(actor, Role.SUPERVISOR, Role.ANALYST)
    stmt = scope(select(InspectionFinding), actor, InspectionFinding.unit_code).where(
        InspectionFinding.found_on.between(start, end))
    found = list(session.execute(stmt).scalars())
    rounds = session.execute(
        scope(select(func.count()).select_from(InspectionRound), actor, InspectionRound.unit_code)
        .where(InspectionRound.start.between(start, end))).scalar_one()
    return {"rounds": int(rounds), "findings": len(found), "rectified": sum(f.rectified for f in found),
            "rectification_rate": rules.rectification_rate([f.rectified for f in found])}


def record_interview(
    session: Session, *, actor: Actor, unit_code: str, subject: str, reason: str, held_on: date, now: datetime,
) -> tuple[Interview, bool]:
    """约谈; returns the record and whether the unit is now out of this year's awards (N per ruledata)."""
    require_role(actor, Role.SUPERVISOR)
    _visible_units(actor, [unit_code])
    iv = Interview(interview_id=new_id()[:24], unit_code=unit_code, subject=_text(subject, "约谈对象", 200, en="The person or company interviewed"),
                   reason=_text(reason, "约谈事由", en="The reason for the interview"), held_on=held_on, by_unit=actor.unit_code)
    session.add(iv)
    session.flush()
    n = interviews_in_year(session, unit_code=unit_code, year=held_on.year)
    disqualified = rules.disqualified_from_awards(n, params_on(held_on).interview_disqualify_after)
    audit.record(session, actor=actor, action="supervision.interview", object_type="interview",
                 object_id=iv.interview_id, after={"count_this_year": n, "disqualified": disqualified},
                 unit_code=unit_code, now=now)
    return iv, disqualified


def interviews_in_year(session: Session, *, unit_code: str, year: int) -> int:
    return int(session.execute(select(func.count()).select_from(Interview).where(
        Interview.unit_code == unit_code, Interview.held_on.between(date(year, 1, 1), date(year, 12, 31)))).scalar_one())


def record_accountability(
    session: Session, *, actor: Actor, unit_code: str, officer_name: str, kind: str, measure: str, reason: str,
    decided_on: date, now: datetime, case_id: str | None = None,
) -> Accountability:
    require_role(actor, Role.SUPERVISOR)
    _visible_units(actor, [unit_code])
    if kind not in ACCOUNTABILITY_KINDS:
        raise ValidationFailed("问责方式须为组织处理或移交司法机关", en="Accountability must be organisational handling or transfer to judicial organs")
    if measure not in MEASURES:
        raise ValidationFailed("处理措施不在规定范围内", en="The measure is not one of the permitted measures")
    rec = Accountability(record_id=new_id()[:24], unit_code=unit_code, officer_name=_text(officer_name, "人员姓名", 64, en="The officer's name"),
                         kind=kind, measure=measure, reason=_text(reason, "事由", en="The reason"), case_id=case_id, decided_on=decided_on)
    session.add(rec)
    audit.record(session, actor=actor, action="supervision.accountability", object_type="accountability",
                 object_id=rec.record_id, after={"kind": kind, "measure": measure}, unit_code=unit_code, now=now)
    return rec


def accountability_figures(session: Session, *, actor: Actor, start: date, end: date) -> dict[str, int]:
    stmt = scope(select(Accountability.kind, func.count()), actor, Accountability.unit_code).where(
        Accountability.decided_on.between(start, end)).group_by(Accountability.kind)
    counts = {k: int(n) for k, n in session.execute(stmt)}
    return {"total": sum(counts.values()), "organisational": counts.get("organisational", 0),
            "judicial": counts.get("judicial", 0)}


def record_joint_operation(
    session: Session, *, actor: Actor, title: str, partners: list[str], areas: list[str], start: date, end: date,
    vehicles_checked: int, vehicles_handled: int, case_ids: list[str], now: datetime,
) -> JointOperation:
    require_role(actor, Role.SUPERVISOR, Role.ANALYST, Role.OFFICER)
    _visible_units(actor, areas)
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", en="The end date cannot be earlier than the start date")
    if vehicles_handled < 0 or vehicles_checked < vehicles_handled:
        raise ValidationFailed("查处车辆数不能大于检查车辆数", en="Vehicles dealt with cannot exceed vehicles checked")
    op = JointOperation(operation_id=new_id()[:24], title=_text(title, "行动名称", 200, en="The operation name"), unit_code=actor.unit_code,
                        partners=[p.strip() for p in partners if p.strip()], areas=sorted(set(areas)), start=start,
                        end=end, vehicles_checked=vehicles_checked, vehicles_handled=vehicles_handled,
                        case_ids=list(dict.fromkeys(case_ids)))
    session.add(op)
    audit.record(session, actor=actor, action="supervision.joint_operation", object_type="joint_operation",
                 object_id=op.operation_id, after={"handled": vehicles_handled, "cases": len(op.case_ids)}, now=now)
    return op


def joint_operation_figures(session: Session, *, actor: Actor, start: date, end: date) -> dict[str, int]:
    stmt = scope(select(func.count(), func.coalesce(func.sum(JointOperation.vehicles_checked), 0),
                        func.coalesce(func.sum(JointOperation.vehicles_handled), 0)), actor, JointOperation.unit_code)
    n, checked, handled = session.execute(stmt.where(JointOperation.start.between(start, end))).one()
    return {"operations": int(n), "vehicles_checked": int(checked), "vehicles_handled": int(handled)}
