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
from zhifa.interception.messages import EN, ZH, labels_for
from zhifa.org.orm import Site
from zhifa.shared.errors import ZhifaError
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, add_messages, register_nav, render
from zhifa.web.i18n import get_lang, translate

router = APIRouter()

register_nav("interception", "布控名单", "Watch-list", "/watch", roles=("analyst", "supervisor"), order=10)
register_nav("interception", "实时态势", "Live view", "/intercept/live", roles=("analyst", "officer", "supervisor"), order=20)
register_nav("interception", "本站拦截任务", "Station tasks", "/intercept/station", roles=("toll_operator", "officer"), order=30)
register_nav("interception", "拦截统计", "Figures", "/intercept/figures", roles=("analyst", "supervisor"), order=40)
register_nav("interception", "抄告线索", "Forwarded leads", "/forwarded", roles=("analyst", "officer", "supervisor"), order=50)
register_nav("interception", "客运白名单", "Passenger whitelist", "/whitelist", roles=("analyst", "officer"), order=60)

add_messages(zh=ZH, en=EN)
NO_TEAM = "(无队伍)"

ASSETS = Path(__file__).parent / "assets"


def _tasks_ctx(request: Request, s: DbSession, tasks: list, own_site: str | None = None, **extra: object) -> dict:
    """The tasks panel's context, with the toll stations' names instead of their bare ids."""
    ids = {t.station_id for t in tasks} | ({own_site} if own_site else set())
    names: dict[str, str] = {}
    if ids:
        for site_id, name in s.execute(select(Site.site_id, Site.name).where(Site.site_id.in_(ids))):
            names[site_id] = name
    return {"tasks": tasks, "labels": labels_for(get_lang(request)), "station_names": names, **extra}


def _import_error(lang: str, errors: list[tuple[int, str]], key: str, **params: object) -> str:
    """The flash text of a refused (or partly refused) CSV import, with the first 20 errors by row."""
    detail = translate("interception.list_sep", lang).join(
        translate("interception.msg.row_error", lang, n=n, message=m) for n, m in errors[:20])
    return translate(key, lang, errors=len(errors), detail=detail, **params)


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
        "rows": rows, "total": total, "plate": plate, "status": status, "now": now,
        "labels": labels_for(get_lang(request)), "effective": lambda e: svc.effective_status(e, now), "message": message, "error": error,
        "default_valid_to": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    })


@router.post("/watch/add")
def watch_add(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
              plate: Annotated[str, Form()], plate_color: Annotated[str, Form()], reason: Annotated[str, Form()],
              valid_to: Annotated[str, Form()], legal_basis: Annotated[str, Form()] = "",
              case_no: Annotated[str, Form()] = "", approver: Annotated[str, Form()] = "",
              priority: Annotated[int, Form()] = 2, scope_stations: Annotated[str, Form()] = "",
              scope_hours: Annotated[str, Form()] = "") -> Response:
    lang = get_lang(request)
    try:
        vt = datetime.fromisoformat(valid_to) if valid_to else None
        with s.begin_nested():
            e = svc.add_watch_entry(
                s, actor=actor, plate=plate, plate_color=plate_color, reason=reason, source="manual",
                valid_to=vt, now=clock.now(), legal_basis=legal_basis, case_no=case_no, approver=approver,
                priority=priority, scope_hours=scope_hours or None,
                scope_stations=[x.strip() for x in scope_stations.replace("，", ",").split(",") if x.strip()] or None)
    except ValueError:
        return _back("/watch", error=translate("interception.msg.bad_valid_to", lang))
    except ZhifaError as ex:
        return _back("/watch", error=ex.text(get_lang(request)))
    return _back("/watch", message=translate("interception.msg.watch_added", lang, plate=e.plate))


@router.post("/watch/import")
async def watch_import(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                       file: Annotated[UploadFile, File()], partial: Annotated[str, Form()] = "") -> Response:
    import polars as pl

    lang = get_lang(request)
    try:
        frame = pl.read_csv(await file.read(), infer_schema_length=0)
    except Exception:  # noqa: BLE001 - any unreadable upload is a user error
        return _back("/watch", error=translate("interception.msg.csv_unreadable", lang))
    try:
        with s.begin_nested():
            rep = svc.import_watchlist(s, actor=actor, frame=frame, now=clock.now(), partial=bool(partial))
    except ZhifaError as ex:
        return _back("/watch", error=ex.text(get_lang(request)))
    if rep.errors:
        key = "interception.msg.import_partial" if partial else "interception.msg.import_refused"
        return _back("/watch", error=_import_error(lang, rep.errors_in(lang), key, imported=rep.imported))
    return _back("/watch", message=translate("interception.msg.imported", lang, n=rep.imported))


@router.post("/watch/{entry_id}/revoke")
def watch_revoke(request: Request, entry_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                 reason: Annotated[str, Form()] = "") -> Response:
    try:
        with s.begin_nested():
            svc.revoke_watch_entry(s, actor=actor, entry_id=entry_id, reason=reason, now=clock.now())
    except ZhifaError as ex:
        if ex.http_status == 404:
            raise
        return _back("/watch", error=ex.text(get_lang(request)))
    return _back("/watch", message=translate("interception.msg.revoked", get_lang(request)))


