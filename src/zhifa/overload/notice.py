"""违法告知: the notice to the party as a PDF in Chinese (WeasyPrint; template web/templates/overload/notice.html)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from zhifa.shared.clock import TZ

COLOR_ZH = {"blue": "蓝色", "yellow": "黄色", "black": "黑色", "white": "白色", "green": "绿色",
            "yellow_green": "黄绿色", "blue_white": "蓝白色"}
TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))


def notice_context(*, lead: Any, case_id: str | None, party: str, fine: int, now: datetime) -> dict[str, Any]:
    ev = lead.evidence or {}
    worst = ev.get("worst", {})
    parts = ev.get("parts", [])
    site = parts[0]["site"] if parts else {}
    photos = [p["name"] for part in parts for p in part.get("photos", [])]
    return {
        "lead": lead,
        "color_zh": COLOR_ZH.get(lead.plate_color or "", lead.plate_color or ""),
        "case_id": case_id,
        "party": party,
        "fine": fine,
        "penalty": ev.get("proposed_penalty", {}),
        "worst": worst,
        "site": site,
        "photos": photos,
        "legal_basis": ev.get("legal_basis", ""),
        "when": lead.start.astimezone(TZ).strftime("%Y年%m月%d日 %H时%M分"),
        "issued": now.astimezone(TZ).strftime("%Y年%m月%d日"),
        "rate_pct": f"{float(worst.get('excess_rate') or 0) * 100:.1f}",
        "bundle_sha256": ev.get("bundle_sha256", ""),
    }


def render_notice_html(**kw: Any) -> str:
    return _env.get_template("overload/notice.html").render(**notice_context(**kw))


def render_notice_pdf(**kw: Any) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_notice_html(**kw)).write_pdf()
