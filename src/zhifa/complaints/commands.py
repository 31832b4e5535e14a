"""`zhifa complaints …` and `zhifa barriers …`."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM

console = Console()


def register(app: typer.Typer) -> None:
    comp = typer.Typer(help="投诉举报: complaints and tip-offs; barrier figures.", no_args_is_help=True)
    app.add_typer(comp, name="complaints")

    @comp.command("list")
    def list_(status: str = typer.Option(None), category: str = typer.Option(None),
              limit: int = typer.Option(50, min=1, max=500)) -> None:
        """List complaints (province scope)."""
        from zhifa.complaints import service

        c = build()
        with unit_of_work(c.db) as s:
            rows, total = service.list_complaints(s, actor=SYSTEM, status=status, category=category, limit=limit)
            t = Table("回执码", "类别", "状态", "单位", "描述", title=f"举报 {total} 件")
            for r in rows:
                t.add_row(r.receipt_code, r.category, r.status, r.unit_code, r.description[:30])
        console.print(t)

    @comp.command("figures")
    def figures(year: int = typer.Argument(..., help="year")) -> None:
        """Barriers cleaned up and kept; reports received, handled, rate."""
        from zhifa.complaints import service

        c = build()
        with unit_of_work(c.db) as s:
            f = service.figures(s, actor=SYSTEM, start=date(year, 1, 1), end=date(year, 12, 31))
        for k, v in f.items():
            console.print(f"{k}: {'无数据' if v is None else v}")
