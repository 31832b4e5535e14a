"""Verbs of complaints and barriers. Public verbs take no actor from a login: a submission is bound to
its receipt code and can read or change nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhifa.complaints import geo, rules
from zhifa.complaints.model import (
    BARRIER_TRANSITIONS,
    CATEGORY_LABELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    TRANSITIONS,
    BarrierStatus,
    Category,
    ComplaintStatus,
)
from zhifa.complaints.orm import Barrier, Complaint, ComplaintNotice, Upload
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed
from zhifa.shared.ids import new_id, receipt_code


@dataclass(frozen=True)
class Submission:
    category: str
    description: str
    lon: float | None = None
    lat: float | None = None
    road: str | None = None
    km_post: float | None = None
    barrier_id: str | None = None
    real_name: bool = False
    reporter_name: str | None = None
    reporter_phone: str | None = None
    opinion_incident: bool = False


def _public_actor(code: str, unit_code: str) -> Actor:
    return Actor(username=f"public:{code}", role=Role.PUBLIC, unit_code=unit_code, unit_codes=frozenset({unit_code}))


def store_upload(session: Session, *, uploads_dir: Path, data: bytes, now: datetime) -> str:
    """Keep an image outside the web root under its SHA-256; the same bytes are stored once."""
    if len(data) > rules.MAX_PHOTO_BYTES:
        raise ValidationFailed(f"照片不能超过 {rules.MAX_PHOTO_BYTES // (1024 * 1024)} MB", en=f"A photo may not exceed {rules.MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    kind = rules.image_kind(data[:16])
    if kind is None:
        raise ValidationFailed("照片须为 JPEG、PNG 或 WebP 图片", en="Photos must be JPEG, PNG or WebP images")
    digest = hashlib.sha256(data).hexdigest()
    path = uploads_dir / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    if session.get(Upload, digest) is None:
        session.add(Upload(sha256=digest, content_type=kind, size=len(data), created_at=now))
    return digest


def _place(session: Session, sub: Submission) -> tuple[float, float, Barrier | None]:
    barrier = None
    if sub.barrier_id:
        barrier = session.get(Barrier, sub.barrier_id)
        if barrier is None:
            raise ValidationFailed("所选限高限宽设施不存在", en="The selected height/width barrier does not exist")
        return barrier.lon, barrier.lat, barrier
    if sub.lon is None or sub.lat is None:
        raise ValidationFailed("请在地图上选择位置，或选择设施", en="Please pick the place on the map, or choose a barrier")
    if not geo.inside_province(sub.lon, sub.lat):
        raise ValidationFailed("位置须在河南省境内", en="The location must be within Henan Province")
    return sub.lon, sub.lat, None


def submit(
    session: Session, *, sub: Submission, photos: list[bytes], uploads_dir: Path, now: datetime, channel: str = "web"
) -> Complaint:
    """Receive a report: validate every field, store photos by hash, route it to the responsible unit,
    merge it with an open report of the same category at the same place (all reporters are told)."""
    try:
        category = Category(sub.category)
    except ValueError:
        raise ValidationFailed("举报类别无效", en="Invalid report category") from None
    description = rules.clean_text(sub.description, limit=rules.MAX_DESCRIPTION)
    if len(description) < 5:
        raise ValidationFailed("请描述问题（至少5个字）", en="Please describe the problem (at least 5 characters)")
    name = rules.clean_text(sub.reporter_name, limit=rules.MAX_NAME) or None
    phone = (sub.reporter_phone or "").strip() or None
    if sub.real_name:
        if not name or not phone:
            raise ValidationFailed("实名举报须填写姓名和手机号", en="A named report needs your name and mobile number")
        if not rules.valid_phone(phone):
            raise ValidationFailed("手机号格式不正确", en="Invalid mobile number")
    else:
        name = phone = None
    if len(photos) > rules.MAX_PHOTOS:
        raise ValidationFailed(f"最多上传 {rules.MAX_PHOTOS} 张照片", en=f"You may upload at most {rules.MAX_PHOTOS} photos")
    road = rules.clean_text(sub.road, limit=16) or None
    if sub.km_post is not None and not 0 <= sub.km_post <= 5000:
        raise ValidationFailed("桩号超出范围", en="Kilometre post out of range")
    lon, lat, barrier = _place(session, sub)
    digests = [store_upload(session, uploads_dir=uploads_dir, data=p, now=now) for p in photos]
    unit = barrier.unit_code if barrier is not None else geo.responsible_unit(lon, lat)
    if category is Category.BARRIER and barrier is None:
        near = _nearest_barrier(session, lon, lat)
        if near is not None:
            barrier, unit = near, near.unit_code
    code = receipt_code()
    c = Complaint(
        complaint_id=new_id()[:24], receipt_code=code, category=category.value, lon=lon, lat=lat, road=road,
        km_post=sub.km_post, description=description, photos=digests, real_name=bool(sub.real_name),
        reporter_name=name, reporter_phone=phone, unit_code=unit,
        barrier_id=barrier.barrier_id if barrier is not None else None, status=ComplaintStatus.RECEIVED.value,
        opinion_incident=bool(sub.opinion_incident), channel=channel, created_at=now,
    )
    primary = _duplicate_of(session, c, now)
    session.add(c)
    session.flush()
    _notice(session, c, f"已收到您的举报，受理回执码 {code}。", now)
    if primary is not None:
        c.status = ComplaintStatus.MERGED.value
        c.merged_into = primary.complaint_id
        for other in [primary, *_merged(session, primary.complaint_id)]:
            _notice(session, other, "同一地点同类问题已有其他群众举报，已合并办理，处理结果将一并告知。", now)
    audit.record(
        session, actor=_public_actor(code, unit), action="complaints.submit", object_type="complaint",
        object_id=c.complaint_id, after={"category": c.category, "unit_code": unit, "merged_into": c.merged_into},
        unit_code=unit, now=now,
    )
    return c


def _nearest_barrier(session: Session, lon: float, lat: float, radius_m: float = 300.0) -> Barrier | None:
    d = 0.01  # ≈ 1 km box before the exact distance
    rows = session.execute(
        select(Barrier).where(Barrier.lon.between(lon - d, lon + d), Barrier.lat.between(lat - d, lat + d))
    ).scalars()
    best = min(((rules.distance_m(lon, lat, b.lon, b.lat), b) for b in rows), default=None, key=lambda t: t[0])
    return best[1] if best is not None and best[0] <= radius_m else None


def _duplicate_of(session: Session, c: Complaint, now: datetime) -> Complaint | None:
    d = 0.005  # ≈ 500 m box, then the exact radius
    rows = session.execute(
        select(Complaint).where(
            Complaint.category == c.category,
            Complaint.status.in_([s.value for s in OPEN_STATUSES]),
            Complaint.merged_into.is_(None),
            Complaint.lon.between(c.lon - d, c.lon + d),
            Complaint.lat.between(c.lat - d, c.lat + d),
        )
    ).scalars().all()
    reports = [
        rules.OpenReport(r.complaint_id, r.category, r.lon, r.lat, (now - r.created_at).total_seconds() / 86400)
        for r in rows
    ]
    hit = rules.find_duplicate(c.category, c.lon, c.lat, reports)
    return next((r for r in rows if r.complaint_id == hit), None)


def _merged(session: Session, primary_id: str) -> list[Complaint]:
    return list(session.execute(select(Complaint).where(Complaint.merged_into == primary_id)).scalars())


def _notice(session: Session, c: Complaint, message: str, now: datetime) -> None:
    session.add(ComplaintNotice(notice_id=new_id()[:24], complaint_id=c.complaint_id, message=message, created_at=now))


def _by_receipt(session: Session, code: str) -> Complaint:
    code = (code or "").strip().upper()
    c = session.execute(select(Complaint).where(Complaint.receipt_code == code)).scalar_one_or_none() if code else None
    if c is None:
        raise NotFound("回执码不存在", en="Receipt code not found")
    return c


def public_view(session: Session, code: str, lang: str = "zh") -> dict[str, Any]:
    """What the holder of a receipt code may see: its own report's progress, nothing else."""
    c = _by_receipt(session, code)
    effective = c
    if c.merged_into:
        effective = session.get(Complaint, c.merged_into) or c
    notices = session.execute(
        select(ComplaintNotice).where(ComplaintNotice.complaint_id == c.complaint_id).order_by(ComplaintNotice.created_at)
    ).scalars()
    i = 0 if lang == "zh" else 1
    return {
        "receipt_code": c.receipt_code,
        "category": c.category,
        "category_label": CATEGORY_LABELS[Category(c.category)][i],
        "status": c.status,
        "status_label": STATUS_LABELS[ComplaintStatus(c.status)][i],
        "created_at": c.created_at,
        "result": effective.result,
        "can_rate": c.status == ComplaintStatus.RESOLVED.value and c.rating is None,
        "rating": c.rating,
        "notices": [(n.created_at, n.message) for n in notices],
    }


