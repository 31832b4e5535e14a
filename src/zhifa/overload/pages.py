"""Server-rendered overload pages: leads review, records, 100-t list and map, sources, trace-back, credit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select

from zhifa.credit import rules as cr
from zhifa.credit import service as credit_service
from zhifa.leads.model import LEAD_STATUS_LABELS
from zhifa.overload import service
from zhifa.overload.messages import (
    DETERMINATION_STATUS_LABELS,
    HELD_COLORS,
    HOLDING_RULE_SOURCE_EN,
    KIND_LABELS,
    KIND_SOURCE_LABELS,
    REASON_LABELS,
    SOURCE_LABELS,
    TRACE_OUTCOME_LABELS,
    rule_labels,
)
from zhifa.overload.orm import OverloadNotice
from zhifa.shared.plates import COLOR_SHORT_LABELS
from zhifa.web.auth import unit_tree
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, get_container, register_nav, render
from zhifa.web.i18n import get_lang, labels, pick

router = APIRouter(include_in_schema=False)

register_nav("overload", "超限线索研判", "Overload leads", "/overload/leads", order=10)
register_nav("overload", "超限检测记录", "Overload records", "/overload/records", order=20)
register_nav("overload", "百吨王", "100-t trucks", "/overload/100t", order=30)
register_nav("overload", "入口超限率", "Entry overload rate", "/overload/entry-rate", order=40)
register_nav("overload", "货运源头", "Loading sources", "/overload/sources", order=50)
register_nav("overload", "源头倒查", "Trace-back tasks", "/overload/trace", order=60)
register_nav("overload", "信用治超", "Credit list", "/credit", order=70)
register_nav("overload", "滞留车辆", "Held vehicles", "/overload/held", order=80)

def _money(lang: str) -> Callable[[int | float | None], str]:
    """Amounts in yuan: "5,500 元" in Chinese (as the `yuan` filter), "CNY 5,500" in English."""

    def fmt(value: int | float | None) -> str:
        if value is None:
            return ""
        amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        return f"CNY {amount}" if lang == "en" else f"{amount} 元"

    return fmt


def _day(v: str) -> date | None:
    try:
        return date.fromisoformat(v) if v else None
    except ValueError:
        return None


@router.get("/overload/leads")
def leads_page(request: Request, actor: StaffActor, s: DbSession, status: str = "open", rule: str = "",
               page: int = 1) -> Response:
    page = max(1, page)
    rows, total = service.list_overload_leads(s, actor=actor, status=status or None, rule=rule or None, limit=50,
                                              offset=(page - 1) * 50)
    lang = get_lang(request)
    return render(request, "overload/leads.html", {
        "rows": rows, "total": total, "page": page, "status": status, "rule": rule,
        "rules": rule_labels(lang), "status_label": labels(LEAD_STATUS_LABELS, lang),
        "color_label": labels(COLOR_SHORT_LABELS, lang),
    })


@router.get("/overload/leads/{lead_id}")
def lead_detail(request: Request, lead_id: str, actor: StaffActor, s: DbSession) -> Response:
    view = service.lead_evidence(s, actor=actor, lead_id=lead_id)
    lead = view.lead
    notices = list(s.execute(select(OverloadNotice).where(OverloadNotice.lead_id == lead_id)).scalars())
    lang = get_lang(request)
    return render(request, "overload/lead_detail.html", {
        "lead": lead, "ev": view.bundle, "view": view, "rules": rule_labels(lang),
        "status_label": labels(LEAD_STATUS_LABELS, lang), "color_label": labels(COLOR_SHORT_LABELS, lang),
        "notices": notices, "kind_label": labels(KIND_LABELS, lang),
        "kind_source_label": labels(KIND_SOURCE_LABELS, lang), "money": _money(lang),
        "lead_unit_name": unit_tree(get_container(request).db).names.get(lead.unit_code, lead.unit_code),
    })


@router.post("/overload/leads/{lead_id}/review")
def lead_review(request: Request, lead_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                decision: Annotated[str, Form(max_length=16)],
                reason: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    service.review(s, actor=actor, lead_id=lead_id, decision=decision, reason=reason, now=clock.now(),
                   documents_dir=get_container(request).settings.documents_dir)
    return RedirectResponse(f"/overload/leads/{lead_id}", status_code=303)


@router.get("/overload/notices/{notice_id}.pdf")
def notice_pdf(notice_id: str, actor: StaffActor, s: DbSession) -> Response:
    n = service.access_notice(s, actor, notice_id)
    return FileResponse(n.file_path, media_type="application/pdf", filename=f"违法告知书-{n.notice_id}.pdf")


@router.get("/overload/records")
def records_page(request: Request, actor: StaffActor, s: DbSession, site_id: str = "", city: str = "",
                 day_from: str = "", day_to: str = "", severity: str = "violation", plate: str = "",
                 page: int = 1) -> Response:
    page = max(1, page)
    rows, total = service.list_determinations(
        s, actor=actor, site_id=site_id or None, city_code=city or None, day_from=_day(day_from),
        day_to=_day(day_to), severity=severity or None, plate=plate or None, limit=100, offset=(page - 1) * 100)
    lang = get_lang(request)
    return render(request, "overload/records.html", {
        "rows": rows, "total": total, "page": page,
        "f": {"site_id": site_id, "city": city, "day_from": day_from, "day_to": day_to, "severity": severity,
              "plate": plate},
        "reason_label": labels(REASON_LABELS, lang), "status_label": labels(DETERMINATION_STATUS_LABELS, lang),
        "color_label": labels(COLOR_SHORT_LABELS, lang), "source_label": labels(SOURCE_LABELS, lang),
    })


def _project(points: list[dict]) -> list[dict]:
    """Henan's bounding box onto a 600 × 500 SVG (equirectangular; enough to see where they were)."""
    lon0, lon1, lat0, lat1 = 110.3, 116.7, 31.3, 36.4
    out = []
    for p in points:
        if p["lon"] is None or p["lat"] is None:
            continue
        out.append({**p, "x": round((p["lon"] - lon0) / (lon1 - lon0) * 600, 1),
                    "y": round((lat1 - p["lat"]) / (lat1 - lat0) * 500, 1)})
    return out


