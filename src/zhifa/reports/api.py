"""JSON API of reports: the report, a figure with its rows; the dashboard's live numbers and exports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhifa.reports import service
from zhifa.reports.figures import FIGURES, Period, UnitInfo, available, has_data
from zhifa.web import auth, dashboard
from zhifa.web.deps import ClockDep, DbSession, StaffActor, get_container
from zhifa.web.i18n import get_lang

router = APIRouter(prefix="/api")


def _units(request: Request, s) -> UnitInfo:  # type: ignore[no-untyped-def]
    return UnitInfo.from_tree(auth.unit_tree(get_container(request).db, s))


def _j(v: Any) -> Any:
    return v if has_data(v) else None


@router.get("/reports/figures")
def list_figures(actor: StaffActor) -> list[dict[str, Any]]:
    return [{"id": f.id, "label": f.label, "label_en": f.label_en, "unit": f.unit, "section": f.section,
             "table": f.table, "available": available(f), "doc": f.doc} for f in FIGURES.values()]


@router.get("/reports/year")
def year_report(request: Request, actor: StaffActor, s: DbSession, year: int = Query(..., ge=2000, le=2100),
                unit: str | None = None) -> dict[str, Any]:
    return service.report(s, actor=actor, unit=unit, period=Period("year", year), units=_units(request, s))


@router.get("/reports/period/{period}")
def period_report(request: Request, period: str, actor: StaffActor, s: DbSession, unit: str | None = None) -> dict[str, Any]:
    return service.report(s, actor=actor, unit=unit, period=Period.parse(period), units=_units(request, s))


@router.get("/reports/figures/{figure_id}")
def figure(request: Request, figure_id: str, actor: StaffActor, s: DbSession, clock: ClockDep,
           unit: str | None = None, period: str | None = None, page: int = Query(1, ge=1),
           per_page: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
    p = Period.parse(period or str(clock.now().year - 1))
    d = service.figure_detail(s, actor=actor, figure_id=figure_id, unit=unit, period=p, page=page,
                              per_page=per_page, units=_units(request, s))
    pg = d["page"]
    return {
        "id": figure_id, "label": d["figure"].label, "unit_measure": d["figure"].unit, "unit": d["unit"],
        "period": p.code, "value": _j(d["value"]), "no_data": not d["has_data"], "previous": _j(d["previous"]),
        "yoy": _j(d["yoy"]),
        "ranking": [{"unit_code": r.unit_code, "name": r.name, "value": r.value, "rank": r.rank} for r in d["ranking"]],
        "own_rank": d["own_rank"],
        "rows": None if pg is None else {"total": pg.total, "page": pg.page, "per_page": pg.per_page,
                                         "columns": pg.columns, "items": pg.rows},
    }


@router.get("/dashboard/live")
def dashboard_live(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, unit: str | None = None,
                   period: str = Query("30d", pattern="^(today|7d|30d|year)$")) -> dict[str, Any]:
    tree = auth.unit_tree(get_container(request).db, s)
    # the page's JSON feed: display labels (a rule's label, the province's name) in the page's language;
    # the CSV/XLSX exports below are official and stay Chinese
    return dashboard.live(s, actor=actor, tree=tree, now=clock.now(), unit=unit, period=period, lang=get_lang(request))


@router.get("/dashboard/export/{name}")
def dashboard_export(request: Request, name: str, actor: StaffActor, s: DbSession, clock: ClockDep,
                     unit: str | None = None, period: str = Query("30d", pattern="^(today|7d|30d|year)$")) -> Response:
    table, _, fmt = name.rpartition(".")
    tree = auth.unit_tree(get_container(request).db, s)
    data = dashboard.live(s, actor=actor, tree=tree, now=clock.now(), unit=unit, period=period)
    body, media = dashboard.export(data, table, fmt)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="dashboard-{table}.{fmt}"'})