def rate(session: Session, *, code: str, rating: int, now: datetime) -> Complaint:
    """The reporter rates the handling (1–5) and so closes their report."""
    c = _by_receipt(session, code)
    if not 1 <= int(rating) <= 5:
        raise ValidationFailed("评价须为1至5分", en="The rating must be from 1 to 5")
    _move(c, ComplaintStatus.CLOSED)
    c.rating = int(rating)
    c.closed_at = now
    audit.record(session, actor=_public_actor(c.receipt_code, c.unit_code), action="complaints.rate",
                 object_type="complaint", object_id=c.complaint_id, after={"rating": c.rating},
                 unit_code=c.unit_code, now=now)
    return c


def _move(c: Complaint, target: ComplaintStatus) -> None:
    if target not in TRANSITIONS[ComplaintStatus(c.status)]:
        raise IllegalTransition(f"举报状态为「{STATUS_LABELS[ComplaintStatus(c.status)][0]}」，不能改为「{STATUS_LABELS[target][0]}」", en=f"The report is “{STATUS_LABELS[ComplaintStatus(c.status)][1]}” and cannot be changed to “{STATUS_LABELS[target][1]}”")
    c.status = target.value


def access_complaint(session: Session, actor: Actor, complaint_id: str) -> Complaint:
    c = session.get(Complaint, complaint_id)
    if c is None:
        raise NotFound("举报不存在", en="Report not found")
    check_visible(actor, c.unit_code, "举报", what_en="Report")
    return c


