"""The web application factory: middleware, error translation, routers gathered by convention."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhifa.bootstrap import Container
from zhifa.shared.errors import ZhifaError
from zhifa.web.deps import LoginRequired, csrf_protect, is_api_request, render
from zhifa.web.i18n import get_lang, translate

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "zhifa_session"
SESSION_MAX_AGE_S = 12 * 3600

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI's page carries one inline script and inline styles.
CSP_DOCS = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'"
)


class SecureHeadersMiddleware:
    """Adds CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = CSP_DOCS if scope["path"].startswith("/docs") else CSP

        async def _send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = {
                    b"content-security-policy": csp.encode(),
                    b"x-frame-options": b"DENY",
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                }
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, _send)


def _slice_modules() -> list[str]:
    from zhifa.cli.main import COMMAND_SLICES

    out = []
    for name in COMMAND_SLICES:
        if importlib.util.find_spec(f"zhifa.{name}") is None:
            continue
        for kind in ("api", "pages"):
            mod = f"zhifa.{name}.{kind}"
            if importlib.util.find_spec(mod) is not None:
                out.append(mod)
    return out


def _error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


def create_app(container: Container) -> FastAPI:
    settings = container.settings
    app = FastAPI(
        title="zhifa — 交通运输综合执法综合管理服务平台",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.container = container

    # Middleware: the last added runs first.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecureHeadersMiddleware)

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="zhifa API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/img/favicon.svg",
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(ZhifaError)
    async def _zhifa_error(request: Request, exc: ZhifaError) -> Response:
        if is_api_request(request):
            body = {"detail": exc.message} | ({"detail_en": exc.en} if exc.en else {})
            return JSONResponse(body, status_code=exc.http_status)
        return _error_page(request, exc.http_status, exc.text(get_lang(request)))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("hx-request") == "true":
            return Response(status_code=200, headers={"HX-Redirect": exc.next_url})
        return RedirectResponse(exc.next_url, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api_request(request) or request.url.path.startswith("/static/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
            )
        msg = translate("error.not_found", get_lang(request)) if exc.status_code == 404 else str(exc.detail)
        return _error_page(request, exc.status_code, msg)

    for mod in _slice_modules():
        module = importlib.import_module(mod)
        router = getattr(module, "router", None)
        if router is None:
            log.warning("%s has no router", mod)
            continue
        # CSRF for every state-changing route of every slice (GET/HEAD/OPTIONS pass; see csrf_exempt).
        app.include_router(router, dependencies=[Depends(csrf_protect)])
    return app