@router.get("/overload/100t")
def trucks_100t_page(request: Request, actor: StaffActor, s: DbSession, day_from: str = "", day_to: str = "") -> Response:
    rows = service.trucks_100t(s, actor=actor, day_from=_day(day_from), day_to=_day(day_to))
    lang = get_lang(request)
    return render(request, "overload/trucks_100t.html", {
        "rows": rows, "points": _project(rows), "day_from": day_from, "day_to": day_to,
        "color_label": labels(COLOR_SHORT_LABELS, lang), "source_label": labels(SOURCE_LABELS, lang),
        "unit_names": unit_tree(get_container(request).db).names,
    })


@router.get("/overload/entry-rate")
def entry_rate_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, month: str = "",
                    by: str = "station") -> Response:
    month = month or clock.now().strftime("%Y-%m")
    by = by if by in ("station", "city", "province") else "station"
    rows = service.entry_overload_rate(s, actor=actor, month=month, by=by)
    return render(request, "overload/entry_rate.html", {"rows": rows, "month": month, "by": by})


@router.get("/overload/sources")
def sources_page(request: Request, actor: StaffActor, s: DbSession, key_only: bool = False) -> Response:
    rows = service.list_sources(s, actor=actor, key_only=key_only)
    return render(request, "overload/sources.html", {"rows": rows, "key_only": key_only})


@router.get("/overload/trace")
def trace_page(request: Request, actor: StaffActor, s: DbSession, status: str = "open") -> Response:
    rows = service.list_trace_tasks(s, actor=actor, status=status or None)
    lang = get_lang(request)
    return render(request, "overload/trace.html", {
        "rows": rows, "status": status,
        # the outcomes the service accepts, labelled in the interface language
        "outcomes": {k: pick(lang, *TRACE_OUTCOME_LABELS.get(k, (zh, zh))) for k, zh in service.TRACE_OUTCOMES.items()},
        "by_city": service.trace_counts_by_city(s, actor=actor), "color_label": labels(COLOR_SHORT_LABELS, lang),
        "money": _money(lang),
    })


@router.post("/overload/trace/{task_id}/close")
def trace_close(request: Request, task_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                outcome: Annotated[str, Form(max_length=24)], note: Annotated[str, Form(max_length=2000)],
                fine_yuan: Annotated[int | None, Form(ge=0, le=1_000_000)] = None) -> Response:
    service.close_trace_task(s, actor=actor, task_id=task_id, outcome=outcome, note=note, fine_yuan=fine_yuan,
                             now=clock.now())
    return RedirectResponse("/overload/trace", status_code=303)


@router.get("/credit")
def credit_page(request: Request, actor: StaffActor, s: DbSession, status: str = "", kind: str = "") -> Response:
    rows = credit_service.list_listings(s, actor=actor, status=status or None, subject_kind=kind or None)
    return render(request, "credit/list.html", {"rows": rows, "status": status, "kind": kind,
                                                "criteria": cr.CRITERION_LABELS_ZH})


@router.post("/credit/{listing_id}/publish")
def credit_publish(listing_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    credit_service.publish(s, actor=actor, listing_id=listing_id, now=clock.now())
    return RedirectResponse("/credit", status_code=303)


@router.get("/credit/export.{fmt}")
def credit_export(fmt: str, actor: StaffActor, s: DbSession) -> Response:
    text = credit_service.export(s, actor=actor, fmt=fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(("\ufeff" + text) if fmt == "csv" else text, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename=credit-list.{fmt}"})


@router.get("/overload/held")
def held_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, status: str = "held") -> Response:
    from zhifa.org.orm import Site
    from zhifa.overload import held

    held.sweep_overdue(s, actor=actor, now=clock.now())
    stations = [x for x in s.execute(select(Site).where(Site.kind == "check_station")).scalars()
                if actor.can_see_unit(x.unit_code)]
    lang = get_lang(request)
    rule = held.holding_rule(clock.now().date())
    color_label = labels(COLOR_SHORT_LABELS, lang)
    return render(request, "overload/held.html", {
        "rows": held.list_held(s, actor=actor, status=status or None), "status": status, "stations": stations,
        "now": clock.now(), "rule": rule,
        "rule_source": pick(lang, rule.source, HOLDING_RULE_SOURCE_EN.get(rule.version, "")),
        "colors": [(c, color_label[c]) for c in HELD_COLORS]})


@router.post("/overload/held")
def held_create(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                plate: Annotated[str, Form(max_length=16)], plate_color: Annotated[str, Form(max_length=16)],
                station_id: Annotated[str, Form(max_length=32)],
                reason: Annotated[str, Form(max_length=2000)]) -> Response:
    from zhifa.overload import held

    held.hold(s, actor=actor, plate=plate, plate_color=plate_color, station_id=station_id, reason=reason,
              now=clock.now())
    return RedirectResponse("/overload/held", status_code=303)


@router.post("/overload/held/{held_id}/clear")
def held_clear(request: Request, held_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
               service_note: Annotated[str, Form(max_length=2000)]) -> Response:
    from zhifa.overload import held

    held.clear(s, actor=actor, held_id=held_id, service_note=service_note, now=clock.now())
    return RedirectResponse("/overload/held", status_code=303)
