"""JSON API of road administration under /api/roads: sections and zones, handheld patrol uploads
(idempotent by client UUID), findings, coverage, archives, remote-sensing tasks, ads, model roads."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import String, cast, or_, select

from zhifa.roads import archive, service
from zhifa.roads.model import FINDING_CATEGORY_ZH
from zhifa.roads.orm import AdFacility, ChangeTask, Finding
from zhifa.shared.access import scope
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, ValidationFailed
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, get_container

router = APIRouter(prefix="/api/roads", tags=["roads"])


def _store(request: Request) -> service.FileStore:
    return service.store_for(get_container(request).settings.data_dir)


def _road(r: Any) -> dict[str, Any]:
    return {"road_id": r.road_id, "code": r.code, "name": r.name, "section": r.section, "road_class": r.road_class,
            "unit_code": r.unit_code, "length_m": r.length_m, "geometry": r.geometry}


@router.get("")
def list_roads(actor: StaffActor, s: DbSession) -> dict[str, Any]:
    rows = service.list_roads(s, actor=actor)
    return {"data": [_road(r) for r in rows], "count": len(rows)}


@router.get("/categories")
def categories() -> dict[str, str]:
    return {k.value: v for k, v in FINDING_CATEGORY_ZH.items()}


@router.get("/{road_id}/zone")
def road_zone(road_id: str, actor: StaffActor, s: DbSession, clock: ClockDep) -> dict[str, Any]:
    road = service.access_road(s, actor, road_id)
    return {"road": _road(road), **service.zone_geojson(road, clock.now().astimezone(TZ).date())}


# ---------------------------------------------------------------- handheld uploads


class PatrolStart(BaseModel):
    client_uuid: str = Field(max_length=36)
    road_id: str = Field(max_length=32)
    started_at: datetime | None = None
    note: str | None = Field(None, max_length=2000)


class PatrolEnd(BaseModel):
    ended_at: datetime | None = None


class FindingUpload(BaseModel):
    client_uuid: str = Field(max_length=36)
    patrol_uuid: str = Field(max_length=36)
    category: str = Field(max_length=24)
    lon: float
    lat: float
    note: str = Field("", max_length=2000)
    recorded_at: datetime | None = None
    photos: list[str] = Field(default_factory=list, max_length=service.MAX_PHOTOS)  # data URLs or base64


def _decode_photo(text: str) -> bytes:
    data = text.split(",", 1)[1] if text.startswith("data:") else text
    if len(data) > service.MAX_PHOTO_BYTES * 4 // 3 + 16:
        raise ValidationFailed("单张照片过大", en="A photo is too large")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("照片编码不正确", en="Invalid photo encoding") from exc


@router.post("/patrols")
def start_patrol(body: PatrolStart, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> JSONResponse:
    p, created = service.start_patrol(s, actor=actor, client_uuid=body.client_uuid, road_id=body.road_id,
                                      started_at=body.started_at, now=clock.now(), note=body.note)
    return JSONResponse({"patrol_id": p.patrol_id, "client_uuid": p.client_uuid, "created": created},
                        status_code=201 if created else 200)


@router.post("/patrols/{client_uuid}/end")
def end_patrol(client_uuid: str, body: PatrolEnd, actor: StaffActor, s: DbSession, clock: ClockDep,
               _: Csrf) -> dict[str, Any]:
    p = service.end_patrol(s, actor=actor, client_uuid=client_uuid, ended_at=body.ended_at, now=clock.now())
    return {"patrol_id": p.patrol_id, "ended_at": p.ended_at.isoformat() if p.ended_at else None}


@router.post("/findings")
def upload_finding(request: Request, body: FindingUpload, actor: StaffActor, s: DbSession, clock: ClockDep,
                   _: Csrf) -> JSONResponse:
    photos = [_decode_photo(p) for p in body.photos]
    f, created = service.record_finding(s, actor=actor, client_uuid=body.client_uuid, patrol_uuid=body.patrol_uuid,
                                        category=body.category, lon=body.lon, lat=body.lat, note=body.note,
                                        photos=photos, recorded_at=body.recorded_at, now=clock.now(),
                                        store=_store(request))
    return JSONResponse({"finding_id": f.finding_id, "client_uuid": f.client_uuid, "created": created},
                        status_code=201 if created else 200)


def _finding(f: Finding) -> dict[str, Any]:
    return {"finding_id": f.finding_id, "client_uuid": f.client_uuid, "road_id": f.road_id, "unit_code": f.unit_code,
            "category": f.category, "lon": f.lon, "lat": f.lat, "note": f.note, "status": f.status,
            "photos": [p["sha256"] for p in f.photos], "recorded_at": f.recorded_at.isoformat(),
            "case_id": f.case_id, "notice_id": f.notice_id}


@router.get("/findings")
def list_findings(actor: StaffActor, s: DbSession, road_id: str | None = None, status: str | None = None,
                  year: int | None = None, limit: int = 200) -> dict[str, Any]:
    rows = service.list_findings(s, actor=actor, road_id=road_id, status=status, year=year, limit=min(limit, 1000))
    return {"data": [_finding(f) for f in rows], "count": len(rows)}


class NoticeBody(BaseModel):
    party_name: str = Field(max_length=128)
    requirement: str = Field("", max_length=2000)
    working_days: int | None = Field(None, ge=1, le=60)


class CaseBody(BaseModel):
    party_name: str = Field(max_length=128)
    party_kind: str = Field("person", max_length=16)
    proposed_fine_yuan: int = Field(ge=0)
    band_code: str | None = Field(None, max_length=8)
    facts: str | None = Field(None, max_length=5000)


@router.post("/findings/{finding_id}/notice", status_code=201)
def issue_notice(finding_id: str, body: NoticeBody, actor: StaffActor, s: DbSession, clock: ClockDep,
                 _: Csrf) -> dict[str, Any]:
    n = service.issue_notice(s, actor=actor, finding_id=finding_id, party_name=body.party_name,
                             requirement=body.requirement, now=clock.now(), calendar=cn_calendar(),
                             working_days=body.working_days)
    return {"notice_id": n.notice_id, "number": n.number, "due_on": n.due_on.isoformat()}


@router.post("/findings/{finding_id}/case", status_code=201)
def open_case(finding_id: str, body: CaseBody, actor: StaffActor, s: DbSession, clock: ClockDep,
              _: Csrf) -> dict[str, Any]:
    c = service.open_case_for_finding(s, actor=actor, finding_id=finding_id, party_name=body.party_name,
                                      party_kind=body.party_kind, proposed_fine_yuan=body.proposed_fine_yuan,
                                      now=clock.now(), facts=body.facts, band_code=body.band_code)
    return {"case_id": c.case_id, "case_code": c.case_code, "catalogue_code": c.catalogue_code}


@router.get("/coverage")
def coverage(actor: StaffActor, s: DbSession, clock: ClockDep, year: int | None = None,
             month: int | None = None) -> dict[str, Any]:
    today = clock.now().astimezone(TZ).date()
    y, m = year or today.year, month or today.month
    if not 1 <= m <= 12:
        raise ValidationFailed("月份须在 1–12 之间", en="The month must be between 1 and 12")
    rows = service.coverage(s, actor=actor, year=y, month=m)
    return {"year": y, "month": m, "data": [{"road_id": r.road.road_id, "code": r.road.code, "section": r.road.section,
                                             "patrols": r.patrols, "days": r.days, "coverage": round(r.coverage, 4),
                                             "findings": r.findings} for r in rows]}


@router.get("/{road_id}/archive.pdf")
def archive_pdf(request: Request, road_id: str, year: int, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    from zhifa.web.auth import unit_tree

    data = service.archive(s, actor=actor, road_id=road_id, year=year)
    name = unit_tree(get_container(request).db).names.get(data["road"].unit_code, data["road"].unit_code)
    pdf = archive.render_pdf(data, unit_name=name, now=clock.now(), store=_store(request))
    fn = f"archive_{data['road'].code}_{year}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{fn}"'})


# ---------------------------------------------------------------- files (photos, chips), in jurisdiction only


@router.get("/files/{sha}")
def file(request: Request, sha: str, actor: StaffActor, s: DbSession) -> Response:
    store = _store(request)
    path = store.path(sha)
    if path is None:
        raise NotFound("文件不存在", en="File not found")
    in_task = scope(select(ChangeTask.task_id), actor, ChangeTask.unit_code).where(
        or_(ChangeTask.chip_before == sha, ChangeTask.chip_after == sha)).limit(1)
    in_finding = scope(select(Finding.finding_id), actor, Finding.unit_code).where(
        cast(Finding.photos, String).contains(sha)).limit(1)
    if s.execute(in_task).first() is None and s.execute(in_finding).first() is None:
        raise NotFound("文件不存在", en="File not found")
    media = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, headers={"Cache-Control": "private, max-age=86400"})


# ---------------------------------------------------------------- remote-sensing tasks


def _task(t: ChangeTask) -> dict[str, Any]:
    return {"task_id": t.task_id, "lead_id": t.lead_id, "road_id": t.road_id, "unit_code": t.unit_code,
            "lon": t.lon, "lat": t.lat, "area_m2": t.area_m2, "where": t.where, "status": t.status,
            "date_before": t.date_before, "date_after": t.date_after, "chip_before": f"/api/roads/files/{t.chip_before}",
            "chip_after": f"/api/roads/files/{t.chip_after}", "rule_version": t.rule_version}


@router.get("/tasks")
def list_tasks(actor: StaffActor, s: DbSession, status: str | None = None) -> dict[str, Any]:
    rows = service.list_tasks(s, actor=actor, status=status)
    return {"data": [_task(t) for t in rows], "count": len(rows)}


class TaskResolve(BaseModel):
    confirmed: bool
    note: str = Field("", max_length=2000)


@router.post("/tasks/{task_id}/resolve")
def resolve_task(task_id: str, body: TaskResolve, actor: StaffActor, s: DbSession, clock: ClockDep,
                 _: Csrf) -> dict[str, Any]:
    return _task(service.resolve_task(s, actor=actor, task_id=task_id, confirmed=body.confirmed, note=body.note,
                                      now=clock.now()))


# ---------------------------------------------------------------- advertising


class AdCreate(BaseModel):
    unit_code: str = Field(max_length=6)
    owner: str = Field(max_length=128)
    kind: str = Field("单立柱广告牌", max_length=32)
    lon: float
    lat: float
    road_id: str | None = Field(None, max_length=32)
    status: str = "to_clear"
    permit_ref: str | None = Field(None, max_length=64)


class AdStatusBody(BaseModel):
    status: str = Field(max_length=16)
    permit_ref: str | None = Field(None, max_length=64)
    reason: str | None = Field(None, max_length=2000)


def _ad(a: AdFacility) -> dict[str, Any]:
    return {"ad_id": a.ad_id, "unit_code": a.unit_code, "city_code": a.city_code, "owner": a.owner, "kind": a.kind,
            "lon": a.lon, "lat": a.lat, "status": a.status, "permit_ref": a.permit_ref,
            "cleared_on": a.cleared_on.isoformat() if a.cleared_on else None}


@router.get("/ads")
def list_ads(actor: StaffActor, s: DbSession, city_code: str | None = None, status: str | None = None) -> dict[str, Any]:
    rows = service.list_ads(s, actor=actor, city_code=city_code, status=status)
    return {"data": [_ad(a) for a in rows], "count": len(rows)}


@router.post("/ads", status_code=201)
def create_ad(body: AdCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    return _ad(service.register_ad(s, actor=actor, unit_code=body.unit_code, owner=body.owner, kind=body.kind,
                                   lon=body.lon, lat=body.lat, now=clock.now(), road_id=body.road_id,
                                   status=body.status, permit_ref=body.permit_ref))


@router.post("/ads/{ad_id}/status")
def ad_status(ad_id: str, body: AdStatusBody, actor: StaffActor, s: DbSession, clock: ClockDep,
              _: Csrf) -> dict[str, Any]:
    return _ad(service.set_ad_status(s, actor=actor, ad_id=ad_id, status=body.status, now=clock.now(),
                                     permit_ref=body.permit_ref, reason=body.reason))


@router.get("/ads/progress")
def ad_progress(actor: StaffActor, s: DbSession) -> dict[str, Any]:
    rows = service.campaign_by_city(s, actor=actor)
    return {"cities": [{"city_code": c, "name": n, "total": p.total, "to_clear": p.to_clear, "cleared": p.cleared,
                        "approved": p.approved, "rate": None if p.rate is None else round(p.rate, 4)}
                       for c, n, p in rows],
            "cleared_per_year": service.cleared_per_year(s, actor=actor)}


# ---------------------------------------------------------------- model roads


class RoundCreate(BaseModel):
    year: int = Field(ge=2000, le=2100)
    title: str = Field("", max_length=128)


class Nominate(BaseModel):
    road_id: str = Field(max_length=32)


class ScoreBody(BaseModel):
    kind: str = Field(max_length=16)
    score: float


@router.get("/model-rounds")
def rounds(actor: StaffActor, s: DbSession) -> dict[str, Any]:
    rows = service.list_rounds(s, actor=actor)
    return {"data": [{"round_id": r.round_id, "year": r.year, "title": r.title, "status": r.status} for r in rows]}


@router.post("/model-rounds", status_code=201)
def create_round(body: RoundCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    r = service.create_round(s, actor=actor, year=body.year, title=body.title, now=clock.now())
    return {"round_id": r.round_id, "year": r.year, "title": r.title, "status": r.status}


@router.post("/model-rounds/{round_id}/candidates", status_code=201)
def nominate(round_id: str, body: Nominate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    c = service.nominate(s, actor=actor, round_id=round_id, road_id=body.road_id, now=clock.now())
    return {"candidate_id": c.candidate_id}


@router.post("/model-candidates/{candidate_id}/scores", status_code=201)
def add_score(candidate_id: str, body: ScoreBody, actor: StaffActor, s: DbSession, clock: ClockDep,
              _: Csrf) -> dict[str, Any]:
    c = service.add_score(s, actor=actor, candidate_id=candidate_id, kind=body.kind, score=body.score, now=clock.now())
    return {"candidate_id": c.candidate_id, "professional": len(c.professional_scores), "public": len(c.public_scores)}


@router.post("/model-rounds/{round_id}/publish")
def publish(round_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    scores = service.publish_round(s, actor=actor, round_id=round_id, now=clock.now())
    return {"results": [{"candidate_id": x.key, "professional": x.professional, "public": x.public, "total": x.total,
                         "rank": x.rank, "designated": x.designated} for x in scores]}
