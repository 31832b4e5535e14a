"""Quarterly / monthly rankings of cities and of directly administered counties (S4).

Every number behind a rank is computed here from the platform's own records and shown next to it:
case completion rate, satisfaction rate (work-order callbacks and reporters' ratings), work-order on-time
rate, case and complaint counts, complaints per 10k registered vehicles. The formula is versioned data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.cases.orm import Case
from zhifa.complaints.orm import Complaint
from zhifa.org.orm import Unit
from zhifa.shared.access import Actor, Role, require_role
from zhifa.shared.clock import TZ
from zhifa.supervision import rules
from zhifa.supervision.orm import WorkOrder
from zhifa.supervision.ruledata import formula_on
from zhifa.vehicles.orm import Vehicle

CLOSED_CASE_STATES = ("closed", "archived", "not_penalised")


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_code: str
    name: str
    figures: rules.UnitFigures
    metrics: dict[str, float | None]


@dataclass(frozen=True)
class Ranking:
    start: date
    end: date
    formula: rules.RankingFormula
    cities: list[RankRow]
    counties: list[RankRow]  # 省直管县


def period_of(label: str) -> tuple[date, date]:
    """'2022Q1' → Jan 1..Mar 31; '2022-03' → the month; '2022' → the year."""
    label = label.strip().upper()
    if "Q" in label:
        y, q = label.split("Q")
        year, quarter = int(y), int(q)
        if not 1 <= quarter <= 4:
            raise ValueError("quarter must be 1–4")
        start = date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
    elif "-" in label:
        y, m = label.split("-")
        start, end_month = date(int(y), int(m), 1), int(m)
    else:
        start, end_month = date(int(label), 1, 1), 12
    nxt = date(start.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, date.fromordinal(nxt.toordinal() - 1)


def _ranked_units(session: Session) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(cities, directly administered counties, unit → ranked unit it rolls up to)."""
    units = session.execute(select(Unit)).scalars().all()
    cities = {u.unit_code: u.name for u in units if u.level == "city"}
    direct = {u.unit_code: u.name for u in units if u.directly_administered and u.level == "county"}
    roll: dict[str, str] = {}
    for u in units:
        if u.unit_code in direct or u.unit_code in cities:
            roll[u.unit_code] = u.unit_code
        elif u.parent_code in cities:
            roll[u.unit_code] = u.parent_code
        elif u.parent_code in direct:
            roll[u.unit_code] = u.parent_code
    return cities, direct, roll


def compute(session: Session, *, actor: Actor, start: date, end: date) -> Ranking:
    require_role(actor, Role.SUPERVISOR, Role.ANALYST, Role.OFFICER, Role.LEGAL_REVIEWER)
    cities, direct, roll = _ranked_units(session)
    t0, t1 = datetime.combine(start, time.min, TZ), datetime.combine(end, time.max, TZ)
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    for unit, status in session.execute(
        select(Case.unit_code, Case.status).where(Case.registered_at.between(t0, t1))
    ):
        r = roll.get(unit)
        if r:
            acc[r]["cases_opened"] += 1
            acc[r]["cases_closed"] += int(status in CLOSED_CASE_STATES)
    for unit, due, completed_at, satisfaction in session.execute(
        select(WorkOrder.unit_code, WorkOrder.due_date, WorkOrder.completed_at, WorkOrder.satisfaction)
        .where(WorkOrder.due_date.between(start, end))
    ):
        r = roll.get(unit)
        if r:
            acc[r]["orders_due"] += 1
            acc[r]["orders_on_time"] += int(completed_at is not None and completed_at.date() <= due)
            if satisfaction:
                acc[r]["callbacks"] += 1
                acc[r]["satisfied"] += int(satisfaction == "satisfied")
    for unit, rating in session.execute(
        select(Complaint.unit_code, Complaint.rating).where(Complaint.created_at.between(t0, t1),
                                                            Complaint.merged_into.is_(None))
    ):
        r = roll.get(unit)
        if r:
            acc[r]["complaints"] += 1
            if rating is not None:
                acc[r]["callbacks"] += 1
                acc[r]["satisfied"] += int(rating >= 4)
    for unit, in session.execute(select(Vehicle.registered_unit_code).where(Vehicle.registered_unit_code.is_not(None))):
        r = roll.get(unit)
        if r:
            acc[r]["vehicles"] += 1

    formula = formula_on(end)

    def rows(group: dict[str, str]) -> list[RankRow]:
        figs = {
            u: rules.UnitFigures(u, **{k: acc[u].get(k, 0) for k in (
                "cases_opened", "cases_closed", "callbacks", "satisfied", "orders_due", "orders_on_time",
                "complaints", "vehicles")})
            for u in group
        }
        metrics = {u: rules.score_unit(f, formula) for u, f in figs.items()}
        ranked = rules.rank({u: m["score"] for u, m in metrics.items()})
        return [RankRow(pos, u, group[u], figs[u], metrics[u]) for pos, u, _ in ranked]

    return Ranking(start, end, formula, rows(cities), rows(direct))


def visible_rows(ranking: Ranking, actor: Actor) -> Ranking:
    """A city user sees every rank and score (its place within the province) but the figures behind
    them only for its own unit; the province sees everything."""
    if actor.sees_all:
        return ranking

    def mask(rows: list[RankRow]) -> list[RankRow]:
        out = []
        for r in rows:
            if actor.can_see_unit(r.unit_code):
                out.append(r)
            else:
                hidden = {k: (v if k == "score" else None) for k, v in r.metrics.items()}
                out.append(RankRow(r.rank, r.unit_code, r.name, rules.UnitFigures(r.unit_code, 0, 0, 0, 0, 0, 0, 0, 0),
                                   hidden))
        return out

    return Ranking(ranking.start, ranking.end, ranking.formula, mask(ranking.cities), mask(ranking.counties))


def as_dict(r: Ranking) -> dict[str, Any]:
    def row(x: RankRow) -> dict[str, Any]:
        return {"rank": x.rank, "unit_code": x.unit_code, "name": x.name, **x.metrics,
                "figures": {k: getattr(x.figures, k) for k in x.figures.__dataclass_fields__ if k != "unit_code"}}

    f = r.formula
    return {
        "start": r.start.isoformat(), "end": r.end.isoformat(),
        "formula": {"version": f.version, "source": f.source, "w_case_completion": f.w_case_completion,
                    "w_satisfaction": f.w_satisfaction, "w_order_on_time": f.w_order_on_time,
                    "w_complaints": f.w_complaints, "complaints_cap_per_10k": f.complaints_cap_per_10k},
        "cities": [row(x) for x in r.cities], "counties": [row(x) for x in r.counties],
    }
