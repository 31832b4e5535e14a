"""Pages for leads (线索研判): browse and filter, detail with evidence, review."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from zhifa.leads import queries
from zhifa.leads.messages import EVIDENCE_LABELS, EVIDENCE_VALUE_LABELS
from zhifa.leads.model import LEAD_STATUS_LABELS, RULE_LABELS
from zhifa.leads.service import list_leads
from zhifa.shared.errors import ValidationFailed, ZhifaError
from zhifa.shared.plates import COLOR_SHORT_LABELS
from zhifa.web.auth import unit_tree
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, get_container, register_nav, render
from zhifa.web.i18n import get_lang, labels, translate

router = APIRouter()

register_nav("leads", "线索列表", "Leads", "/leads", roles=("analyst", "officer", "legal_reviewer", "supervisor"))
register_nav("leads", "车辆轨迹", "Trajectory", "/trajectory", roles=("analyst", "officer"))

PAGE = 50


def _labels(lang: str) -> dict[str, Any]:
    """Labels of rule and status codes in the interface language."""
    return {"rule_label": labels(RULE_LABELS, lang), "status_label": labels(LEAD_STATUS_LABELS, lang)}


def _detail_ctx(request: Request, s: Any, actor: Any, lead_id: str, message: str, error: str | None) -> dict[str, Any]:
    lang = get_lang(request)
    lead = queries.lead_detail(s, actor=actor, lead_id=lead_id)
    return {
        "lead": lead, **_labels(lang), "message": message, "error": error,
        "catalogue": queries.CATALOGUE_FOR_RULE.get(lead.rule),
        "lead_unit_name": unit_tree(get_container(request).db).names.get(lead.unit_code, lead.unit_code),
        "color_label": labels(COLOR_SHORT_LABELS, lang), "ev_labels": labels(EVIDENCE_LABELS, lang),
        "ev_values": labels(EVIDENCE_VALUE_LABELS, lang),
    }


@router.get("/leads")
def leads_page(
    request: Request,
    actor: StaffActor,
    s: DbSession,
    rule: str = "",
    status: str = "",
    unit_code: str = "",
    plate: str = "",
    day: str = "",
    page: int = 1,
) -> Response:
    error = None
    d = None
    if day:
        try:
            d = date.fromisoformat(day)
        except ValueError:
            error = translate("leads.bad_day", get_lang(request))
    page = max(page, 1)
    rows, total = list_leads(
        s, actor=actor, rule=rule or None, status=status or None, unit_code=unit_code or None,
        plate=plate or None, day=d, limit=PAGE, offset=(page - 1) * PAGE,
    )
    return render(request, "leads/list.html", {
        "rows": rows, "total": total, "page": page, "page_size": PAGE, "rule": rule, "status": status,
        "unit_code": unit_code, "plate": plate, "day": day, **_labels(get_lang(request)), "error": error,
    })


@router.get("/leads/{lead_id}")
def lead_page(request: Request, lead_id: str, actor: StaffActor, s: DbSession, message: str = "") -> Response:
    return render(request, "leads/detail.html", _detail_ctx(request, s, actor, lead_id, message, None))


@router.post("/leads/{lead_id}/review")
def lead_review(
    request: Request,
    lead_id: str,
    actor: StaffActor,
    s: DbSession,
    clock: ClockDep,
    _: Csrf,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    follow_up: Annotated[str, Form()] = "none",
    party_name: Annotated[str, Form()] = "",
    party_kind: Annotated[str, Form()] = "person",
    proposed_fine_yuan: Annotated[str, Form()] = "",
) -> Response:
    try:
        fine = int(proposed_fine_yuan) if proposed_fine_yuan.strip() else None
    except ValueError:
        fine = None
    try:
        with s.begin_nested():
            _, opened = queries.review_with_follow_up(
                s, actor=actor, lead_id=lead_id, decision=decision, reason=reason, now=clock.now(),
                follow_up=follow_up, party_name=party_name, party_kind=party_kind, proposed_fine_yuan=fine,
            )
    except (ValidationFailed, ZhifaError) as exc:
        if exc.http_status == 404:
            raise
        return render(request, "leads/detail.html", _detail_ctx(request, s, actor, lead_id, "", exc.text(get_lang(request))),
                      status=exc.http_status)
    lang = get_lang(request)
    msg = (translate(f"leads.msg.{follow_up}", lang, ref=opened) if follow_up in ("case", "watch")
           else translate("leads.msg.saved", lang))
    return RedirectResponse(f"/leads/{lead_id}?message={msg}", status_code=303)
