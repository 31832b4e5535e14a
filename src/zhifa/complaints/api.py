"""JSON API: Open311 GeoReport v2 for civic-reporting clients, and the staff API under /api/complaints.

GeoReport v2 (https://wiki.open311.org/GeoReport_v2): services, requests, request status. A request id is
the receipt code; a client can only read requests whose ids it holds (no listing of other people's reports).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response

from zhifa.complaints import service
from zhifa.complaints.model import CATEGORY_LABELS, Category
from zhifa.shared.errors import ZhifaError
from zhifa.shared.ratelimit import RateLimiter
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, csrf_exempt, get_container

router = APIRouter()


def public_limiter(request: Request) -> RateLimiter:
    """Public submissions per client address per minute, counted by every server process together when
    `rate_limit_backend=redis` (zhifa.shared.ratelimit)."""
    c = get_container(request)
    return c.limiter("public_reports", c.settings.public_rate_limit_per_minute, 60)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _o311_error(status: int, message: str, en: str | None = None) -> JSONResponse:
    """A GeoReport v2 error list; `description` is the Chinese text, `description_en` (an extra field that
    GeoReport v2 clients ignore) its English text, as `detail` / `detail_en` of the platform's own API."""
    error: dict[str, Any] = {"code": status, "description": message}
    if en:
        error["description_en"] = en
    return JSONResponse([error], status_code=status)


def _o311_status(status: str) -> str:
    return "closed" if status in ("resolved", "closed", "rejected") else "open"


@router.get("/open311/v2/services.json", tags=["open311"])
def o311_services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": c.value,
            "service_name": CATEGORY_LABELS[c][0],
            "description": CATEGORY_LABELS[c][1],
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "交通运输执法",
        }
        for c in Category
    ]


@router.post("/open311/v2/requests.json", tags=["open311"], response_model=None)
@csrf_exempt  # a civic-reporting client holds no session cookie, so there is nothing to forge
def o311_create(
    request: Request,
    s: DbSession,
    clock: ClockDep,
    service_code: Annotated[str, Form(max_length=32)],
    description: Annotated[str, Form(max_length=4000)] = "",
    lat: Annotated[float | None, Form()] = None,
    long: Annotated[float | None, Form()] = None,
    first_name: Annotated[str | None, Form(max_length=32)] = None,
    last_name: Annotated[str | None, Form(max_length=32)] = None,
    phone: Annotated[str | None, Form(max_length=20)] = None,
) -> Any:
    if not public_limiter(request).allow(client_key(request), time.time()):
        return _o311_error(429, "提交过于频繁，请稍后再试", "Too many submissions; please try again later")
    name = "".join(p for p in (last_name, first_name) if p) or None
    sub = service.Submission(
        category=service_code, description=description, lon=long, lat=lat,
        real_name=bool(name and phone), reporter_name=name, reporter_phone=phone,
    )
    try:
        c = service.submit(s, sub=sub, photos=[], uploads_dir=get_container(request).settings.data_dir / "uploads",
                           now=clock.now(), channel="open311")
    except ZhifaError as e:
        return _o311_error(400, e.message, e.en)
    return [{"service_request_id": c.receipt_code, "service_notice": "已收到，可凭回执码查询进度"}]


def _o311_view(view: dict[str, Any]) -> dict[str, Any]:
    return {
        "service_request_id": view["receipt_code"],
        "status": _o311_status(view["status"]),
        "status_notes": view["status_label"] + (f"：{view['result']}" if view["result"] else ""),
        "service_name": view["category_label"],
        "service_code": view["category"],
        "requested_datetime": view["created_at"].isoformat(),
        "updated_datetime": (view["notices"][-1][0] if view["notices"] else view["created_at"]).isoformat(),
    }


