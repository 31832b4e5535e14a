"""The electronic archives of a road section and year as one PDF (WeasyPrint): 监督检查日志档案 (the patrol
log) and 路域环境调查档案 (the road-environment survey: findings with position, photos and handling)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from zhifa.roads.model import FINDING_STATUS_ZH, ROAD_CLASS_ZH, RoadClass
from zhifa.roads.service import FileStore
from zhifa.shared.clock import TZ


def render_html(data: dict[str, Any], *, unit_name: str, now: datetime, store: FileStore | None = None) -> str:
    from zhifa.web.deps import templates

    def photo_uri(sha: str) -> str | None:
        if store is None:
            return None
        p = store.path(sha)
        return p.resolve().as_uri() if p else None

    return templates.get_template("roads/archive_pdf.html").render(
        d=data, road=data["road"], unit_name=unit_name, now=now.astimezone(TZ), photo_uri=photo_uri,
        class_zh=ROAD_CLASS_ZH[RoadClass(data["road"].road_class)], status_zh=FINDING_STATUS_ZH, tz=TZ)


def render_pdf(data: dict[str, Any], *, unit_name: str, now: datetime, store: FileStore | None = None) -> bytes:
    from weasyprint import HTML

    html = render_html(data, unit_name=unit_name, now=now, store=store)
    base = str(store.root) if store is not None else str(Path.cwd())
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
