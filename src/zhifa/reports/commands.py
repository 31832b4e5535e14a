"""`zhifa report year 2022 --unit 410000 --format html|pdf|json --out F` (and `quarter`, `month`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

console = Console()


def _emit(period_text: str, unit: str, fmt: str, out: Path | None) -> None:
    from zhifa.bootstrap import build
    from zhifa.db.session import unit_of_work
    from zhifa.reports import report as R
    from zhifa.reports.figures import Period, UnitInfo
    from zhifa.shared.errors import ZhifaError

    c = build()
    try:
        period = Period.parse(period_text)
        with unit_of_work(c.db) as s:
            data = R.build(s, unit_code=unit, period=period, units=UnitInfo.load(s))
    except ZhifaError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2) from e
    if fmt == "json":
        body: bytes = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    elif fmt == "pdf":
        body = R.render_pdf(data)
    elif fmt == "html":
        body = R.render_html(data).encode("utf-8")
    else:
        console.print("[red]--format 应为 html、pdf 或 json[/red]")
        raise typer.Exit(2)
    if out is None:
        if fmt == "pdf":
            out = Path(f"report-{unit}-{period.code}.pdf")
        else:
            typer.echo(body.decode("utf-8"))
            return
    out.write_bytes(body)
    console.print(f"[green]{data['title']}[/green] → {out} ({len(body)} bytes; 无数据 figures: {len(data['no_data'])})")


def register(app: typer.Typer) -> None:
    rep = typer.Typer(help="Yearly / quarterly / monthly statistics report (section 一 of the work review).",
                      no_args_is_help=True)
    app.add_typer(rep, name="report")

    @rep.command("year")
    def year(year: int = typer.Argument(..., help="calendar year, e.g. 2022"),
             unit: str = typer.Option("410000", help="unit code (the unit and everything below it)"),
             format: str = typer.Option("html", "--format", "-f", help="html | pdf | json"),
             out: Path | None = typer.Option(None, "--out", "-o", help="output file (stdout for html/json)")) -> None:
        """The yearly report of UNIT for YEAR."""
        _emit(str(year), unit, format, out)

    @rep.command("quarter")
    def quarter(period: str = typer.Argument(..., help="e.g. 2022Q1"), unit: str = typer.Option("410000"),
                format: str = typer.Option("html", "--format", "-f"), out: Path | None = typer.Option(None, "--out", "-o")) -> None:
        """The quarterly report (supervision's 季通报)."""
        _emit(period, unit, format, out)

    @rep.command("month")
    def month(period: str = typer.Argument(..., help="e.g. 2022-03"), unit: str = typer.Option("410000"),
              format: str = typer.Option("html", "--format", "-f"), out: Path | None = typer.Option(None, "--out", "-o")) -> None:
        """The monthly report (supervision's 月督查)."""
        _emit(period, unit, format, out)
