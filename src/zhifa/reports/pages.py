"""Report pages: the yearly / quarterly / monthly report (HTML, PDF) and a figure's drill-down."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from zhifa.reports import messages as _messages  # noqa: F401 - registers the pages' texts
from zhifa.reports import report as R
from zhifa.reports import service
from zhifa.reports.figures import Period, UnitInfo
from zhifa.shared.access import PROVINCE_CODE, Actor
from zhifa.shared.clock import TZ
from zhifa.web import auth
from zhifa.web.deps import ClockDep, DbSession, StaffActor, get_container, register_nav, render
from zhifa.web.i18n import add_messages, get_lang, translate

router = APIRouter(include_in_schema=False)

register_nav("reports", "统计报告", "Reports", "/reports/year", order=90)

# The dashboard's live part (templates/web/dashboard.html, filled by static/js/dashboard.js).
add_messages(
    {
        "dash.live.title": "实时态势", "dash.live.updated": "更新于", "dash.live.unit": "单位", "dash.live.period": "统计期",
        "dash.live.p_today": "今日", "dash.live.p_7d": "近7天", "dash.live.p_30d": "近30天", "dash.live.p_year": "本年",
        "dash.live.hits_today": "今日布控命中", "dash.live.tasks_today": "今日拦截任务", "dash.live.intercepted_today": "今日查获",
        "dash.live.open_tasks": "待反馈拦截任务", "dash.live.leads_today": "今日新线索", "dash.live.overload_today": "今日超限认定",
        "dash.live.cases_overdue": "逾期案件", "dash.live.export": "导出", "dash.live.t_today": "今日指标",
        "dash.live.t_leads_by_rule": "线索按规则", "dash.live.t_cases_by_state": "案件按状态",
        "dash.live.t_wim_sites": "非现场执法点违法数", "dash.live.t_top_cities": "地市排名", "dash.live.t_trend": "近30天趋势",
        "dash.live.trend": "近30天趋势", "dash.live.wim_map": "治超地图（非现场执法点违法数）", "dash.live.hits": "布控命中",
        "dash.live.overload": "超限违法", "dash.live.cases": "案件", "dash.live.intercepted": "查获", "dash.live.overdue": "逾期",
        "dash.live.status": "状态", "dash.live.site": "站点",
    },
    {
        "dash.live.title": "Live picture", "dash.live.updated": "Updated", "dash.live.unit": "Unit", "dash.live.period": "Period",
        "dash.live.p_today": "Today", "dash.live.p_7d": "Last 7 days", "dash.live.p_30d": "Last 30 days",
        "dash.live.p_year": "This year", "dash.live.hits_today": "Watch-list hits today",
        "dash.live.tasks_today": "Interception tasks today", "dash.live.intercepted_today": "Intercepted today",
        "dash.live.open_tasks": "Tasks awaiting outcome", "dash.live.leads_today": "New leads today",
        "dash.live.overload_today": "Overload violations today", "dash.live.cases_overdue": "Overdue cases",
        "dash.live.export": "Export", "dash.live.t_today": "Today", "dash.live.t_leads_by_rule": "Leads by rule",
        "dash.live.t_cases_by_state": "Cases by state", "dash.live.t_wim_sites": "WIM sites: violations",
        "dash.live.t_top_cities": "Top cities", "dash.live.t_trend": "30-day trend", "dash.live.trend": "Last 30 days",
        "dash.live.wim_map": "Overload map (violations per WIM site)", "dash.live.hits": "Hits",
        "dash.live.overload": "Overload", "dash.live.cases": "Cases", "dash.live.intercepted": "Intercepted",
        "dash.live.overdue": "Overdue", "dash.live.status": "State", "dash.live.site": "Site",
    },
)


def _units(request: Request, s) -> UnitInfo:  # type: ignore[no-untyped-def]
    return UnitInfo.from_tree(auth.unit_tree(get_container(request).db, s))


def _unit_options(actor: Actor, units: UnitInfo, lang: str = "zh") -> list[tuple[str, str]]:
    """The units the actor may report on: own unit, then cities/counties below it."""
    own = actor.unit_code
    out = [(own, translate("rep.province", lang) if own == PROVINCE_CODE else units.name(own))]
    for code in sorted(units.names):
        if code != own and actor.can_see_unit(code) and units.levels.get(code) in ("city", "county"):
            if actor.sees_all and units.levels.get(code) == "county":
                continue
            out.append((code, units.name(code)))
    return out


def _report_page(request: Request, actor: Actor, s, period: Period, unit: str | None, action: str,  # type: ignore[no-untyped-def]
                 fmt: str) -> Response:
    units = _units(request, s)
    lang = get_lang(request)
    if fmt == "html" and lang == "en":  # the page in English; PDF and JSON stay the Chinese report
        data = R.build(s, unit_code=service.report_unit(actor, unit), period=period, units=units, lang="en")
    else:
        data = service.report(s, actor=actor, unit=unit, period=period, units=units)
    if fmt == "pdf":
        return Response(R.render_pdf(data), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="report-{data["unit_code"]}-{period.code}.pdf"'})
    if fmt == "json":
        return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")
    base = f"{action}?unit={data['unit_code']}&" + (f"year={period.year}" if period.kind == "year" else f"period={period.code}")
    return render(request, "reports/report.html", {
        "r": data, "kind": period.kind, "year": period.year, "action": action,
        "unit_options": _unit_options(actor, units, lang), "pdf_url": base + "&format=pdf", "json_url": base + "&format=json",
    })


def _default_year(s: Any, now: datetime) -> int:
    """The year a review is usually about is the last one; while the platform has no records of it yet
    (its first year in service, a demo in simulated days) the year so far is the more useful default."""
    from zhifa.leads.orm import Lead

    last = datetime(now.year - 1, 1, 1, tzinfo=TZ)
    has_last = s.execute(select(Lead.lead_id).where(Lead.start >= last, Lead.start < last.replace(year=now.year))
                         .limit(1)).first()
    return now.year - 1 if has_last else now.year


@router.get("/reports/year")
def year_report(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep,
                year: int | None = Query(None, ge=2000, le=2100), unit: str | None = None,
                format: str = Query("html", pattern="^(html|pdf|json)$")) -> Response:
    y = year or _default_year(s, clock.now())
    return _report_page(request, actor, s, Period("year", y), unit, "/reports/year", format)


@router.get("/reports/quarter")
def quarter_report(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, period: str | None = None,
                   unit: str | None = None, format: str = Query("html", pattern="^(html|pdf|json)$")) -> Response:
    now = clock.now()
    p = Period.parse(period or f"{now.year}Q{(now.month - 1) // 3 + 1}")
    if p.kind != "quarter":
        p = Period("quarter", p.year, 1)
    return _report_page(request, actor, s, p, unit, "/reports/quarter", format)


@router.get("/reports/month")
def month_report(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, period: str | None = None,
                 unit: str | None = None, format: str = Query("html", pattern="^(html|pdf|json)$")) -> Response:
    now = clock.now()
    p = Period.parse(period or f"{now.year}-{now.month:02d}")
    if p.kind != "month":
        p = Period("month", p.year, 1)
    return _report_page(request, actor, s, p, unit, "/reports/month", format)


@router.get("/reports/figures/{figure_id}")
def figure_page(request: Request, figure_id: str, actor: StaffActor, s: DbSession, clock: ClockDep,
                unit: str | None = None, period: str | None = None, page: int = Query(1, ge=1)) -> Response:
    p = Period.parse(period or str(_default_year(s, clock.now())))
    d = service.figure_detail(s, actor=actor, figure_id=figure_id, unit=unit, period=p, page=page,
                              units=_units(request, s))
    lang = get_lang(request)
    own = None
    if d["own_rank"]:
        o = d["own_rank"]
        own = translate("rep.own_rank", lang, name=o["name"], rank=o["rank"], of=o["of"])
    scope_name = translate("rep.province", lang) if d["unit"] == PROVINCE_CODE else d["unit_name"]
    return render(request, "reports/figure.html", {
        "f": d["figure"], "unit": d["unit"], "unit_name_scope": scope_name, "period": p,
        "value_text": d["value_text"] if d["has_data"] or lang != "en" else translate("rep.no_data", lang), "ranking": d["ranking"],
        "own_rank": own, "page": d["page"],
    })
