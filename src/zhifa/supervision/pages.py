"""Pages for supervisors and responsible units: work orders, inspections, interviews, accountability,
joint operations, rankings and the quarterly bulletin."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhifa.org.orm import Unit
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.errors import ValidationFailed
from zhifa.supervision import bulletin, ranking, service
from zhifa.supervision.messages import EN, ZH, measure_label, source_labels, status_labels
from zhifa.supervision.model import OrderSource
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, add_messages, register_nav, render
from zhifa.web.i18n import get_lang, translate

router = APIRouter(include_in_schema=False)

register_nav("supervision", "督办工单", "Work orders", "/supervision/orders", order=10)
register_nav("supervision", "明查暗访", "Inspections", "/supervision/inspections", roles=("supervisor",), order=20)
register_nav("supervision", "约谈与问责", "Interviews & accountability", "/supervision/accountability",
             roles=("supervisor",), order=30)
register_nav("supervision", "联合执法", "Joint operations", "/supervision/operations", order=40)
register_nav("supervision", "考核排名", "Rankings", "/supervision/ranking",
             roles=("analyst", "officer", "legal_reviewer", "supervisor"), order=50)

add_messages(zh=ZH, en=EN)


def _units(s) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return {u.unit_code: u.name for u in s.execute(select(Unit)).scalars()}


@router.get("/supervision/orders")
def orders_page(request: Request, actor: StaffActor, s: DbSession, status: str = "", page: int = 1) -> Response:
    page = max(1, page)
    rows, total = service.list_orders(s, actor=actor, status=status or None, limit=50, offset=(page - 1) * 50)
    return render(request, "supervision/orders.html", {
        "rows": rows, "total": total, "page": page, "status": status, "units": _units(s),
        "status_labels": status_labels(get_lang(request)), "source_labels": source_labels(get_lang(request)),
    })


@router.post("/supervision/orders")
def orders_create(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                  unit_code: Annotated[str, Form(max_length=6)], title: Annotated[str, Form(max_length=200)],
                  source: Annotated[str, Form(max_length=24)] = OrderSource.INSTRUCTION.value,
                  description: Annotated[str, Form(max_length=5000)] = "",
                  time_limit: Annotated[int | None, Form(ge=1, le=90)] = None) -> Response:
    o = service.create_order(s, actor=actor, unit_code=unit_code, source=source, title=title, description=description,
                             time_limit_working_days=time_limit, calendar=cn_calendar(), now=clock.now())
    return RedirectResponse(f"/supervision/orders/{o.order_id}", status_code=303)


@router.get("/supervision/orders/{order_id}")
def order_detail(request: Request, order_id: str, actor: StaffActor, s: DbSession) -> Response:
    from zhifa.shared.audit import history

    o = service.access_order(s, actor, order_id)
    lang = get_lang(request)
    return render(request, "supervision/order.html", {
        "o": o, "units": _units(s), "timeline": history(s, "work_order", o.order_id),
        "status_label": status_labels(lang)[o.status], "source_label": source_labels(lang)[o.source],
    })


@router.post("/supervision/orders/{order_id}/act")
def order_act(request: Request, order_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
              action: Annotated[str, Form(max_length=32)], note: Annotated[str, Form(max_length=5000)] = "") -> Response:
    service.act(s, actor=actor, order_id=order_id, action=action, note=note or None, now=clock.now())
    return RedirectResponse(f"/supervision/orders/{order_id}", status_code=303)


@router.get("/supervision/inspections")
def inspections_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    from sqlalchemy import select

    from zhifa.shared.access import scope
    from zhifa.supervision.orm import InspectionFinding, InspectionRound

    today = clock.now().date()
    rounds = s.execute(scope(select(InspectionRound), actor, InspectionRound.unit_code)
                       .order_by(InspectionRound.start.desc()).limit(100)).scalars().all()
    findings = s.execute(select(InspectionFinding).where(
        InspectionFinding.round_id.in_([r.round_id for r in rounds]))).scalars().all() if rounds else []
    return render(request, "supervision/inspections.html", {
        "rounds": rounds, "findings": findings, "units": _units(s),
        "figures": service.inspection_figures(s, actor=actor, start=date(today.year, 1, 1), end=today),
    })


@router.post("/supervision/inspections")
def inspections_start(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                      title: Annotated[str, Form(max_length=200)], kind: Annotated[str, Form(max_length=8)],
                      units: Annotated[str, Form(max_length=2000)], start: Annotated[date, Form()],
                      end: Annotated[date, Form()]) -> Response:
    codes = [u.strip() for u in units.replace("，", ",").split(",") if u.strip()]
    service.start_inspection(s, actor=actor, title=title, kind=kind, units_visited=codes, start=start, end=end,
                             now=clock.now())
    return RedirectResponse("/supervision/inspections", status_code=303)


@router.post("/supervision/inspections/{round_id}/findings")
def inspections_finding(request: Request, round_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                        unit_code: Annotated[str, Form(max_length=6)],
                        description: Annotated[str, Form(max_length=2000)]) -> Response:
    service.record_finding(s, actor=actor, round_id=round_id, unit_code=unit_code, description=description,
                           calendar=cn_calendar(), now=clock.now())
    return RedirectResponse("/supervision/inspections", status_code=303)


@router.post("/supervision/findings/{finding_id}/rectified")
def finding_rectified(request: Request, finding_id: str, actor: StaffActor, s: DbSession, clock: ClockDep,
                      _: Csrf) -> Response:
    service.mark_rectified(s, actor=actor, finding_id=finding_id, now=clock.now())
    return RedirectResponse("/supervision/inspections", status_code=303)


@router.get("/supervision/accountability")
def accountability_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    from sqlalchemy import select

    from zhifa.shared.access import scope
    from zhifa.supervision.orm import Accountability, Interview

    today = clock.now().date()
    interviews = s.execute(scope(select(Interview), actor, Interview.unit_code).order_by(
        Interview.held_on.desc()).limit(200)).scalars().all()
    records = s.execute(scope(select(Accountability), actor, Accountability.unit_code).order_by(
        Accountability.decided_on.desc()).limit(200)).scalars().all()
    return render(request, "supervision/accountability.html", {
        "interviews": interviews, "records": records, "units": _units(s), "measures": service.MEASURES,
        "measure_labels": {m: measure_label(get_lang(request), m) for m in service.MEASURES},
        "figures": service.accountability_figures(s, actor=actor, start=date(today.year, 1, 1), end=today),
    })


@router.post("/supervision/interviews")
def interviews_create(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                      unit_code: Annotated[str, Form(max_length=6)], subject: Annotated[str, Form(max_length=200)],
                      reason: Annotated[str, Form(max_length=2000)], held_on: Annotated[date, Form()]) -> Response:
    service.record_interview(s, actor=actor, unit_code=unit_code, subject=subject, reason=reason, held_on=held_on,
                             now=clock.now())
    return RedirectResponse("/supervision/accountability", status_code=303)


@router.post("/supervision/accountability")
def accountability_create(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                          unit_code: Annotated[str, Form(max_length=6)],
                          officer_name: Annotated[str, Form(max_length=64)], kind: Annotated[str, Form(max_length=16)],
                          measure: Annotated[str, Form(max_length=32)], reason: Annotated[str, Form(max_length=2000)],
                          decided_on: Annotated[date, Form()],
                          case_id: Annotated[str | None, Form(max_length=32)] = None) -> Response:
    service.record_accountability(s, actor=actor, unit_code=unit_code, officer_name=officer_name, kind=kind,
                                  measure=measure, reason=reason, decided_on=decided_on, case_id=case_id or None,
                                  now=clock.now())
    return RedirectResponse("/supervision/accountability", status_code=303)


@router.get("/supervision/operations")
def operations_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    from sqlalchemy import select

    from zhifa.shared.access import scope
    from zhifa.supervision.orm import JointOperation

    today = clock.now().date()
    ops = s.execute(scope(select(JointOperation), actor, JointOperation.unit_code).order_by(
        JointOperation.start.desc()).limit(200)).scalars().all()
    return render(request, "supervision/operations.html", {
        "ops": ops, "units": _units(s),
        "figures": service.joint_operation_figures(s, actor=actor, start=date(today.year, 1, 1), end=today)})


@router.post("/supervision/operations")
def operations_create(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                      title: Annotated[str, Form(max_length=200)], partners: Annotated[str, Form(max_length=500)],
                      areas: Annotated[str, Form(max_length=2000)], start: Annotated[date, Form()],
                      end: Annotated[date, Form()], vehicles_checked: Annotated[int, Form(ge=0)],
                      vehicles_handled: Annotated[int, Form(ge=0)],
                      case_ids: Annotated[str, Form(max_length=4000)] = "") -> Response:
    def split(v: str) -> list[str]:
        return [x.strip() for x in v.replace("，", ",").replace("、", ",").split(",") if x.strip()]

    service.record_joint_operation(s, actor=actor, title=title, partners=split(partners), areas=split(areas),
                                   start=start, end=end, vehicles_checked=vehicles_checked,
                                   vehicles_handled=vehicles_handled, case_ids=split(case_ids), now=clock.now())
    return RedirectResponse("/supervision/operations", status_code=303)


def _period(clock_date: date, period: str) -> tuple[str, date, date]:
    if not period:
        q = (clock_date.month - 1) // 3 + 1
        period = f"{clock_date.year}Q{q}"
    try:
        start, end = ranking.period_of(period)
    except (ValueError, TypeError):
        raise ValidationFailed(translate("supervision.bad_period"), en=translate("supervision.bad_period", "en")) from None
    return period, start, end


@router.get("/supervision/ranking")
def ranking_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, period: str = "") -> Response:
    label, start, end = _period(clock.now().date(), period)
    r = ranking.visible_rows(ranking.compute(s, actor=actor, start=start, end=end), actor)
    return render(request, "supervision/ranking.html", {"r": r, "period": label})


@router.get("/supervision/ranking/bulletin.pdf")
def ranking_pdf(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, period: str = "") -> Response:
    label, start, end = _period(clock.now().date(), period)
    r = ranking.visible_rows(ranking.compute(s, actor=actor, start=start, end=end), actor)
    pdf = bulletin.render_pdf(r, title=f"全省交通运输执法工作{label}通报", issued_by="河南省交通运输厅执法局",
                              now=clock.now())
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bulletin-{label}.pdf"'})