def list_complaints(
    session: Session, *, actor: Actor, status: str | None = None, category: str | None = None,
    limit: int = 50, offset: int = 0,
) -> tuple[list[Complaint], int]:
    stmt = scope(select(Complaint), actor, Complaint.unit_code)
    if status:
        stmt = stmt.where(Complaint.status == status)
    if category:
        stmt = stmt.where(Complaint.category == category)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(stmt.order_by(Complaint.created_at.desc()).limit(min(limit, 500)).offset(offset))
    return list(rows.scalars()), int(total)


def accept(session: Session, *, actor: Actor, complaint_id: str, now: datetime, calendar: Any = None) -> Complaint:
    """受理: the responsible unit takes the report on; with a calendar, a supervision order is issued too."""
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST)
    c = access_complaint(session, actor, complaint_id)
    _move(c, ComplaintStatus.ACCEPTED)
    if calendar is not None and actor.role in (Role.SUPERVISOR, Role.ADMIN):
        from zhifa.supervision.service import create_order

        order = create_order(
            session, actor=actor, unit_code=c.unit_code, source="opinion_incident" if c.opinion_incident else "complaint",
            title=f"{CATEGORY_LABELS[Category(c.category)][0]}举报（回执 {c.receipt_code}）",
            description=c.description, source_ref=c.complaint_id, calendar=calendar, now=now,
        )
        c.order_id = order.order_id
    _notice(session, c, "您的举报已受理，正在办理。", now)
    audit.record(session, actor=actor, action="complaints.accept", object_type="complaint", object_id=c.complaint_id,
                 after={"status": c.status, "order_id": c.order_id}, unit_code=c.unit_code, now=now)
    return c


def resolve(session: Session, *, actor: Actor, complaint_id: str, result: str, now: datetime) -> Complaint:
    """处理完毕: the result goes to the reporter and to every merged reporter."""
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST)
    c = access_complaint(session, actor, complaint_id)
    text = rules.clean_text(result, limit=rules.MAX_DESCRIPTION)
    if len(text) < 2:
        raise ValidationFailed("请填写处理结果", en="Please enter the result")
    _move(c, ComplaintStatus.RESOLVED)
    c.result, c.handled_at = text, now
    for m in [c, *_merged(session, c.complaint_id)]:
        if m is not c:
            _move(m, ComplaintStatus.RESOLVED)
            m.result, m.handled_at = text, now
        _notice(session, m, f"处理结果：{text}", now)
    audit.record(session, actor=actor, action="complaints.resolve", object_type="complaint", object_id=c.complaint_id,
                 after={"status": c.status}, reason=text, unit_code=c.unit_code, now=now)
    return c


