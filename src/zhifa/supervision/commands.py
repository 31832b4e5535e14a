"""`zhifa supervise …`: work orders, the deadline sweep, rankings and the quarterly bulletin."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.shared.calendar import cn_calendar

console = Console()


def register(app: typer.Typer) -> None:
    sup = typer.Typer(help="督办与考核: work orders, sweep, rankings, bulletin.", no_args_is_help=True)
    app.add_typer(sup, name="supervise")

    @sup.command("orders")
    def orders(status: str = typer.Option(None, help="assigned | accepted | completed | closed"),
               limit: int = typer.Option(50, min=1, max=500)) -> None:
        """List work orders (province scope)."""
        from zhifa.supervision import service

        c = build()
        with unit_of_work(c.db) as s:
            rows, total = service.list_orders(s, actor=SYSTEM, status=status, limit=limit)
            t = Table("编号", "承办单位", "状态", "时限", "标题", title=f"工单 {total} 件")
            for o in rows:
                t.add_row(o.number, o.unit_code, o.status, o.due_date.isoformat(), o.title[:30])
        console.print(t)

    @sup.command("sweep")
    def sweep() -> None:
        """Reminders before the time limit and escalation after it (run daily)."""
        from zhifa.supervision import service

        c = build()
        with unit_of_work(c.db) as s:
            rep = service.sweep(s, actor=SYSTEM, calendar=cn_calendar(), now=c.clock.now())
        console.print(f"reminded {rep.reminded}, escalated {rep.escalated}")

    @sup.command("rank")
    def rank(period: str = typer.Argument(..., help="2022Q1, 2022-03 or 2022")) -> None:
        """Rankings of cities and directly administered counties, with the numbers behind each rank."""
        from zhifa.supervision import ranking

        c = build()
        start, end = ranking.period_of(period)
        with unit_of_work(c.db) as s:
            r = ranking.compute(s, actor=SYSTEM, start=start, end=end)
        for title, rows in (("省辖市", r.cities), ("省直管县", r.counties)):
            t = Table("名次", "单位", "得分", "立案", "结案", "满意率", "按时率", "投诉", title=f"{title} {period}")
            for x in rows:
                m = x.metrics

                def pct(v: float | None) -> str:
                    return "—" if v is None else f"{v * 100:.1f}%"

                t.add_row(str(x.rank or "—"), x.name, "无数据" if m["score"] is None else f"{m['score']:.1f}",
                          str(x.figures.cases_opened), str(x.figures.cases_closed), pct(m["satisfaction_rate"]),
                          pct(m["order_on_time_rate"]), str(x.figures.complaints))
            console.print(t)
        console.print(f"formula {r.formula.version}: {r.formula.source}")

    @sup.command("bulletin")
    def bulletin_cmd(period: str = typer.Argument(..., help="2022Q1"),
                     out: Path = typer.Option(Path("bulletin.pdf"), help="where to write the PDF")) -> None:
        """Write the quarterly bulletin (季通报) as a PDF."""
        from zhifa.supervision import bulletin, ranking

        c = build()
        start, end = ranking.period_of(period)
        with unit_of_work(c.db) as s:
            r = ranking.compute(s, actor=SYSTEM, start=start, end=end)
        out.write_bytes(bulletin.render_pdf(r, title=f"全省交通运输执法工作{period}通报", issued_by="河南省交通运输厅执法局",
                                            now=c.clock.now()))
        console.print(f"[green]wrote[/green] {out}")
