"""Server-rendered pages: officers (my cases, deadlines today, case detail with timeline), legal
reviewers (queue), admins (catalogue, discretion, exemption list), and the party portal (/portal)."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zhifa.cases import service
from zhifa.cases.documents import KINDS, PARTY_VISIBLE, DocumentStore, documents_of
from zhifa.cases.messages import (
    ACTION_LABELS,
    DEADLINE_LABELS,
    PARTY_KIND_LABELS,
    STATEMENT_KIND_LABELS,
    STATUS_LABELS,
    TRANSITION_LABELS,
    document_kinds,
    glosser,
)
from zhifa.cases.model import CaseStatus, Procedure, allowed_targets
from zhifa.cases.orm import CaseDocument, Payment
from zhifa.cases.payment import SimulatedScanPay
from zhifa.leads.service import access_lead
from zhifa.shared.access import Role, require_role
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, ValidationFailed, ZhifaError
from zhifa.shared.ratelimit import RateLimiter
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, get_container, register_nav, render
from zhifa.web.i18n import get_lang, labels, translate

router = APIRouter(include_in_schema=False)

register_nav("cases", "我的案件", "My cases", "/cases", roles=("officer", "legal_reviewer", "supervisor"), order=10)
register_nav("cases", "新建案件", "New case", "/cases/new", roles=("officer",), order=20)
register_nav("cases", "法制审核", "Legal review", "/cases/review", roles=("legal_reviewer",), order=30)
register_nav("admin", "违法事项与裁量基准", "Catalogue & discretion", "/cases/admin/catalogue", roles=("admin",), order=40)
register_nav("admin", "轻微违法免罚清单", "Exemption list", "/cases/admin/exemptions", roles=("admin", "supervisor"), order=41)


def _docs(request: Request) -> DocumentStore:
    return DocumentStore.from_settings(get_container(request).settings)


def _provider(request: Request) -> SimulatedScanPay:
    return SimulatedScanPay.from_settings(get_container(request).settings)


def _today(clock: Any) -> date:
    return clock.now().astimezone(TZ).date()


def _t(request: Request, key: str, **params: Any) -> str:
    return translate(key, get_lang(request), **params)


def _zh(key: str, **params: Any) -> str:
    """A catalogue text in Chinese, the message of an error raised here (its `en` is `_en(key)`)."""
    return translate(key, "zh", **params)


def _en(key: str, **params: Any) -> str:
    return translate(key, "en", **params)


def _ctx_common(request: Request) -> dict[str, Any]:
    """Labels of codes in the interface language, and `gloss` for the legal data of the bundled rule versions."""
    lang = get_lang(request)
    return {"status_label": labels(STATUS_LABELS, lang), "party_kind_label": labels(PARTY_KIND_LABELS, lang),
            "deadline_label": labels(DEADLINE_LABELS, lang), "kind_label": document_kinds(KINDS, lang),
            "statement_kind_label": labels(STATEMENT_KIND_LABELS, lang), "gloss": glosser(lang)}


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---------------------------------------------------------------- officers


DUE_SHOWN = 50  # deadlines listed at the top of the page; the rest behind a link to the overdue cases


@router.get("/cases")
def cases_list(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, status: str = "", scope: str = "mine",
               q: str = "", page: int = 1, overdue: int = 0) -> Response:
    mine = scope == "mine" and actor.role is Role.OFFICER
    per = 30
    rows, total = service.list_cases(s, actor=actor, status=status or None, officer=actor.username if mine else None,
                                     q=q.strip() or None, overdue=True if overdue else None, limit=per,
                                     offset=max(0, page - 1) * per)
    today = _today(clock)
    due = service.due_within(s, actor=actor, today=today, officer=actor.username if mine else None)
    return render(request, "cases/list.html", {
        **_ctx_common(request), "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // per)),
        "status": status, "scope": "mine" if mine else "unit", "q": q, "due": due[:DUE_SHOWN],
        "due_more": max(0, len(due) - DUE_SHOWN), "overdue": overdue, "today": today,
        "statuses": [(s_.value, labels(STATUS_LABELS, get_lang(request))[s_.value]) for s_ in CaseStatus],
    })


@router.get("/cases/new")
def case_new(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, lead_id: str = "") -> Response:
    require_role(actor, Role.OFFICER)
    lead = access_lead(s, actor, lead_id) if lead_id else None
    _, items = service.catalogue_on(s, _today(clock))
    return render(request, "cases/new.html", {**_ctx_common(request), "items": list(items.values()), "lead": lead,
                                              "today": _today(clock), "error": None, "form": {}})


@router.post("/cases/new")
def case_create(
    request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
    catalogue_code: Annotated[str, Form()], proposed_fine_yuan: Annotated[str, Form()], facts: Annotated[str, Form()],
    party_name: Annotated[str, Form()], party_kind: Annotated[str, Form()] = "person",
    plate: Annotated[str, Form()] = "", act_on: Annotated[str, Form()] = "", band_code: Annotated[str, Form()] = "",
    procedure: Annotated[str, Form()] = "ordinary", lead_id: Annotated[str, Form()] = "",
    e_service_consent: Annotated[str, Form()] = "", complex_case: Annotated[str, Form()] = "",
) -> Response:
    now = clock.now()
    try:
        try:
            fine = int(proposed_fine_yuan)
            act = date.fromisoformat(act_on) if act_on else now.astimezone(TZ).date()
        except ValueError as exc:
            raise ValidationFailed(_zh("cases.err.fine_or_date"), en=_en("cases.err.fine_or_date")) from exc
        if lead_id:
            lead = access_lead(s, actor, lead_id)
            case = service.open_case_from_lead(s, actor=actor, lead=lead, catalogue_code=catalogue_code, proposed_fine_yuan=fine,
                                               facts=facts, party_name=party_name, party_kind=party_kind, now=now,
                                               band_code=band_code or None, e_service_consent=bool(e_service_consent),
                                               docs=_docs(request))
        else:
            case = service.open_case(s, actor=actor, catalogue_code=catalogue_code, proposed_fine_yuan=fine, facts=facts,
                                     party_name=party_name, party_kind=party_kind, act_on=act, now=now, plate=plate or None,
                                     band_code=band_code or None, procedure=procedure,
                                     e_service_consent=bool(e_service_consent), complex_case=bool(complex_case),
                                     docs=_docs(request))
    except ZhifaError as exc:
        s.rollback()
        _, items = service.catalogue_on(s, now.astimezone(TZ).date())
        lead = None
        if lead_id:
            try:
                lead = access_lead(s, actor, lead_id)
            except ZhifaError:
                lead = None
        return render(request, "cases/new.html", {**_ctx_common(request), "items": list(items.values()), "lead": lead,
                                                  "today": now.astimezone(TZ).date(), "error": exc.text(get_lang(request)),
                                                  "form": {"catalogue_code": catalogue_code, "proposed_fine_yuan": proposed_fine_yuan,
                                                           "facts": facts, "party_name": party_name, "party_kind": party_kind,
                                                           "plate": plate, "act_on": act_on, "procedure": procedure}},
                      status=exc.http_status)
    return _back(f"/cases/{case.case_id}")


@router.get("/cases/review")
def review_queue(request: Request, actor: StaffActor, s: DbSession) -> Response:
    return render(request, "cases/review.html", {**_ctx_common(request), "rows": service.review_queue(s, actor=actor)})


@router.get("/cases/admin/catalogue")
def admin_catalogue(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, on: str = "",
                    error: str = "") -> Response:
    require_role(actor, Role.ADMIN, Role.SUPERVISOR, Role.LEGAL_REVIEWER)
    try:
        day = date.fromisoformat(on) if on else _today(clock)
    except ValueError:
        day = _today(clock)
    rs, items = service.catalogue_on(s, day)
    versions = service.rule_versions(s, "catalogue")
    prules = service.procedure_on(s, day)
    return render(request, "cases/catalogue.html", {
        **_ctx_common(request), "rs": rs, "items": list(items.values()), "versions": versions, "prules": prules, "day": day,
        "payload_json": json.dumps({"items": rs.payload.get("items", [])}, ensure_ascii=False, indent=2), "error": error,
    })


@router.post("/cases/admin/catalogue")
def admin_catalogue_publish(
    request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
    version: Annotated[str, Form()], effective_from: Annotated[str, Form()], source: Annotated[str, Form()],
    payload: Annotated[str, Form()],
) -> Response:
    """A new version of the catalogue and its discretion bands; cases keep the version they used."""
    error = _publish(request, s, actor, clock, "catalogue", version, effective_from, source, payload)
    if error:
        return admin_catalogue(request, actor, s, clock, error=error)
    return _back("/cases/admin/catalogue")


def _publish(request: Request, s: Any, actor: Any, clock: Any, kind: str, version: str, effective_from: str,
             source: str, payload: str) -> str | None:
    """Publish a new rule version from the admin form; the refusal message, or None (nothing half-applied)."""
    try:
        try:
            body = json.loads(payload)
            eff = date.fromisoformat(effective_from)
        except ValueError as exc:
            raise ValidationFailed(_zh("cases.err.json_or_date", exc=exc), en=_en("cases.err.json_or_date", exc=exc)) from exc
        service.publish_rule_version(s, actor=actor, kind=kind, version=version.strip(), effective_from=eff,
                                     payload=body, source=source, now=clock.now())
    except ZhifaError as exc:
        s.rollback()
        return exc.text(get_lang(request))
    return None


@router.get("/cases/admin/exemptions")
def admin_exemptions(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, error: str = "") -> Response:
    require_role(actor, Role.ADMIN, Role.SUPERVISOR)
    rs, items = service.exemptions_on(s, _today(clock))
    return render(request, "cases/exemptions.html", {
        **_ctx_common(request), "rs": rs, "items": list(items.values()), "conditions": rs.payload.get("conditions", {}),
        "versions": service.rule_versions(s, "exemptions"), "counts": service.exemption_counts(s, actor=actor),
        "payload_json": json.dumps({k: v for k, v in rs.payload.items() if k in ("conditions", "items")}, ensure_ascii=False, indent=2),
        "error": error,
    })


@router.post("/cases/admin/exemptions")
def admin_exemptions_publish(
    request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
    version: Annotated[str, Form()], effective_from: Annotated[str, Form()], source: Annotated[str, Form()],
    payload: Annotated[str, Form()],
) -> Response:
    error = _publish(request, s, actor, clock, "exemptions", version, effective_from, source, payload)
    if error:
        return admin_exemptions(request, actor, s, clock, error=error)
    return _back("/cases/admin/exemptions")


@router.get("/cases/{case_id}")
def case_detail(request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, error: str = "") -> Response:
    case = service.access_case(s, actor, case_id)
    today = _today(clock)
    targets = allowed_targets(CaseStatus(case.status), Procedure(case.procedure))
    ex_rs, ex_items = service.exemptions_on(s, case.act_on)
    _, cat = service.catalogue_on(s, case.act_on)
    events = service.timeline(s, actor=actor, case_id=case_id)
    return render(request, "cases/detail.html", {
        **_ctx_common(request), "case": case, "item": cat.get(case.catalogue_code), "targets": targets,
        "target_labels": {t.value: labels(TRANSITION_LABELS, get_lang(request)).get(t.value, t.value) for t in CaseStatus},
        "documents": documents_of(s, case.case_id), "evidence": service.evidence_of(s, case.case_id),
        "statements": service.statements(s, case.case_id), "events": events, "action_label": labels(ACTION_LABELS, get_lang(request)),
        "linked": service.linked_cases(s, actor=actor, case=case), "review_required": service.review_required(case),
        "hearing_right": service.hearing_right_for(s, case),
        "exemptions": [i for i in ex_items.values() if case.catalogue_code in i.catalogue_codes],
        "conditions": ex_rs.payload.get("conditions", {}), "deadlines": service.case_deadlines(case), "today": today,
        "amount_due_fen": service.amount_due_fen(s, case, today) if case.fine_yuan else 0, "error": error,
    })


@router.post("/cases/{case_id}/advance")
def case_advance(
    request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
    target: Annotated[str, Form()], reason: Annotated[str, Form()] = "", fine_yuan: Annotated[str, Form()] = "",
    service_channel: Annotated[str, Form()] = "electronic",
) -> Response:
    try:
        try:
            fine = int(fine_yuan) if fine_yuan.strip() else None
        except ValueError as exc:
            raise ValidationFailed(_zh("cases.err.fine_int"), en=_en("cases.err.fine_int")) from exc
        service.advance(s, actor=actor, case_id=case_id, target=target, now=clock.now(), reason=reason or None,
                        fine_yuan=fine, service_channel=service_channel, docs=_docs(request))
    except ZhifaError as exc:
        s.rollback()
        if exc.http_status == 404:
            raise
        return case_detail(request, case_id, actor, s, clock, error=exc.text(get_lang(request)))
    return _back(f"/cases/{case_id}")


@router.post("/cases/{case_id}/exemption")
async def case_exemption(request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    form = await request.form()
    item_code = str(form.get("item_code", ""))
    reason = str(form.get("reason", ""))
    answers = {k[5:]: True for k in form if k.startswith("cond_")}
    try:
        _, items = service.exemptions_on(s, service.access_case(s, actor, case_id).act_on)
        item = items.get(item_code)
        if item is not None:
            answers = {c: answers.get(c, False) for c in item.conditions}
        service.apply_exemption(s, actor=actor, case_id=case_id, item_code=item_code, answers=answers, reason=reason,
                                now=clock.now())
    except ZhifaError as exc:
        s.rollback()
        if exc.http_status == 404:
            raise
        return case_detail(request, case_id, actor, s, clock, error=exc.text(get_lang(request)))
    return _back(f"/cases/{case_id}")


@router.post("/cases/{case_id}/evidence")
def case_evidence(request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                  file: Annotated[UploadFile, File()], description: Annotated[str, Form()] = "") -> Response:
    data = file.file.read(50 * 1024 * 1024 + 1)
    try:
        if len(data) > 50 * 1024 * 1024:
            raise ValidationFailed(_zh("cases.err.evidence_size"), en=_en("cases.err.evidence_size"))
        service.add_evidence(s, actor=actor, case_id=case_id, name=file.filename or "证据", content=data,
                             evidence_dir=get_container(request).settings.evidence_dir, now=clock.now(), description=description)
    except ZhifaError as exc:
        s.rollback()
        if exc.http_status == 404:
            raise
        return case_detail(request, case_id, actor, s, clock, error=exc.text(get_lang(request)))
    return _back(f"/cases/{case_id}")


@router.post("/cases/{case_id}/flags")
def case_flags(request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
               complex_case: Annotated[str, Form()] = "", public_interest: Annotated[str, Form()] = "",
               e_service_consent: Annotated[str, Form()] = "") -> Response:
    service.set_flags(s, actor=actor, case_id=case_id, now=clock.now(), complex_case=bool(complex_case),
                      public_interest=bool(public_interest), e_service_consent=bool(e_service_consent))
    return _back(f"/cases/{case_id}")


def _pdf(data: bytes, name: str) -> Response:
    from urllib.parse import quote

    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


@router.get("/cases/{case_id}/documents/{document_id}")
def case_document(request: Request, case_id: str, document_id: str, actor: StaffActor, s: DbSession) -> Response:
    case = service.access_case(s, actor, case_id)
    doc = s.get(CaseDocument, document_id)
    if doc is None or doc.case_id != case.case_id:
        raise NotFound(_zh("cases.err.no_document"), en=_en("cases.err.no_document"))
    return _pdf(_docs(request).read(doc), f"{doc.number}.pdf")


@router.get("/cases/{case_id}/case-file")
def case_file(request: Request, case_id: str, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    case = service.access_case(s, actor, case_id)
    return _pdf(_docs(request).case_file(s, case, clock.now()), f"案卷-{case.case_code}.pdf")


# ---------------------------------------------------------------- party portal (不见面执法)

PORTAL_KEY = "portal_case"


def _limiter(request: Request) -> RateLimiter:
    """Portal look-ups per client address per minute; right and wrong look-ups count alike so that
    guessing codes is slow. Shared by all server processes when `rate_limit_backend=redis`."""
    c = get_container(request)
    return c.limiter("portal", c.settings.public_rate_limit_per_minute, 60)


def _portal_case(request: Request, s: Any) -> Any:
    case_id = request.session.get(PORTAL_KEY)
    if not case_id:
        return None
    from zhifa.cases.orm import Case

    return s.get(Case, case_id)


@router.get("/portal")
def portal_home(request: Request, error: str = "") -> Response:
    return render(request, "portal/lookup.html", {"error": error})


@router.post("/portal/lookup")
def portal_lookup(request: Request, s: DbSession, _: Csrf, plate: Annotated[str, Form()] = "",
                  case_code: Annotated[str, Form()] = "") -> Response:
    ip = request.client.host if request.client else "unknown"
    if not _limiter(request).allow(ip, time.time()):
        return render(request, "portal/lookup.html", {"error": _t(request, "portal.too_many")}, status=429)
    try:
        case = service.portal_find(s, plate=plate, case_code=case_code)
    except NotFound as exc:
        # one message whatever was wrong (no enumeration), in the interface language
        error = exc.text(get_lang(request))
        return render(request, "portal/lookup.html", {"error": error}, status=404)
    request.session[PORTAL_KEY] = case.case_id
    return _back("/portal/case")


@router.post("/portal/logout")
def portal_logout(request: Request, _: Csrf) -> Response:
    request.session.pop(PORTAL_KEY, None)
    return _back("/portal")


@router.get("/portal/case")
def portal_case(request: Request, s: DbSession, clock: ClockDep, error: str = "", notice: str = "") -> Response:
    case = _portal_case(request, s)
    if case is None:
        return _back("/portal")
    today = _today(clock)
    _, cat = service.catalogue_on(s, case.act_on)
    docs = [d for d in documents_of(s, case.case_id) if d.kind in PARTY_VISIBLE]
    can_state = case.status == CaseStatus.NOTIFIED.value and case.defence_due is not None and today <= case.defence_due
    can_pay = case.status in service.OPEN_FOR_PAYMENT and case.paid_fen == 0 and (case.fine_yuan or 0) > 0
    return render(request, "portal/case.html", {
        **_ctx_common(request), "case": case, "item": cat.get(case.catalogue_code), "documents": docs,
        "statements": service.statements(s, case.case_id), "can_state": can_state, "can_pay": can_pay,
        "hearing_right": service.hearing_right_for(s, case), "today": today,
        "amount_due_fen": service.amount_due_fen(s, case, today) if can_pay else 0, "error": error, "notice": notice,
    })


@router.get("/portal/documents/{document_id}")
def portal_document(request: Request, document_id: str, s: DbSession) -> Response:
    case = _portal_case(request, s)
    doc = s.get(CaseDocument, document_id)
    if case is None or doc is None or doc.case_id != case.case_id or doc.kind not in PARTY_VISIBLE:
        raise NotFound(_zh("cases.err.no_document"), en=_en("cases.err.no_document"))
    return _pdf(_docs(request).read(doc), f"{doc.number}.pdf")


@router.post("/portal/statement")
def portal_statement(request: Request, s: DbSession, clock: ClockDep, _: Csrf, kind: Annotated[str, Form()] = "defence",
                     text: Annotated[str, Form()] = "") -> Response:
    case = _portal_case(request, s)
    if case is None:
        return _back("/portal")
    try:
        service.submit_statement(s, case=case, kind=kind, text=text, now=clock.now())
    except ZhifaError as exc:
        s.rollback()
        return portal_case(request, s, clock, error=exc.text(get_lang(request)))
    return _back("/portal/case?notice=submitted")


@router.post("/portal/pay")
def portal_pay(request: Request, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    case = _portal_case(request, s)
    if case is None:
        return _back("/portal")
    try:
        order = service.create_payment_order(s, case=case, provider=_provider(request), now=clock.now())
    except ZhifaError as exc:
        s.rollback()
        return portal_case(request, s, clock, error=exc.text(get_lang(request)))
    return _back(f"/portal/pay/{order.order_no}")


@router.get("/portal/pay/{order_no}")
def portal_pay_page(request: Request, order_no: str, s: DbSession) -> Response:
    case = _portal_case(request, s)
    order = s.get(Payment, order_no)
    if case is None or order is None or order.case_id != case.case_id:
        raise NotFound(_zh("cases.err.no_order"), en=_en("cases.err.no_order"))
    return render(request, "portal/pay.html", {"case": case, "order": order})


@router.post("/portal/pay/{order_no}/simulate")
def portal_pay_simulate(request: Request, order_no: str, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    """The simulated gateway: the party 'scans and pays'; the gateway posts its signed callback to the
    platform over HTTP, exactly as a bank would."""
    case = _portal_case(request, s)
    order = s.get(Payment, order_no)
    if case is None or order is None or order.case_id != case.case_id:
        raise NotFound(_zh("cases.err.no_order"), en=_en("cases.err.no_order"))
    provider = _provider(request)
    body, headers = provider.build_callback(order_no=order.order_no, amount_fen=order.amount_fen, paid_at=clock.now())
    s.rollback()  # release the read transaction before the callback writes
    status = provider.post_callback(str(request.base_url).rstrip("/") + "/api/payments/callback", body, headers)
    return _back("/portal/case?notice=" + ("paid" if status == 200 else "payfail"))
