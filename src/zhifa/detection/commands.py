"""`zhifa detect run|list|score`: detectors over the lake, their leads, their scores against truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def register(app: typer.Typer) -> None:
    detect_app = typer.Typer(help="线索挖掘 Detectors over the record lake (illegal operation, GPS off, oversize).",
                             no_args_is_help=True)
    app.add_typer(detect_app, name="detect")

    @detect_app.command("run")
    def run(
        day: str = typer.Option(..., "--date", help="day to analyse, YYYY-MM-DD"),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb | spark"),
        rule: list[str] = typer.Option(None, "--rule", help="only these rule codes (repeatable)"),
        history_days: int = typer.Option(14, "--history-days", help="look-back for illegal operation"),
    ) -> None:
        """Run the detectors over one day and store the findings as leads (deduplicated)."""
        from zhifa.bootstrap import build
        from zhifa.detection.service import run_detectors
        from zhifa.shared.access import SYSTEM

        try:
            d = date.fromisoformat(day)
        except ValueError:
            console.print(f"[red]日期格式无效：{day}（应为 YYYY-MM-DD）[/red]")
            raise typer.Exit(2) from None
        if engine not in {"duckdb", "spark"}:
            console.print("[red]--engine 只能是 duckdb 或 spark[/red]")
            raise typer.Exit(2)
        c = build()
        rep = run_detectors(c, day=d, engine=engine, rules=rule or None, actor=SYSTEM, now=c.clock.now(),
                            history_days=history_days)
        t = Table(title=f"{d} · {engine}")
        t.add_column("rule")
        t.add_column("findings", justify="right")
        for r, n in sorted(rep.by_rule.items()):
            t.add_row(r, str(n))
        console.print(t)
        console.print(f"新线索 {rep.created}，重复 {rep.duplicates}；耗时 " +
                      ", ".join(f"{k} {v:.2f}s" for k, v in rep.seconds.items()))

    @detect_app.command("list")
    def list_(
        rule: str = typer.Option(None, "--rule"),
        status: str = typer.Option(None, "--status"),
        plate: str = typer.Option(None, "--plate"),
        limit: int = typer.Option(50, "--limit"),
    ) -> None:
        """List stored leads (newest first)."""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.leads.service import list_leads
        from zhifa.shared.access import SYSTEM

        c = build()
        with unit_of_work(c.db) as s:
            rows, total = list_leads(s, actor=SYSTEM, rule=rule, status=status, plate=plate, limit=limit)
            t = Table(title=f"线索 {len(rows)}/{total}")
            for col in ("id", "rule", "plate", "start", "unit", "score", "status", "explanation"):
                t.add_column(col)
            for r in rows:
                t.add_row(r.lead_id, r.rule, r.plate or "", f"{r.start:%Y-%m-%d %H:%M}", r.unit_code,
                          f"{r.score:.2f}", r.status, r.explanation[:60])
        console.print(t)

    @detect_app.command("score")
    def score(
        truth: Path = typer.Option(..., "--truth", help="the simulator's truth.parquet"),
        window_min: float = typer.Option(30.0, "--window-min", help="time tolerance in minutes"),
    ) -> None:
        """Precision and recall of every detector rule against the simulator's truth (`zhifa score` per rule)."""
        from datetime import timedelta

        import polars as pl

        from zhifa.detection.rules import RULE_CODES
        from zhifa.sim.commands import load_leads
        from zhifa.sim.score import score as score_rule

        if not truth.exists():
            console.print(f"[red]真值文件不存在[/red]: {truth}")
            raise typer.Exit(2)
        tr = pl.read_parquet(truth)
        t = Table(title="检测规则得分 detector scores")
        for col in ("rule", "truth", "leads", "precision", "recall", "tp", "fp", "fn"):
            t.add_column(col)
        for rule in RULE_CODES:
            if rule == "gathering_point":
                continue  # no truth kind: reviewed by analysts
            sc = score_rule(tr, load_leads(rule), rule, window=timedelta(minutes=window_min))
            t.add_row(rule, str(sc.truth), str(sc.leads), f"{sc.precision:.3f}", f"{sc.recall:.3f}",
                      str(sc.tp), str(sc.fp), str(sc.fn))
        console.print(t)
