"""What every route needs: the container, a unit of work, the actor, CSRF, rendering, the clock.

Typical page::

    @router.get("/cases")
    def cases_list(request: Request, actor: StaffActor, s: DbSession):
        rows = service.list_cases(s, actor=actor)
        return render(request, "cases/list.html", {"rows": rows})

Typical form POST / JSON change: add `_: Csrf` (or `dependencies=[Depends(csrf_protect)]`).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.responses import Response

from zhifa.bootstrap import Container
from zhifa.db.session import unit_of_work
from zhifa.leads.model import rule_label
from zhifa.shared.access import STAFF_ROLES, Actor, Role
from zhifa.shared.clock import TZ, Clock
from zhifa.shared.errors import PermissionDenied
from zhifa.web.auth import load_actor, unit_tree
from zhifa.web.i18n import add_messages, get_lang, pick, translate, translator
from zhifa.web.nav import nav_for, register_nav

__all__ = [
    "ClockDep",
    "Csrf",
    "CurrentActor",
    "DbSession",
    "LoginRequired",
    "OptionalActor",
    "StaffActor",
    "add_messages",
    "clock",
    "csrf_exempt",
    "csrf_protect",
    "csrf_token",
    "current_actor",
    "db_session",
    "get_container",
    "optional_actor",
    "register_nav",
    "render",
    "require_roles",
    "staff_actor",
    "templates",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_SESSION_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def get_container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


def clock(request: Request) -> Clock:
    return get_container(request).clock


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit when the route returns, roll back if it raises."""
    with unit_of_work(get_container(request).db) as s:
        yield s


def is_api_request(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


# ---------------------------------------------------------------- actor


class LoginRequired(Exception):
    """Raised for page requests without a login; the app turns it into a 303 to /login."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def safe_next(url: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(safe_next(target), safe="")


def _session_actor(request: Request) -> Actor | None:
    if "actor" in request.state._state:  # noqa: SLF001 - per-request cache
        return request.state.actor  # type: ignore[no-any-return]
    actor = None
    uid = request.session.get("uid") if "session" in request.scope else None
    if uid:
        actor = load_actor(get_container(request).db, uid)
        if actor is None:
            request.session.pop("uid", None)
    request.state.actor = actor
    return actor


def optional_actor(request: Request) -> Actor | None:
    return _session_actor(request)


def current_actor(request: Request) -> Actor:
    actor = _session_actor(request)
    if actor is None:
        if is_api_request(request):
            raise HTTPException(status_code=401, detail=translate("error.login_required", get_lang(request)))
        raise LoginRequired(login_url(request))
    return actor


def staff_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """A logged-in member of staff (not a party or member of the public)."""
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("仅限执法机构工作人员", en="For enforcement unit staff only")
    return actor


def require_roles(*roles: Role | str) -> Callable[..., Actor]:
    """Dependency factory: the actor must hold one of `roles` (admin always passes), else 403."""
    wanted = frozenset(str(r) for r in roles)

    def _dep(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role in (Role.ADMIN, Role.SYSTEM) or str(actor.role) in wanted:
            return actor
        raise PermissionDenied("当前角色无权访问此功能", en="Your role may not use this function")

    return _dep


# ---------------------------------------------------------------- CSRF


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    if "session" not in request.scope:
        return ""
    tok = request.session.get(CSRF_SESSION_KEY)
    if not tok:
        tok = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = tok
    return str(tok)


def csrf_exempt(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a route as not needing the CSRF token (only for requests that carry no authority,
    e.g. a machine-to-machine endpoint with its own signature check). Use sparingly."""
    endpoint.__zhifa_csrf_exempt__ = True  # type: ignore[attr-defined]
    return endpoint


async def csrf_protect(request: Request) -> None:
    """Refuse state-changing requests that do not carry the session's token (header or form field).

    `create_app` adds this to every slice router, so every POST/PUT/PATCH/DELETE is checked.
    """
    if request.method in SAFE_METHODS:
        return
    if getattr(request.scope.get("endpoint"), "__zhifa_csrf_exempt__", False):
        return
    expected = request.session.get(CSRF_SESSION_KEY) if "session" in request.scope else None
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        raise PermissionDenied(translate("error.csrf"), en=translate("error.csrf", "en"))


# ---------------------------------------------------------------- rendering


def _fmt_dt(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TZ)
        return value.strftime(fmt)
    return value.strftime("%Y-%m-%d")


def _fmt_yuan(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f} 元" if float(value).is_integer() else f"{value:,.2f} 元"


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["dt"] = _fmt_dt
templates.env.filters["yuan"] = _fmt_yuan
templates.env.globals["pick"] = pick
templates.env.globals["rule_label"] = rule_label


def render(
    request: Request,
    template: str,
    ctx: Mapping[str, Any] | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A TemplateResponse with `t`, `actor`, `lang`, `csrf_token`, `nav`, `unit_name` in context."""
    lang = get_lang(request)
    actor = _session_actor(request)
    t = translator(lang)
    unit_name = ""
    if actor is not None:
        tree = unit_tree(get_container(request).db)
        unit_name = tree.names.get(actor.unit_code, actor.unit_code)
    context: dict[str, Any] = {
        "request": request,
        "t": t,
        "lang": lang,
        "actor": actor,
        "actor_role": t(f"role.{actor.role}") if actor else "",
        "unit_name": unit_name,
        "csrf_token": csrf_token(request),
        "nav": nav_for(actor, lang, request.url.path),
        "is_htmx": request.headers.get("hx-request") == "true",
    }
    context.update(ctx or {})
    return templates.TemplateResponse(request, template, context, status_code=status, headers=headers)


# ---------------------------------------------------------------- annotated shortcuts

DbSession = Annotated[Session, Depends(db_session, scope="function")]
CurrentActor = Annotated[Actor, Depends(current_actor)]
StaffActor = Annotated[Actor, Depends(staff_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
Csrf = Annotated[None, Depends(csrf_protect)]
ClockDep = Annotated[Clock, Depends(clock)]