@router.get("/watch/{entry_id}")
def watch_detail(request: Request, entry_id: str, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    e = svc.access_watch_entry(s, actor, entry_id)
    hits = svc.hits_for_entry(s, actor=actor, entry_id=entry_id, now=clock.now())
    return render(request, "interception/watch_detail.html", {"e": e, "hits": hits,
                                                               "labels": labels_for(get_lang(request)),
                                                               "status": svc.effective_status(e, clock.now())})


# ---------------------------------------------------------------- live view
@router.get("/intercept/live")
def live_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/live.html", _tasks_ctx(
        request, s, svc.list_tasks(s, actor=actor, status="open", limit=300), now=clock.now()))


@router.get("/intercept/live/panel")
def live_panel(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/_tasks_panel.html", _tasks_ctx(
        request, s, svc.list_tasks(s, actor=actor, status="open", limit=300), now=clock.now(), operator=False))


# ---------------------------------------------------------------- a toll station's own tasks
@router.get("/intercept/station")
def station_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, message: str = "",
                 error: str = "") -> Response:
    return render(request, "interception/station.html", _tasks_ctx(
        request, s, svc.list_tasks(s, actor=actor, status="open"), own_site=actor.site_id,
        now=clock.now(), message=message, error=error, operator=True))


@router.get("/intercept/station/panel")
def station_panel(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    return render(request, "interception/_tasks_panel.html", _tasks_ctx(
        request, s, svc.list_tasks(s, actor=actor, status="open"), now=clock.now(), operator=True))


@router.post("/intercept/tasks/{task_id}/outcome")
def task_outcome(request: Request, task_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
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
        return _back(back, error=ex.text(get_lang(request)))
    lang = get_lang(request)
    outcome_label = labels_for(lang)["outcome"].get(t.outcome, t.outcome)
    return _back(back, message=translate("interception.msg.outcome", lang, plate=t.plate, outcome=outcome_label))


# ---------------------------------------------------------------- figures
@router.get("/intercept/figures")
def figures_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, by: str = "city",
                 days: int = 30) -> Response:
    now = clock.now()
    by = by if by in ("station", "team", "city") else "city"
    days = min(max(days, 1), 3660)
    rows = [f.as_dict() for f in svc.figures(s, actor=actor, by=by, since=now - timedelta(days=days),
                                             until=now + timedelta(seconds=1), now=now)]
    lang = get_lang(request)
    for r in rows:  # tasks of units without teams are grouped under the key "(无队伍)<unit code>"
        if by == "team" and not r.get("name") and str(r["key"]).startswith(NO_TEAM):
            r["name"] = translate("interception.figures.no_team", lang, unit=str(r["key"])[len(NO_TEAM):])
    return render(request, "interception/figures.html", {
        "rows": rows, "by": by, "days": days, "late_total": sum(r["late"] for r in rows),
        "completion": svc.forwarded_completion(s, actor=actor, now=now)})


# ---------------------------------------------------------------- forwarded leads
@router.get("/forwarded")
def forwarded_page(request: Request, actor: StaffActor, s: DbSession, status: str = "", message: str = "",
                   error: str = "") -> Response:
    return render(request, "interception/forwarded.html", {
        "rows": svc.list_forwarded(s, actor=actor, status=status or None), "status": status,
        "labels": labels_for(get_lang(request)),
        "message": message, "error": error})


@router.post("/forwarded/{lead_id}/{verb}")
def forwarded_verb(request: Request, lead_id: str, verb: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                   unit_code: Annotated[str, Form()] = "", assignee: Annotated[str, Form()] = "",
                   result: Annotated[str, Form()] = "") -> Response:
    lang = get_lang(request)
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
                return _back("/forwarded", error=translate("interception.msg.unknown_verb", lang))
    except ZhifaError as ex:
        if ex.http_status == 404:
            raise
        return _back("/forwarded", error=ex.text(get_lang(request)))
    return _back("/forwarded", message=translate("interception.msg.saved", lang))


# ---------------------------------------------------------------- passenger whitelist
@router.get("/whitelist")
def whitelist_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, plate: str = "",
                   message: str = "", error: str = "") -> Response:
    from zhifa.interception.whitelist import list_whitelist

    rows, total = list_whitelist(s, actor=actor, plate=plate or None, now=clock.now())
    return render(request, "interception/whitelist.html", {
        "rows": rows, "total": total, "plate": plate, "now": clock.now(), "labels": labels_for(get_lang(request)),
        "message": message,
        "error": error})


@router.post("/whitelist/import")
async def whitelist_import(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                           file: Annotated[UploadFile, File()], partial: Annotated[str, Form()] = "") -> Response:
    import polars as pl

    from zhifa.interception.whitelist import import_whitelist

    lang = get_lang(request)
    try:
        frame = pl.read_csv(await file.read(), infer_schema_length=0)
    except Exception:  # noqa: BLE001 - any unreadable upload is a user error
        return _back("/whitelist", error=translate("interception.msg.csv_unreadable", lang))
    try:
        with s.begin_nested():
            rep = import_whitelist(s, actor=actor, frame=frame, now=clock.now(), partial=bool(partial))
    except ZhifaError as ex:
        return _back("/whitelist", error=ex.text(get_lang(request)))
    if rep.errors:
        key = "interception.msg.whitelist_partial" if partial else "interception.msg.whitelist_refused"
        return _back("/whitelist", error=_import_error(lang, rep.errors_in(lang), key))
    return _back("/whitelist", message=translate("interception.msg.whitelist_imported", lang, inserted=rep.inserted,
                                                 updated=rep.updated))
