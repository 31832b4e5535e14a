"""The web slice's own pages: sign-in, sign-out, language switch, the command-centre dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhifa.db.session import unit_of_work
from zhifa.shared.access import Role
from zhifa.web import auth, dashboard
from zhifa.web.deps import (
    Csrf,
    DbSession,
    OptionalActor,
    StaffActor,
    clock,
    csrf_token,
    get_container,
    render,
    safe_next,
)
from zhifa.web.i18n import LANG_COOKIE, LANGS, get_lang, translate

router = APIRouter(include_in_schema=False)

LOGIN_FAILURES, LOGIN_WINDOW_S = 5, 300.0  # wrong passwords per address and per user name in the window


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


@router.get("/login")
def login_form(request: Request, actor: OptionalActor, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "web/login.html", {"next_url": safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login_submit(
    request: Request,
    _: Csrf,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    lang = get_lang(request)
    ip = client_ip(request)
    keys = (f"ip:{ip}", f"user:{username.strip().lower()}")
    ctx = {"next_url": safe_next(next), "username": username}
    container = get_container(request)
    limiter = container.failure_window("login", LOGIN_FAILURES, LOGIN_WINDOW_S)
    if limiter.blocked(*keys):
        return render(request, "web/login.html", {**ctx, "error": translate("auth.rate_limited", lang)}, status=429)
    with unit_of_work(container.db) as s:
        result = auth.authenticate(
            s, container.db, username=username, password=password, now=clock(request).now(), ip=ip
        )
    if not result.ok or result.actor is None:
        limiter.failed(*keys)
        msg = translate("auth.inactive" if result.reason == "inactive" else "auth.failed", lang)
        return render(request, "web/login.html", {**ctx, "error": msg}, status=401)
    limiter.succeeded(keys[1])
    # A fresh session on login (no fixation): new CSRF token, the user id only.
    request.session.clear()
    request.session["uid"] = result.actor.user_id
    csrf_token(request)
    request.state.actor = result.actor
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, _: Csrf, actor: OptionalActor) -> Response:
    if actor is not None:
        container = get_container(request)
        with unit_of_work(container.db) as s:
            auth.record_logout(s, actor=actor, now=clock(request).now(), ip=client_ip(request))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{lang}")
def switch_language(lang: str, next: str = "/") -> Response:
    resp = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=False)
    return resp


@router.get("/")
def dashboard_page(request: Request, actor: StaffActor, s: DbSession) -> Response:
    if actor.role is Role.TOLL_OPERATOR:  # a station operator's home is its own open tasks
        return RedirectResponse("/intercept/station", status_code=303)
    tree = auth.unit_tree(get_container(request).db, s)
    summ = dashboard.summary(s, actor=actor, tree=tree)
    scope_name = translate("dash.scope_all", get_lang(request)) if actor.sees_all else tree.names.get(
        actor.unit_code, actor.unit_code
    )
    return render(
        request,
        "web/dashboard.html",
        {
            "summary": summ,
            "scope_name": scope_name,
            "chart_data": summ.chart_data(),
            "kinds_legend": [(k, dashboard.SITE_COLORS[k]) for k in (*dashboard.SITE_KINDS, "other")],
            "focus_unit": None if actor.sees_all else actor.unit_code,
        },
    )


