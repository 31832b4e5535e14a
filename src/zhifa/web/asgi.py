"""ASGI entry point for process managers: `uvicorn zhifa.web.asgi:app` (settings from ZHIFA_* variables)."""

from __future__ import annotations

from zhifa.bootstrap import build
from zhifa.web.app import create_app

app = create_app(build())
