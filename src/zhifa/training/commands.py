"""`zhifa training …`: yearly figures, completion ranking, survey results."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM

console = Console()


def register(app: typer.Typer) -> None:
    tr = typer.Typer(help="教育培训: hours, rankings, satisfaction surveys.", no_args_is_help=True)
    app.add_typer(tr, name="training")

    @tr.command("figures")
    def figures_cmd(year: int = typer.Argument(...)) -> None:
        """Training sessions held, trainees, hours, test pass rate in a year."""
        from zhifa.training import service

        c = build()
        with unit_of_work(c.db) as s:
            f = service.figures(s, actor=SYSTEM, year=year)
        for k, v in f.items():
            console.print(f"{k}: {v}")

    @tr.command("rank")
    def rank_cmd(year: int = typer.Argument(...), by: str = typer.Option("unit", help="unit | city")) -> None:
        """Units ranked by the share of officers who reached the yearly training hours."""
        from zhifa.training import service

        c = build()
        with unit_of_work(c.db) as s:
            r = service.ranking(s, actor=SYSTEM, year=year, by=by)
        t = Table("名次", "单位", "执法人员", "达标", "达标率", "人均学时",
                  title=f"{year} 年学时达标排名（要求 {r.required_hours:g} 学时，{r.rule_version}）")
        for x in r.rows:
            t.add_row(str(x.rank), r.names.get(x.unit_code, x.unit_code), str(x.officers), str(x.completed),
                      "—" if x.rate is None else f"{x.rate * 100:.1f}%", f"{x.mean_hours:.1f}")
        console.print(t)

    @tr.command("surveys")
    def surveys_cmd(year: int = typer.Option(None)) -> None:
        """Satisfaction survey results by unit and year."""
        from zhifa.training import service

        c = build()
        with unit_of_work(c.db) as s:
            rows = service.survey_results(s, actor=SYSTEM, year=year)
        t = Table("年度", "单位", "份数", "平均分", "满意率", title="满意度测评结果")
        for r in rows:
            t.add_row(str(r["year"]), r["name"], str(r["responses"]), f"{r['mean']:.2f}" if r["mean"] else "—",
                      "—" if r["satisfaction_rate"] is None else f"{r['satisfaction_rate'] * 100:.1f}%")
        console.print(t)
