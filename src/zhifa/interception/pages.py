"""Pages of 布控拦截: watch-list management, live map, a toll station's own tasks, figures, 抄告, 白名单."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from zhifa.interception import service as svc
from zhifa.interception.model import FORWARDED_LABELS_ZH, OUTCOME_LABELS_ZH, TASK_STATUS_LABELS_ZH
from zhifa.org.orm import Site
from zhifa.shared.errors import ZhifaError
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, register_nav, render

router = APIRouter()

register_nav("interception", "布控名单", "Watch-list", "/watch", roles=("analyst", "supervisor"), order=10)
register_nav("interception", "实时态势", "Live view", "/intercept/live", roles=("analyst", "officer", "supervisor"), order=20)
register_nav("interception", "本站拦截任务", "Station tasks", "/intercept/station", roles=("toll_operator", "officer"), order=30)
register_nav("interception", "拦截统计", "Figures", "/intercept/figures", roles=("analyst", "supervisor"), order=40)
register_nav("interception", "抄告线索", "Forwarded leads", "/forwarded", roles=("analyst", "officer", "supervisor"), order=50)
register_nav("interception", "客运白名单", "Passenger whitelist", "/whitelist", roles=("analyst", "officer"), order=60)

ASSETS = Path(__file__).parent / "assets"
COLOR_ZH = {"blue": "蓝", "yellow": "黄", "black": "黑", "white": "白", "green": "绿", "yellow_green": "黄绿",
            "blue_white": "蓝白"}
SOURCE_ZH = {"manual": "人工", "detector": "检测线索", "forwarded": "抄告", "credit": "信用"}
EFFECTIVE_ZH = {"active": "生效", "expired": "已过期", "revoked": "已撤销", "pending": "未生效"}
LABELS = {"color": COLOR_ZH, "source": SOURCE_ZH, "effective": EFFECTIVE_ZH, "outcome": OUTCOME_LABELS_ZH,
          "task_status": TASK_STATUS_LABELS_ZH, "forwarded": FORWARDED_LABELS_ZH}


def _tasks_ctx(s: DbSession, tasks: list, own_site: str | None = None, **extra: object) -> dict:
    """The tasks panel's context, with the toll stations' names instead of their bare ids."""
    ids = {t.station_id for t in tasks} | ({own_site} if own_site else set())
    names: dict[str, str] = {}
    if ids:
        for site_id, name in s.execute(select(Site.site_id, Site.name).where(Site.site_id.in_(ids))):
            names[site_id] = name
    return {"tasks": tasks, "labels": LABELS, "station_names": names, **extra}


def _back(url: str, message: str = "", error: str = "") -> RedirectResponse:
    sep = "&" if "?" in url else "?"
    q = f"message={quote(message)}" if message else f"error={quote(error)}"
    return RedirectResponse(f"{url}{sep}{q}", status_code=303)


@router.get("/intercept/assets/{name}")
def asset(name: str) -> Response:
    """The slice's own scripts, served from the same origin (the CSP forbids inline scripts)."""
    types = {"live.js": "text/javascript", "station.css": "text/css"}
    if name not in types:
        return Response(status_code=404)
    return Response((ASSETS / name).read_text(encoding="utf-8"), media_type=types[name],
                    headers={"Cache-Control": "max-age=300"})


# ---------------------------------------------------------------- watch-list
@router.get("/watch")
def watch_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, plate: str = "",
               status: str = "active", message: str = "", error: str = "") -> Response:
    now = clock.now()
    rows, total = svc.search_watchlist(s, actor=actor, now=now, plate=plate or None,
                                       status=status if status != "all" else None, limit=200)
    return render(request, "interception/watch.html", {
        "rows": rows, "total": total, "plate": plate, "status": status, "now": now, "labels": LABELS,
        "effective": lambda e: svc.effective_status(e, now), "message": message, "error": error,
        "default_valid_to": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    })


