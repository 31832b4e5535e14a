"""JSON API of cases under /api/cases, and the payment gateway callback /api/payments/callback."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from zhifa.cases import service
from zhifa.cases.documents import DocumentStore
from zhifa.cases.payment import SimulatedScanPay
from zhifa.cases.schemas import (
    AdvanceIn,
    CaseCreate,
    CasePage,
    CaseRead,
    ExemptionIn,
    RideHailingIn,
    TimelineEvent,
)
from zhifa.leads.service import access_lead
from zhifa.shared.access import Role
from zhifa.shared.clock import TZ
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, csrf_exempt, get_container, require_roles

router = APIRouter(tags=["cases"])
Officer = require_roles(Role.OFFICER)


def docs_for(request: Request) -> DocumentStore:
    return DocumentStore.from_settings(get_container(request).settings)


def provider_for(request: Request) -> SimulatedScanPay:
    return SimulatedScanPay.from_settings(get_container(request).settings)


@router.get("/api/cases", response_model=CasePage)
def api_list(actor: StaffActor, s: DbSession, status: str | None = None, mine: bool = False, overdue: bool | None = None,
             q: str | None = None, limit: int = 50, offset: int = 0) -> CasePage:
    rows, n = service.list_cases(s, actor=actor, status=status, officer=actor.username if mine else None,
                                 overdue=overdue, q=q, limit=limit, offset=offset)
    return CasePage(data=[CaseRead.model_validate(r) for r in rows], count=n)


@router.post("/api/cases", response_model=CaseRead, status_code=201, dependencies=[Depends(Officer)])
def api_create(body: CaseCreate, request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> CaseRead:
    now = clock.now()
    docs = docs_for(request)
    if body.lead_id:
        lead = access_lead(s, actor, body.lead_id)
        case = service.open_case_from_lead(s, actor=actor, lead=lead, catalogue_code=body.catalogue_code,
                                           proposed_fine_yuan=body.proposed_fine_yuan, facts=body.facts,
                                           party_name=body.party_name, party_kind=body.party_kind, now=now,
                                           band_code=body.band_code, docs=docs)
    else:
        case = service.open_case(s, actor=actor, catalogue_code=body.catalogue_code,
                                 proposed_fine_yuan=body.proposed_fine_yuan, facts=body.facts, party_name=body.party_name,
                                 party_kind=body.party_kind, act_on=body.act_on or now.astimezone(TZ).date(), now=now,
                                 plate=body.plate, band_code=body.band_code, procedure=body.procedure,
                                 e_service_consent=body.e_service_consent, complex_case=body.complex_case, docs=docs)
    return CaseRead.model_validate(case)


@router.post("/api/cases/ride-hailing", response_model=list[CaseRead], status_code=201, dependencies=[Depends(Officer)])
def api_ride_hailing(body: RideHailingIn, request: Request, actor: StaffActor, s: DbSession, clock: ClockDep,
                     _: Csrf) -> list[CaseRead]:
    lead = access_lead(s, actor, body.lead_id) if body.lead_id else None
    trip = service.RideHailingTrip(plate=body.plate, driver_name=body.driver_name, platform_name=body.platform_name,
                                   act_on=body.act_on, facts=body.facts, missing=body.missing)
    pair = service.open_linked_ride_hailing_cases(s, actor=actor, trip=trip, party_fine_yuan=body.party_fine_yuan,
                                                  platform_fine_yuan=body.platform_fine_yuan, now=clock.now(), lead=lead,
                                                  docs=docs_for(request))
    return [CaseRead.model_validate(c) for c in pair]


@router.get("/api/cases/exemptions/counts")
def api_exemption_counts(actor: StaffActor, s: DbSession) -> dict[str, dict[str, int]]:
    return service.exemption_counts(s, actor=actor)


@router.get("/api/cases/{case_id}", response_model=CaseRead)
def api_get(case_id: str, actor: StaffActor, s: DbSession) -> CaseRead:
    return CaseRead.model_validate(service.access_case(s, actor, case_id))


@router.get("/api/cases/{case_id}/timeline", response_model=list[TimelineEvent])
def api_timeline(case_id: str, actor: StaffActor, s: DbSession) -> list[TimelineEvent]:
    return [TimelineEvent(seq=e.seq, ts=e.ts, actor=e.actor, action=e.action, before=e.before, after=e.after, reason=e.reason)
            for e in service.timeline(s, actor=actor, case_id=case_id)]


@router.post("/api/cases/{case_id}/advance", response_model=CaseRead)
def api_advance(case_id: str, body: AdvanceIn, request: Request, actor: StaffActor, s: DbSession, clock: ClockDep,
                _: Csrf) -> CaseRead:
    case = service.advance(s, actor=actor, case_id=case_id, target=body.target, now=clock.now(), reason=body.reason,
                           fine_yuan=body.fine_yuan, service_channel=body.service_channel, docs=docs_for(request))
    return CaseRead.model_validate(case)


@router.post("/api/cases/{case_id}/exemption", response_model=CaseRead)
def api_exemption(case_id: str, body: ExemptionIn, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> CaseRead:
    service.apply_exemption(s, actor=actor, case_id=case_id, item_code=body.item_code, answers=body.answers,
                            reason=body.reason, now=clock.now())
    return CaseRead.model_validate(service.access_case(s, actor, case_id))


@router.post("/api/payments/callback")
@csrf_exempt
async def payment_callback(request: Request) -> JSONResponse:
    """The gateway's signed callback. No session and no CSRF: the HMAC signature is the authentication.
    Refusals are recorded by the service and answered 400 with the reason."""
    body = await request.body()
    container = get_container(request)
    from starlette.concurrency import run_in_threadpool

    pay = await run_in_threadpool(
        service.receive_payment_callback, container.db, provider=provider_for(request), body=body,
        headers=dict(request.headers), now=container.clock.now(),
    )
    return JSONResponse({"result": "accepted", "order_no": pay.order_no})