def reject(session: Session, *, actor: Actor, complaint_id: str, reason: str, now: datetime) -> Complaint:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST)
    c = access_complaint(session, actor, complaint_id)
    text = rules.clean_text(reason, limit=500)
    if not text:
        raise ValidationFailed("不予受理须说明理由", en="Rejecting a report needs a reason")
    _move(c, ComplaintStatus.REJECTED)
    c.result, c.handled_at = text, now
    _notice(session, c, f"不予受理：{text}", now)
    audit.record(session, actor=actor, action="complaints.reject", object_type="complaint", object_id=c.complaint_id,
                 after={"status": c.status}, reason=text, unit_code=c.unit_code, now=now)
    return c


def grant_reward(session: Session, *, actor: Actor, complaint_id: str, amount_yuan: int, now: datetime) -> Complaint:
    """有奖举报: only a confirmed (resolved or closed) real-name tip-off is rewarded, once."""
    require_role(actor, Role.SUPERVISOR)
    c = access_complaint(session, actor, complaint_id)
    if not c.real_name:
        raise ValidationFailed("匿名举报无法兑现奖励", en="An anonymous report cannot be rewarded")
    if c.status not in (ComplaintStatus.RESOLVED.value, ComplaintStatus.CLOSED.value):
        raise ValidationFailed("举报经查实办结后方可兑现奖励", en="A reward can be paid only once the report has been verified and resolved")
    if c.reward_yuan is not None:
        raise ValidationFailed("该举报已兑现奖励", en="This report has already been rewarded")
    if not 1 <= amount_yuan <= 100_000:
        raise ValidationFailed("奖励金额须在1至100000元之间", en="The reward must be between 1 and 100000 yuan")
    c.reward_yuan = int(amount_yuan)
    _notice(session, c, f"您的举报经查属实，奖励 {amount_yuan} 元。", now)
    audit.record(session, actor=actor, action="complaints.reward", object_type="complaint", object_id=c.complaint_id,
                 after={"reward_yuan": c.reward_yuan}, unit_code=c.unit_code, now=now)
    return c


# ---------------------------------------------------------------- barriers


def register_barrier(
    session: Session, *, actor: Actor, name: str, road: str, lon: float, lat: float, owner: str,
    height_limit_mm: int | None, width_limit_mm: int | None, km_post: float | None = None,
    status: str = BarrierStatus.PENDING.value, approval_no: str | None = None, signboard: bool = False, today: date,
    now: datetime,
) -> Barrier:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    if height_limit_mm is None and width_limit_mm is None:
        raise ValidationFailed("限高或限宽至少填写一项", en="Enter a height limit, a width limit or both")
    for v in (height_limit_mm, width_limit_mm):
        if v is not None and not 1000 <= v <= 6000:
            raise ValidationFailed("限高/限宽须在1000至6000毫米之间", en="Height and width limits must be between 1000 and 6000 mm")
    if not geo.inside_province(lon, lat):
        raise ValidationFailed("位置须在河南省境内", en="The location must be within Henan Province")
    unit = geo.responsible_unit(lon, lat)
    if not actor.can_see_unit(unit):
        raise ValidationFailed("该位置不在本单位辖区", en="This location is outside your unit's jurisdiction")
    st = BarrierStatus(status)
    if st is BarrierStatus.APPROVED and not approval_no:
        raise ValidationFailed("依法保留的设施须填写审批备案号", en="A barrier kept with approval needs its approval and filing number")
    b = Barrier(
        barrier_id=new_id()[:24], name=rules.clean_text(name, limit=100), road=rules.clean_text(road, limit=16),
        km_post=km_post, lon=lon, lat=lat, height_limit_mm=height_limit_mm, width_limit_mm=width_limit_mm,
        owner=rules.clean_text(owner, limit=100), unit_code=unit, status=st.value, approval_no=approval_no,
        signboard=signboard, registered_on=today, approved_on=today if st is BarrierStatus.APPROVED else None,
    )
    session.add(b)
    session.flush()
    audit.record(session, actor=actor, action="barriers.register", object_type="barrier", object_id=b.barrier_id,
                 after={"status": b.status, "unit_code": unit}, unit_code=unit, now=now)
    return b