@router.post("/watch/add")
def watch_add(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
              plate: Annotated[str, Form()], plate_color: Annotated[str, Form()], reason: Annotated[str, Form()],
              valid_to: Annotated[str, Form()], legal_basis: Annotated[str, Form()] = "",
              case_no: Annotated[str, Form()] = "", approver: Annotated[str, Form()] = "",
              priority: Annotated[int, Form()] = 2, scope_stations: Annotated[str, Form()] = "",
              scope_hours: Annotated[str, Form()] = "") -> Response:
    try:
        vt = datetime.fromisoformat(valid_to) if valid_to else None
        with s.begin_nested():
            e = svc.add_watch_entry(
                s, actor=actor, plate=plate, plate_color=plate_color, reason=reason, source="manual",
                valid_to=vt, now=clock.now(), legal_basis=legal_basis, case_no=case_no, approver=approver,
                priority=priority, scope_hours=scope_hours or None,
                scope_stations=[x.strip() for x in scope_stations.replace("，", ",").split(",") if x.strip()] or None)
    except ValueError:
        return _back("/watch", error="截止时间格式无效")
    except ZhifaError as ex:
        return _back("/watch", error=ex.message)
    return _back("/watch", message=f"已布控 {e.plate}")


@router.post("/watch/import")
async def watch_import(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                       file: Annotated[UploadFile, File()], partial: Annotated[str, Form()] = "") -> Response:
    import polars as pl

    try:
        frame = pl.read_csv(await file.read(), infer_schema_length=0)
    except Exception:  # noqa: BLE001 - any unreadable upload is a user error
        return _back("/watch", error="无法读取 CSV 文件")
    try:
        with s.begin_nested():
            rep = svc.import_watchlist(s, actor=actor, frame=frame, now=clock.now(), partial=bool(partial))
    except ZhifaError as ex:
        return _back("/watch", error=ex.message)
    if rep.errors:
        detail = "；".join(f"第{n}行: {m}" for n, m in rep.errors[:20])
        head = f"导入 {rep.imported} 条，{len(rep.errors)} 行有误" + ("" if partial else "，未导入任何记录")
        return _back("/watch", error=f"{head}。{detail}")
    return _back("/watch", message=f"已导入 {rep.imported} 条")


@router.post("/watch/{entry_id}/revoke")
def watch_revoke(entry_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                 reason: Annotated[str, Form()] = "") -> Response:
    try:
        with s.begin_nested():
            svc.revoke_watch_entry(s, actor=actor, entry_id=entry_id, reason=reason, now=clock.now())
    except ZhifaError as ex:
        if ex.http_status == 404:
            raise
        return _back("/watch", error=ex.message)
    return _back("/watch", message="已撤销布控")


@router.get("/watch/{entry_id}")
def watch_detail(request: Request, entry_id: str, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    e = svc.access_watch_entry(s, actor, entry_id)
    hits = svc.hits_for_entry(s, actor=actor, entry_id=entry_id, now=clock.now())
    return render(request, "interception/watch_detail.html", {"e": e, "hits": hits, "labels": LABELS,
                                                               "status": svc.effective_status(e, clock.now())})


# ---------------------------------------------------------------- live view
@router.get("/intercept/live")
def live_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/live.html", _tasks_ctx(
        s, svc.list_tasks(s, actor=actor, status="open", limit=300), now=clock.now()))


@router.get("/intercept/live/panel")
def live_panel(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/_tasks_panel.html", _tasks_ctx(
        s, svc.list_tasks(s, actor=actor, status="open", limit=300), now=clock.now(), operator=False))


# ---------------------------------------------------------------- a toll station's own tasks
@router.get("/intercept/station")
def station_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, message: str = "",
                 error: str = "") -> Response:
    return render(request, "interception/station.html", _tasks_ctx(
        s, svc.list_tasks(s, actor=actor, status="open"), own_site=actor.site_id,
        now=clock.now(), message=message, error=error, operator=True))


@router.get("/intercept/station/panel")
def station_panel(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/_tasks_panel.html", _tasks_ctx(
        s, svc.list_tasks(s, actor=actor, status="open"), now=clock.now(), operator=True))


