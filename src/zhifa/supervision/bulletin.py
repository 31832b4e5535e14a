"""The quarterly bulletin (季通报) as a PDF in Chinese: the ranking with its formula and numbers."""

from __future__ import annotations

from datetime import datetime

from zhifa.supervision.ranking import Ranking


def _pct(v: float | None) -> str:
    return "无数据" if v is None else f"{v * 100:.1f}%"


def _num(v: float | None, fmt: str = "{:.1f}") -> str:
    return "无数据" if v is None else fmt.format(v)


def render_html(ranking: Ranking, *, title: str, issued_by: str, now: datetime) -> str:
    from zhifa.web.deps import templates

    return templates.get_template("supervision/bulletin_pdf.html").render(
        r=ranking, title=title, issued_by=issued_by, now=now, pct=_pct, num=_num)


def render_pdf(ranking: Ranking, *, title: str, issued_by: str, now: datetime) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(ranking, title=title, issued_by=issued_by, now=now)).write_pdf()  # type: ignore[no-any-return]