@router.get("/open311/v2/requests/{request_id}.json", tags=["open311"], response_model=None)
def o311_request(request: Request, request_id: str, s: DbSession) -> Any:
    if not public_limiter(request).allow(client_key(request), time.time()):
        return _o311_error(429, "查询过于频繁，请稍后再试", "Too many queries; please try again later")
    try:
        return [_o311_view(service.public_view(s, request_id[:16]))]
    except ZhifaError as e:
        return _o311_error(404, e.message, e.en)


@router.get("/open311/v2/requests.json", tags=["open311"], response_model=None)
def o311_requests(request: Request, s: DbSession, service_request_id: str = "") -> Any:
    """Only the requests whose ids are given (comma-separated, at most 10): reports are not public."""
    ids = [i.strip() for i in service_request_id.split(",") if i.strip()][:10]
    if not ids:
        return _o311_error(400, "须提供 service_request_id（回执码），不提供举报列表",
                           "service_request_id (the receipt code) is required; reports are not listed")
    if not public_limiter(request).allow(client_key(request), time.time()):
        return _o311_error(429, "查询过于频繁，请稍后再试", "Too many queries; please try again later")
    out = []
    for rid in ids:
        try:
            out.append(_o311_view(service.public_view(s, rid[:16])))
        except ZhifaError:
            continue
    return out


@router.get("/api/public/barriers", tags=["public"])
def public_barriers(s: DbSession) -> dict[str, Any]:
    """Barriers to pick from on the public form (name, limits, place only)."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]},
            "properties": {"id": b.barrier_id, "name": b.name, "road": b.road,
                           "height_limit_mm": b.height_limit_mm, "width_limit_mm": b.width_limit_mm},
        }
        for b in service.public_barriers(s)
    ]
    return {"type": "FeatureCollection", "features": feats}


def _row(c: Any) -> dict[str, Any]:
    return {
        "complaint_id": c.complaint_id, "receipt_code": c.receipt_code, "category": c.category, "status": c.status,
        "unit_code": c.unit_code, "lon": c.lon, "lat": c.lat, "description": c.description,
        "merged_into": c.merged_into, "order_id": c.order_id, "real_name": c.real_name,
        "reward_yuan": c.reward_yuan, "rating": c.rating, "created_at": c.created_at.isoformat(),
    }


@router.get("/api/complaints", tags=["complaints"])
def api_list(actor: StaffActor, s: DbSession, status: str | None = None, category: str | None = None,
             limit: int = 50, offset: int = 0) -> dict[str, Any]:
    rows, total = service.list_complaints(s, actor=actor, status=status, category=category, limit=limit, offset=offset)
    return {"data": [_row(c) for c in rows], "count": total}


@router.post("/api/complaints/{complaint_id}/{verb}", tags=["complaints"])
async def api_act(request: Request, complaint_id: str, verb: str, actor: StaffActor, s: DbSession, clock: ClockDep,
                  _: Csrf) -> dict[str, Any]:
    body = await request.json() if request.headers.get("content-type", "").startswith("application/json") else {}
    now = clock.now()
    if verb == "accept":
        from zhifa.shared.calendar import cn_calendar

        c = service.accept(s, actor=actor, complaint_id=complaint_id, now=now, calendar=cn_calendar())
    elif verb == "resolve":
        c = service.resolve(s, actor=actor, complaint_id=complaint_id, result=str(body.get("result", "")), now=now)
    elif verb == "reject":
        c = service.reject(s, actor=actor, complaint_id=complaint_id, reason=str(body.get("reason", "")), now=now)
    elif verb == "reward":
        c = service.grant_reward(s, actor=actor, complaint_id=complaint_id, amount_yuan=int(body.get("amount_yuan", 0)), now=now)
    else:
        raise ZhifaError("未知操作", en="Unknown action")
    return _row(c)




@router.get("/api/public/outlines", tags=["public"])
def public_outlines() -> Response:
    """The province and city outlines for the public map (no tile server)."""
    from importlib import resources

    body = resources.files("zhifa.org").joinpath("data/henan_outlines.geojson").read_bytes()
    return Response(body, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=86400"})