@router.post("/intercept/tasks/{task_id}/outcome")
def task_outcome(task_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                 outcome: Annotated[str, Form()], findings: Annotated[str, Form()] = "",
                 case_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                 back: Annotated[str, Form()] = "/intercept/station") -> Response:
    back = back if back in ("/intercept/station", "/intercept/live") else "/intercept/station"
    try:
        with s.begin_nested():
            t = svc.report_outcome(s, actor=actor, task_id=task_id, outcome=outcome, findings=findings,
                                   case_id=case_id, reason=reason, now=clock.now())
    except ZhifaError as ex:
        if ex.http_status == 404:
            raise
        return _back(back, error=ex.message)
    return _back(back, message=f"{t.plate} 已反馈：{OUTCOME_LABELS_ZH.get(t.outcome, t.outcome)}")


# ---------------------------------------------------------------- figures
@router.get("/intercept/figures")
def figures_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, by: str = "city",
                 days: int = 30) -> Response:
    now = clock.now()
    by = by if by in ("station", "team", "city") else "city"
    days = min(max(days, 1), 3660)
    rows = [f.as_dict() for f in svc.figures(s, actor=actor, by=by, since=now - timedelta(days=days),
                                             until=now + timedelta(seconds=1), now=now)]
    return render(request, "interception/figures.html", {
        "rows": rows, "by": by, "days": days, "late_total": sum(r["late"] for r in rows),
        "completion": svc.forwarded_completion(s, actor=actor, now=now)})


# ---------------------------------------------------------------- forwarded leads
@router.get("/forwarded")
def forwarded_page(request: Request, actor: StaffActor, s: DbSession, status: str = "", message: str = "",
                   error: str = "") -> Response:
    return render(request, "interception/forwarded.html", {
        "rows": svc.list_forwarded(s, actor=actor, status=status or None), "status": status, "labels": LABELS,
        "message": message, "error": error})


@router.post("/forwarded/{lead_id}/{verb}")
def forwarded_verb(lead_id: str, verb: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                   unit_code: Annotated[str, Form()] = "", assignee: Annotated[str, Form()] = "",
                   result: Annotated[str, Form()] = "") -> Response:
    try:
        with s.begin_nested():
            if verb == "assign":
                svc.assign_forwarded(s, actor=actor, lead_id=lead_id, unit_code=unit_code or actor.unit_code,
                                     assignee=assignee or None, now=clock.now())
            elif verb == "handle":
                svc.handle_forwarded(s, actor=actor, lead_id=lead_id, now=clock.now())
            elif verb == "close":
                svc.close_forwarded(s, actor=actor, lead_id=lead_id, result=result, now=clock.now())
            else:
                return _back("/forwarded", error="未知操作")
    except ZhifaError as ex:
        if ex.http_status == 404:
            raise
        return _back("/forwarded", error=ex.message)
    return _back("/forwarded", message="已保存")


# ---------------------------------------------------------------- passenger whitelist
@router.get("/whitelist")
def whitelist_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, plate: str = "",
                   message: str = "", error: str = "") -> Response:
    from zhifa.interception.whitelist import list_whitelist

    rows, total = list_whitelist(s, actor=actor, plate=plate or None, now=clock.now())
    return render(request, "interception/whitelist.html", {
        "rows": rows, "total": total, "plate": plate, "now": clock.now(), "labels": LABELS, "message": message,
        "error": error})


@router.post("/whitelist/import")
async def whitelist_import(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                           file: Annotated[UploadFile, File()], partial: Annotated[str, Form()] = "") -> Response:
    import polars as pl

    from zhifa.interception.whitelist import import_whitelist

    try:
        frame = pl.read_csv(await file.read(), infer_schema_length=0)
    except Exception:  # noqa: BLE001 - any unreadable upload is a user error
        return _back("/whitelist", error="无法读取 CSV 文件")
    try:
        with s.begin_nested():
            rep = import_whitelist(s, actor=actor, frame=frame, now=clock.now(), partial=bool(partial))
    except ZhifaError as ex:
        return _back("/whitelist", error=ex.message)
    if rep.errors:
        detail = "；".join(f"第{n}行: {m}" for n, m in rep.errors[:20])
        return _back("/whitelist", error=f"{len(rep.errors)} 行有误{'' if partial else '，未导入任何记录'}。{detail}")
    return _back("/whitelist", message=f"新增 {rep.inserted} 条，更新 {rep.updated} 条")
