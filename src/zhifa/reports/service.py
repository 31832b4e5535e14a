"""Report verbs with jurisdiction: which unit an actor may report on, the report, one figure's rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zhifa.reports import figures as F
from zhifa.reports import report as R
from zhifa.reports.figures import Period, Scope, UnitInfo, has_data
from zhifa.shared.access import PROVINCE_CODE, Actor, check_visible, require_staff


def report_unit(actor: Actor, unit: str | None) -> str:
    """The unit to report on: the actor's own by default; outside the jurisdiction is 'not found'."""
    require_staff(actor)
    code = (unit or actor.unit_code).strip()
    check_visible(actor, code, "单位", what_en="Unit")
    return code


def report(session: Session, *, actor: Actor, unit: str | None, period: Period,
           units: UnitInfo | None = None) -> dict[str, Any]:
    code = report_unit(actor, unit)
    return R.build(session, unit_code=code, period=period, units=units or UnitInfo.load(session))


def figure_detail(session: Session, *, actor: Actor, figure_id: str, unit: str | None, period: Period,
                  page: int = 1, per_page: int = 50, units: UnitInfo | None = None) -> dict[str, Any]:
    """A figure's value, its ranking inside the scope, the unit's own rank in the province, and its rows."""
    f = F.get(figure_id)
    code = report_unit(actor, unit)
    units = units or UnitInfo.load(session)
    scope = Scope.of(code, units)
    val = F.value(session, f, scope, period)
    prev = F.value(session, f, scope, period.previous_year())
    level = "city" if code == PROVINCE_CODE else "county"
    ranking = [r for r in F.ranking(session, f, period, units, level=level, scope=scope) if r.unit_code != code]
    own = None
    if code != PROVINCE_CODE:
        city = units.city(code)
        full = F.ranking(session, f, period, units, level="city")
        for r in full:
            if r.unit_code == city:
                own = {"unit_code": city, "name": units.name(city), "rank": r.rank, "of": len(full)}
    rows = F.drilldown(session, f, scope, period, page=page, per_page=per_page)
    return {
        "figure": f, "unit": code, "unit_name": "全省" if code == PROVINCE_CODE else units.name(code),
        "period": period, "value": val, "previous": prev, "yoy": F.yoy(val, prev),
        "value_text": R.fmt(val), "ranking": ranking, "own_rank": own, "page": rows,
        "has_data": has_data(val),
    }