def set_barrier_status(
    session: Session, *, actor: Actor, barrier_id: str, status: str, today: date, now: datetime,
    approval_no: str | None = None, signboard: bool | None = None, reason: str | None = None,
) -> Barrier:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    b = session.get(Barrier, barrier_id)
    if b is None:
        raise NotFound("设施不存在", en="Barrier not found")
    check_visible(actor, b.unit_code, "设施", what_en="Barrier")
    target = BarrierStatus(status)
    if target not in BARRIER_TRANSITIONS[BarrierStatus(b.status)]:
        raise IllegalTransition(f"设施状态为 {b.status}，不能改为 {target.value}", en=f"The barrier is {b.status} and cannot be changed to {target.value}")
    if target is BarrierStatus.APPROVED and not (approval_no or b.approval_no):
        raise ValidationFailed("依法保留的设施须填写审批备案号", en="A barrier kept with approval needs its approval and filing number")
    before = {"status": b.status}
    b.status = target.value
    if approval_no:
        b.approval_no = approval_no
    if signboard is not None:
        b.signboard = signboard
    if target is BarrierStatus.APPROVED:
        b.approved_on = today
    if target is BarrierStatus.REMOVED:
        b.removed_on = today
    audit.record(session, actor=actor, action=f"barriers.{target.value}", object_type="barrier", object_id=b.barrier_id,
                 before=before, after={"status": b.status}, reason=reason, unit_code=b.unit_code, now=now)
    return b


def list_barriers(session: Session, *, actor: Actor, status: str | None = None) -> list[Barrier]:
    stmt = scope(select(Barrier), actor, Barrier.unit_code)
    if status:
        stmt = stmt.where(Barrier.status == status)
    return list(session.execute(stmt.order_by(Barrier.registered_on.desc()).limit(1000)).scalars())


def public_barriers(session: Session) -> list[Barrier]:
    """Barriers shown on the public map to pick from (no internal fields)."""
    return list(session.execute(select(Barrier).where(Barrier.status != BarrierStatus.REMOVED.value)).scalars())


def figures(session: Session, *, actor: Actor, start: date, end: date) -> dict[str, Any]:
    """The figures the yearly report asks for: barriers cleaned up and kept, reports received/handled/rate."""
    require_role(actor, Role.SUPERVISOR, Role.ANALYST, Role.OFFICER)
    start_dt = datetime.combine(start, datetime.min.time())
    end_dt = datetime.combine(end, datetime.max.time())
    b = scope(select(Barrier), actor, Barrier.unit_code).subquery()
    removed = session.execute(select(func.count()).select_from(b).where(b.c.removed_on.between(start, end))).scalar_one()
    kept = session.execute(
        select(func.count()).select_from(b).where(b.c.status == BarrierStatus.APPROVED.value, b.c.approval_no.is_not(None))
    ).scalar_one()
    c = scope(select(Complaint), actor, Complaint.unit_code).subquery()
    in_period = c.c.created_at.between(start_dt, end_dt)
    received = session.execute(select(func.count()).select_from(c).where(in_period)).scalar_one()
    handled = session.execute(
        select(func.count()).select_from(c).where(in_period, c.c.status.in_(["resolved", "closed", "rejected"]))
    ).scalar_one()
    br = c.c.category == Category.BARRIER.value
    b_received = session.execute(select(func.count()).select_from(c).where(in_period, br)).scalar_one()
    b_handled = session.execute(
        select(func.count()).select_from(c).where(in_period, br, c.c.status.in_(["resolved", "closed", "rejected"]))
    ).scalar_one()
    return {
        "barriers_removed": int(removed),
        "barriers_kept_with_approval": int(kept),
        "complaints_received": int(received),
        "complaints_handled": int(handled),
        "complaints_handled_rate": rules.handled_rate(int(received), int(handled)),
        "barrier_reports_received": int(b_received),
        "barrier_reports_handled": int(b_handled),
        "barrier_reports_handled_rate": rules.handled_rate(int(b_received), int(b_handled)),
    }
