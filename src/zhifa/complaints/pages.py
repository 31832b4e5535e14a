"""Pages: the public report form and its follow-up by receipt code; staff pages for complaints and barriers."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from zhifa.complaints import service
from zhifa.complaints.api import client_key, public_limiter
from zhifa.complaints.model import (
    BARRIER_STATUS_LABELS,
    CATEGORY_LABELS,
    STATUS_LABELS,
    Category,
    ComplaintStatus,
)
from zhifa.complaints.rules import MAX_PHOTO_BYTES, MAX_PHOTOS
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.errors import ValidationFailed, ZhifaError
from zhifa.web.deps import (
    ClockDep,
    Csrf,
    DbSession,
    StaffActor,
    add_messages,
    get_container,
    register_nav,
    render,
)
from zhifa.web.i18n import get_lang, pick

router = APIRouter(include_in_schema=False)

register_nav("complaints", "举报受理", "Complaints", "/complaints", order=10)
register_nav("complaints", "限高限宽设施", "Height/width barriers", "/barriers",
             roles=("analyst", "officer", "legal_reviewer", "supervisor"), order=20)

add_messages(
    zh={
        "report.title": "投诉举报",
        "report.intro": "可举报限高限宽设施、非法营运、超限超载、执法行为和路域环境问题。可实名或匿名，提交后凭回执码查询进度。",
        "report.category": "类别", "report.description": "问题描述", "report.place": "位置",
        "report.pick": "点击地图选择位置，或使用当前定位", "report.locate": "使用当前定位",
        "report.road": "道路编号（如 G107）", "report.km": "桩号（公里）", "report.barrier": "涉及的限高限宽设施（可选）",
        "report.photos": "照片（最多4张，每张不超过5MB，JPEG/PNG）", "report.realname": "实名举报（查实可获奖励）",
        "report.name": "姓名", "report.phone": "手机号", "report.submit": "提交举报",
        "report.done": "提交成功", "report.code": "您的回执码", "report.keep": "请保存回执码，用于查询办理进度和评价。",
        "report.follow": "查询进度", "report.code_input": "回执码", "report.lookup": "查询",
        "report.status": "办理状态", "report.result": "处理结果", "report.notices": "办理记录",
        "report.rate": "评价办理结果", "report.rate_submit": "提交评价", "report.none": "无",
        "complaints.title": "举报受理", "complaints.accept": "受理并交办", "complaints.resolve": "办结",
        "complaints.reject": "不予受理", "complaints.reward": "兑现奖励", "complaints.result": "处理结果",
        "barriers.title": "限高限宽设施", "barriers.register": "登记设施", "barriers.figures": "统计",
    },
    en={
        "report.title": "Report a problem",
        "report.intro": "Report height/width barriers, illegal operation, overloading, officers' conduct or road problems. Real-name or anonymous; follow progress with your receipt code.",
        "report.category": "Category", "report.description": "Description", "report.place": "Place",
        "report.pick": "Click the map to pick the place, or use your location", "report.locate": "Use my location",
        "report.road": "Road (e.g. G107)", "report.km": "Km post", "report.barrier": "Barrier concerned (optional)",
        "report.photos": "Photos (up to 4, 5 MB each, JPEG/PNG)", "report.realname": "Real-name report (rewards if confirmed)",
        "report.name": "Name", "report.phone": "Mobile", "report.submit": "Submit",
        "report.done": "Received", "report.code": "Your receipt code", "report.keep": "Keep the code to follow progress and rate the result.",
        "report.follow": "Follow a report", "report.code_input": "Receipt code", "report.lookup": "Look up",
        "report.status": "Status", "report.result": "Result", "report.notices": "Progress",
        "report.rate": "Rate the handling", "report.rate_submit": "Rate", "report.none": "none",
        "complaints.title": "Complaints", "complaints.accept": "Accept and assign", "complaints.resolve": "Resolve",
        "complaints.reject": "Reject", "complaints.reward": "Grant reward", "complaints.result": "Result",
        "barriers.title": "Height/width barriers", "barriers.register": "Register a barrier", "barriers.figures": "Figures",
    },
)


def _categories(lang: str) -> list[tuple[str, str]]:
    i = 0 if lang == "zh" else 1
    return [(c.value, CATEGORY_LABELS[c][i]) for c in Category]


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        raise ValidationFailed("坐标或桩号须为数字", en="Coordinates and the kilometre post must be numbers") from None


@router.get("/report")
def report_form(request: Request, s: DbSession) -> Response:
    return render(request, "complaints/report.html", {"categories": _categories(get_lang(request)),
                                                      "barriers": service.public_barriers(s), "form": {}})


@router.post("/report")
async def report_submit(
    request: Request,
    s: DbSession,
    clock: ClockDep,
    _: Csrf,
    category: Annotated[str, Form(max_length=32)],
    description: Annotated[str, Form(max_length=4000)],
    lon: Annotated[str | None, Form(max_length=32)] = None,
    lat: Annotated[str | None, Form(max_length=32)] = None,
    road: Annotated[str | None, Form(max_length=32)] = None,
    km_post: Annotated[str | None, Form(max_length=16)] = None,
    barrier_id: Annotated[str | None, Form(max_length=32)] = None,
    real_name: Annotated[str | None, Form(max_length=8)] = None,
    reporter_name: Annotated[str | None, Form(max_length=64)] = None,
    reporter_phone: Annotated[str | None, Form(max_length=20)] = None,
    photos: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    lang = get_lang(request)
    form = dict(category=category, description=description, lon=lon, lat=lat, road=road, km_post=km_post,
                barrier_id=barrier_id, real_name=real_name, reporter_name=reporter_name, reporter_phone=reporter_phone)
    try:
        if not public_limiter(request).allow(client_key(request), time.time()):
            raise ValidationFailed("提交过于频繁，请稍后再试", en="Too many submissions; please try again later")
        files = [p for p in (photos or []) if p.filename]
        if len(files) > MAX_PHOTOS:
            raise ValidationFailed(f"最多上传 {MAX_PHOTOS} 张照片", en=f"You may upload at most {MAX_PHOTOS} photos")
        blobs = []
        for f in files:
            data = await f.read(MAX_PHOTO_BYTES + 1)
            blobs.append(data)
        sub = service.Submission(
            category=category, description=description, lon=_float(lon), lat=_float(lat), road=road,
            km_post=_float(km_post), barrier_id=barrier_id or None, real_name=bool(real_name),
            reporter_name=reporter_name, reporter_phone=reporter_phone,
        )
        c = service.submit(s, sub=sub, photos=blobs, uploads_dir=get_container(request).settings.data_dir / "uploads",
                           now=clock.now())
    except ZhifaError as e:
        s.rollback()  # nothing of a refused submission is kept
        return render(request, "complaints/report.html", {"categories": _categories(lang), "error": e.text(lang),
                                                          "barriers": service.public_barriers(s), "form": form}, status=422)
    return render(request, "complaints/report_done.html", {"code": c.receipt_code, "merged": c.merged_into is not None})


@router.get("/report/status")
def report_status(request: Request, s: DbSession, code: str = "") -> Response:
    view, error = None, None
    if code:
        if not public_limiter(request).allow(client_key(request), time.time()):
            error = pick(get_lang(request), "查询过于频繁，请稍后再试", "Too many queries; please try again later")
        else:
            try:
                view = service.public_view(s, code[:16], get_lang(request))
            except ZhifaError as e:
                error = e.text(get_lang(request))
    return render(request, "complaints/status.html", {"view": view, "error": error, "code": code[:16]},
                  status=404 if error and code else 200)


@router.post("/report/rate")
def report_rate(request: Request, s: DbSession, clock: ClockDep, _: Csrf,
                code: Annotated[str, Form(max_length=16)], rating: Annotated[int, Form(ge=1, le=5)]) -> Response:
    service.rate(s, code=code, rating=rating, now=clock.now())
    return RedirectResponse(f"/report/status?code={code}", status_code=303)


@router.get("/complaints")
def complaints_list(request: Request, actor: StaffActor, s: DbSession, status: str = "", category: str = "",
                    page: int = 1) -> Response:
    lang = get_lang(request)
    page = max(1, page)
    rows, total = service.list_complaints(s, actor=actor, status=status or None, category=category or None,
                                          limit=50, offset=(page - 1) * 50)
    i = 0 if lang == "zh" else 1
    return render(request, "complaints/list.html", {
        "rows": rows, "total": total, "page": page, "status": status, "category": category,
        "categories": _categories(lang), "cat_label": {c.value: CATEGORY_LABELS[c][i] for c in Category},
        "status_label": {st.value: STATUS_LABELS[st][i] for st in ComplaintStatus},
    })


@router.get("/complaints/{complaint_id}")
def complaint_detail(request: Request, complaint_id: str, actor: StaffActor, s: DbSession) -> Response:
    c = service.access_complaint(s, actor, complaint_id)
    i = 0 if get_lang(request) == "zh" else 1
    return render(request, "complaints/detail.html", {
        "c": c, "view": service.public_view(s, c.receipt_code, get_lang(request)),
        "cat_label": CATEGORY_LABELS[Category(c.category)][i],
        "status_label": STATUS_LABELS[ComplaintStatus(c.status)][i],
    })


@router.post("/complaints/{complaint_id}/act")
def complaint_act(request: Request, complaint_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                  verb: Annotated[str, Form(max_length=16)], text: Annotated[str, Form(max_length=2000)] = "",
                  amount_yuan: Annotated[int, Form(ge=0, le=100000)] = 0) -> Response:
    now = clock.now()
    if verb == "accept":
        service.accept(s, actor=actor, complaint_id=complaint_id, now=now, calendar=cn_calendar())
    elif verb == "resolve":
        service.resolve(s, actor=actor, complaint_id=complaint_id, result=text, now=now)
    elif verb == "reject":
        service.reject(s, actor=actor, complaint_id=complaint_id, reason=text, now=now)
    elif verb == "reward":
        service.grant_reward(s, actor=actor, complaint_id=complaint_id, amount_yuan=amount_yuan, now=now)
    else:
        raise ValidationFailed("未知操作", en="Unknown action")
    return RedirectResponse(f"/complaints/{complaint_id}", status_code=303)


@router.get("/barriers")
def barriers_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, status: str = "") -> Response:
    from datetime import date

    today = clock.now().date()
    i = 0 if get_lang(request) == "zh" else 1
    return render(request, "complaints/barriers.html", {
        "rows": service.list_barriers(s, actor=actor, status=status or None), "status": status,
        "labels": {k.value: v[i] for k, v in BARRIER_STATUS_LABELS.items()},
        "figures": service.figures(s, actor=actor, start=date(today.year, 1, 1), end=today), "year": today.year,
    })


@router.post("/barriers")
def barriers_register(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                      name: Annotated[str, Form(max_length=100)], road: Annotated[str, Form(max_length=16)],
                      lon: Annotated[float, Form()], lat: Annotated[float, Form()],
                      owner: Annotated[str, Form(max_length=100)],
                      height_limit_mm: Annotated[int | None, Form()] = None,
                      width_limit_mm: Annotated[int | None, Form()] = None,
                      approval_no: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    now = clock.now()
    service.register_barrier(s, actor=actor, name=name, road=road, lon=lon, lat=lat, owner=owner,
                             height_limit_mm=height_limit_mm, width_limit_mm=width_limit_mm,
                             status="approved" if approval_no else "pending", approval_no=approval_no or None,
                             signboard=bool(approval_no), today=now.date(), now=now)
    return RedirectResponse("/barriers", status_code=303)


@router.post("/barriers/{barrier_id}/status")
def barriers_status(request: Request, barrier_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                    status: Annotated[str, Form(max_length=16)],
                    approval_no: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    now = clock.now()
    service.set_barrier_status(s, actor=actor, barrier_id=barrier_id, status=status, approval_no=approval_no or None,
                               signboard=True if status == "approved" else None, today=now.date(), now=now)
    return RedirectResponse("/barriers", status_code=303)
