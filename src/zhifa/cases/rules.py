"""Pure rules of case handling. No I/O, no clock: dates, rule versions and the calendar come in.

Each function names the provision it encodes. The numbers themselves live in `ruledata/*.json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhifa.cases.model import (
    CatalogueItem,
    DiscretionBand,
    ExemptionItem,
    PartyKind,
    Procedure,
    ProcedureRules,
    RuleSet,
)
from zhifa.shared.calendar import WorkingCalendar
from zhifa.shared.errors import ValidationFailed

# ---------------------------------------------------------------- versions


def version_in_force(versions: Iterable[RuleSet], on: date) -> RuleSet:
    """The version with the latest `effective_from` on or before `on` (行政处罚法 Art. 37: the rule in
    force at the time applies; a later lighter rule is the officer's call and is recorded)."""
    candidates = [v for v in versions if v.effective_from <= on]
    if not candidates:
        raise ValidationFailed(f"{on.isoformat()} 没有生效的规则版本", en=f"No rule version is in force on {on.isoformat()}")
    return max(candidates, key=lambda v: (v.effective_from, v.version))


def catalogue_items(payload: Mapping[str, Any]) -> dict[str, CatalogueItem]:
    out: dict[str, CatalogueItem] = {}
    for it in payload.get("items", []):
        out[it["code"]] = CatalogueItem(
            code=it["code"],
            title=it["title"],
            category=it.get("category", ""),
            law=it["law"],
            article=it["article"],
            party_kinds=tuple(it.get("party_kinds", ["person", "enterprise"])),
            min_yuan=int(it["min_yuan"]),
            max_yuan=int(it["max_yuan"]),
            bands=tuple(
                DiscretionBand(b["code"], b["label"], int(b["min_yuan"]), int(b["max_yuan"])) for b in it.get("bands", [])
            ),
            source=it.get("source", ""),
            verified=bool(it.get("verified", False)),
            rule=it.get("rule", ""),
        )
    return out


def exemption_items(payload: Mapping[str, Any]) -> dict[str, ExemptionItem]:
    out: dict[str, ExemptionItem] = {}
    for it in payload.get("items", []):
        out[it["code"]] = ExemptionItem(
            code=it["code"],
            title=it["title"],
            effect=it["effect"],
            catalogue_codes=tuple(it.get("catalogue_codes", [])),
            legal_basis=it.get("legal_basis", ""),
            conditions=tuple(it["conditions"]),
            verified=bool(it.get("verified", False)),
            reduction_percent=int(it.get("reduction_percent", 0)),
        )
    return out


def procedure_rules(rs: RuleSet) -> ProcedureRules:
    p = rs.payload
    return ProcedureRules(
        version=rs.version,
        effective_from=rs.effective_from,
        summary_max_yuan={k: int(p["summary_max_yuan"][k]) for k in ("person", "enterprise")},
        hearing_min_yuan={k: int(p["hearing_min_yuan"][k]) for k in ("person", "enterprise")},
        decision_days=int(p["decision_days"]["days"]),
        defence_working_days=int(p["defence_days"]["days"]),
        payment_days=int(p["payment_days"]["days"]),
        surcharge_percent_per_day=int(p["late_surcharge_percent_per_day"]["value"]),
        limitation_years=int(p["limitation_years"]["ordinary"]),
        limitation_years_harm=int(p["limitation_years"]["public_safety_harm"]),
        reminder_working_days={k: int(v) for k, v in p["reminder_working_days"].items() if k != "verified" and k != "source"},
        source=rs.source,
    )


# ---------------------------------------------------------------- penalties


def check_penalty(item: CatalogueItem, *, party_kind: str, fine_yuan: int, band_code: str | None = None) -> None:
    """The fine must lie inside the item's statutory range and, if a band is chosen, inside the band
    (裁量基准). Raises ValidationFailed with the range in the message."""
    if party_kind not in item.party_kinds:
        raise ValidationFailed(
            f"违法行为“{item.title}”不适用于{'自然人' if party_kind == 'person' else '单位'}当事人",
            en=f"The violation “{item.title}” does not apply to a party who is "
            f"{'a natural person' if party_kind == 'person' else 'an organisation'}",
        )
    if fine_yuan < item.min_yuan or fine_yuan > item.max_yuan:
        raise ValidationFailed(
            f"罚款 {fine_yuan} 元超出“{item.title}”的法定幅度（{item.min_yuan}–{item.max_yuan} 元，{item.legal_basis}）",
            en=f"A fine of {fine_yuan} yuan is outside the statutory range of “{item.title}” "
            f"({item.min_yuan}–{item.max_yuan} yuan, {item.legal_basis})",
        )
    if band_code:
        band = item.band(band_code)
        if band is None:
            raise ValidationFailed(f"裁量档次 {band_code} 不存在", en=f"Discretion band {band_code} does not exist")
        if fine_yuan < band.min_yuan or fine_yuan > band.max_yuan:
            raise ValidationFailed(
                f"罚款 {fine_yuan} 元不在裁量基准“{band.label}”的幅度内（{band.min_yuan}–{band.max_yuan} 元）",
                en=f"A fine of {fine_yuan} yuan is outside the range of the discretion standard “{band.label}” "
                f"({band.min_yuan}–{band.max_yuan} yuan)",
            )


def overload_fine_yuan(excess_kg: int, *, per_tonne_yuan: int = 500, cap_yuan: int = 30000, round_up: bool = False) -> int:
    """Order 62 Art. 43(1)(2): ≤ 1000 kg over → warning (0); else 500 yuan per 1000 kg over, cap 30000.
    Part-tonnes are rounded down unless `round_up` (provincial discretion, UNVERIFIED)."""
    if excess_kg <= 1000:
        return 0
    tonnes = -(-excess_kg // 1000) if round_up else excess_kg // 1000
    return min(tonnes * per_tonne_yuan, cap_yuan)


def summary_allowed(rules: ProcedureRules, *, party_kind: str, fine_yuan: int) -> bool:
    """行政处罚法 Art. 51, 交通运输行政执法程序规定 Art. 60: ≤ 200 yuan individual, ≤ 3000 organisation."""
    return fine_yuan <= rules.summary_max_yuan[PartyKind(party_kind).value]


def hearing_right(rules: ProcedureRules, *, party_kind: str, fine_yuan: int) -> bool:
    """行政处罚法 Art. 63 with 河南省行政处罚听证办法 Art. 4: 较大数额 is ≥ 5000 (individual) or
    ≥ 50000 yuan (organisation)."""
    return fine_yuan >= rules.hearing_min_yuan[PartyKind(party_kind).value]


def legal_review_required(*, procedure: str, hearing_held: bool, complex_case: bool, public_interest: bool) -> bool:
    """行政处罚法 Art. 58: before the decision when it concerns major public interest; major rights after a
    hearing; complex cases or several legal relationships. Summary decisions are not reviewed."""
    if procedure == Procedure.SUMMARY.value:
        return False
    return hearing_held or complex_case or public_interest


def reduced_fine(fine_yuan: int, percent: int) -> int:
    """A reduction by `percent` (从轻/减轻 lists), rounded down to whole yuan."""
    return fine_yuan * (100 - percent) // 100


# ---------------------------------------------------------------- time limits


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def limitation_expired(rules: ProcedureRules, *, act_ended_on: date, discovered_on: date, harm_to_safety: bool = False) -> bool:
    """行政处罚法 Art. 36: not discovered within 2 years (5 with harm to public safety) of the end of the
    act → no penalty."""
    years = rules.limitation_years_harm if harm_to_safety else rules.limitation_years
    return discovered_on > add_years(act_ended_on, years)


def decision_due(rules: ProcedureRules, registered_on: date) -> date:
    """行政处罚法 Art. 60: decide within 90 (calendar) days of 立案. Internal deadline: not rolled."""
    from datetime import timedelta

    return registered_on + timedelta(days=rules.decision_days)


def defence_due(rules: ProcedureRules, notified_on: date, cal: WorkingCalendar) -> date:
    """行政处罚法 Art. 64 and Art. 85: 5 working days after the notice for a statement, defence or
    hearing request."""
    return cal.add_working_days(notified_on, rules.defence_working_days)


def payment_due(rules: ProcedureRules, served_on: date, cal: WorkingCalendar) -> date:
    """行政处罚法 Art. 67: pay within 15 days of service; a period ending on a rest day ends on the next
    working day."""
    return cal.add_calendar_days(served_on, rules.payment_days, roll_forward=True)


def late_surcharge_fen(*, fine_yuan: int, due: date, paid_on: date, percent_per_day: int = 3) -> int:
    """行政处罚法 Art. 72(1), 行政强制法 Art. 45: 3% of the fine for each day late, never more than the fine.
    Returned in fen (3% of a yuan amount is a whole number of fen)."""
    days_late = (paid_on - due).days
    if days_late <= 0 or fine_yuan <= 0:
        return 0
    return min(days_late * fine_yuan * percent_per_day, fine_yuan * 100)


@dataclass(frozen=True)
class DeadlineState:
    name: str
    due: date
    state: str  # ok | reminder | overdue


def deadline_state(due: date, today: date, cal: WorkingCalendar, remind_working_days: int) -> str:
    """overdue after the due day; reminder when at most `remind_working_days` working days remain."""
    if today > due:
        return "overdue"
    if cal.working_days_between(today, due) <= remind_working_days:
        return "reminder"
    return "ok"


# ---------------------------------------------------------------- exemptions


@dataclass(frozen=True)
class ExemptionCheck:
    eligible: bool
    failed: tuple[str, ...]
    missing: tuple[str, ...]


def evaluate_exemption(item: ExemptionItem, answers: Mapping[str, bool], *, catalogue_code: str) -> ExemptionCheck:
    """交法发〔2021〕115号 list: every condition of the item must hold; an unanswered condition fails.
    The item must also cover the case's violation."""
    if catalogue_code not in item.catalogue_codes:
        return ExemptionCheck(False, ("catalogue_code",), ())
    missing = tuple(c for c in item.conditions if c not in answers)
    failed = tuple(c for c in item.conditions if c in answers and not answers[c])
    return ExemptionCheck(not missing and not failed, failed, missing)
