"""CLI: `zhifa simulate` (synthetic province with ground truth) and `zhifa score` (detector vs truth)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()


def _score_trace_back(truth):  # type: ignore[no-untyped-def]
    """Loading-source attribution: trace-back tasks against the truth's loading sources."""
    import polars as pl
    from sqlalchemy import select

    from zhifa.bootstrap import build
    from zhifa.db.session import unit_of_work
    from zhifa.overload.orm import TraceBackTask as T
    from zhifa.shared.clock import aware
    from zhifa.sim.score import score_attribution

    c = build()
    with unit_of_work(c.db) as s:
        rows = s.execute(select(T.plate, T.plate_color, T.weighed_at, T.source_enterprise_id)).all()
    tasks = pl.DataFrame([(r[0], r[1], aware(r[2]), r[3]) for r in rows], orient="row",
                         schema={"plate": pl.String, "plate_color": pl.String,
                                 "weighed_at": pl.Datetime("us", "Asia/Shanghai"), "source_enterprise_id": pl.String})
    return score_attribution(truth, tasks).as_dict()


def _score_intercept(truth):  # type: ignore[no-untyped-def]
    """Watch-list interception: recall of watch-listed vehicles, false hits, exit predictions."""
    from zhifa.bootstrap import build
    from zhifa.db.session import unit_of_work
    from zhifa.interception.score import score_intercept

    c = build()
    with unit_of_work(c.db) as s:
        return score_intercept(s, truth).as_dict()


# scores that are not precision/recall of one lead rule
SPECIAL_SCORES = {"trace_back": _score_trace_back, "intercept": _score_intercept}


def load_leads(rule: str) -> pl.DataFrame:  # noqa: F821
    """Leads of one rule from the SQL `leads` table (rule, plate, plate_color, start, end)."""
    import polars as pl
    from sqlalchemy import select

    from zhifa.bootstrap import build
    from zhifa.db.session import unit_of_work
    from zhifa.leads.orm import Lead

    c = build()
    with unit_of_work(c.db) as s:
        rows = s.execute(select(Lead.rule, Lead.plate, Lead.plate_color, Lead.start, Lead.end).where(Lead.rule == rule)).all()
    schema = {"rule": pl.String, "plate": pl.String, "plate_color": pl.String, "start": pl.Datetime("us"),
              "end": pl.Datetime("us")}
    if not rows:
        return pl.DataFrame(schema=schema)
    from zhifa.shared.clock import aware

    data = [(r[0], r[1], r[2], aware(r[3]), aware(r[4])) for r in rows]
    return pl.DataFrame(data, schema=["rule", "plate", "plate_color", "start", "end"], orient="row")


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        days: int = typer.Option(1, "--days", min=1, help="number of days"),
        scale: float = typer.Option(0.01, "--scale", min=0.0001, help="1.0 ≈ one Henan day (15 M gantry passes)"),
        seed: int = typer.Option(1, "--seed", help="random seed (same seed → same bytes)"),
        out: Path = typer.Option(Path("var/sim"), "--out", help="output directory"),
        start: str = typer.Option("2022-03-01", "--start", help="first day (YYYY-MM-DD)"),
    ) -> None:
        """模拟全省通行数据及真值（registries、records、truth）。"""
        from zhifa.sim.engine import simulate

        try:
            first = date.fromisoformat(start)
        except ValueError as exc:
            console.print(f"[red]日期格式错误[/red]: {start}（应为 YYYY-MM-DD）")
            raise typer.Exit(2) from exc
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("模拟", total=days + 2)

            def on_progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=f"模拟 {step}", completed=done, total=total)

            rep = simulate(days=days, scale=scale, seed=seed, out_dir=out, start=first, progress=on_progress)
        table = Table(title=f"模拟结果 {rep.out_dir}（路网：{rep.network_source}）")
        table.add_column("表")
        table.add_column("行数", justify="right")
        for k, v in rep.records.items():
            table.add_row(f"records/{k}", f"{v:,}")
        for k, v in rep.registries.items():
            table.add_row(f"registries/{k}", f"{v:,}")
        for k, v in rep.truth.items():
            table.add_row(f"truth/{k}", f"{v:,}")
        console.print(table)
        console.print(f"{rep.total_records:,} 条记录，{rep.seconds:.1f} 秒，{rep.records_per_second:,.0f} 条/秒；"
                      f"因记录全部丢失而剔除的真值 {rep.truth_dropped} 条")

    @app.command("demo-activity")
    def demo_activity_cmd(
        sim: Path = typer.Option(Path("var/sim"), "--sim", help="the simulation the demo was built from"),
        seed: int = typer.Option(7, "--seed"),
    ) -> None:
        """演示业务：通过平台自身的服务办理案件、工单、举报、检查、培训、滞留车辆（按规则拒绝的计数，不绕过）。"""
        from datetime import datetime, time

        from zhifa.bootstrap import build
        from zhifa.shared.clock import TZ
        from zhifa.sim.activity import activity_day, run_activity

        day = activity_day(sim)
        if day is None:
            console.print(f"[red]没有模拟数据[/red]: {sim}")
            raise typer.Exit(2)
        c = build()
        # the demo's clock (ZHIFA_CLOCK_START, the morning after the simulated days) when it has one, so that
        # cases and orders are not stamped after the "today" the pages show; else the morning after the last day
        now = c.clock.now() if c.settings.clock_start else datetime.combine(day, time(9, 30), TZ) + timedelta(days=1)
        counts = run_activity(c, now=now, seed=seed)
        for k, v in sorted(counts.items()):
            console.print(f"{k}: {v}")

    @app.command("score")
    def score_cmd(
        rule: str = typer.Argument(..., help="detector rule code = truth kind, e.g. overload"),
        truth: Path = typer.Option(None, "--truth", help="truth.parquet written by `zhifa simulate`"),
        pairs: Path = typer.Option(None, "--pairs", help="for `changes`: image pairs from `zhifa roads generate-pairs`"),
        window_min: float = typer.Option(30.0, "--window-min", help="time tolerance in minutes"),
        as_json: bool = typer.Option(False, "--json", help="print JSON"),
    ) -> None:
        """按真值计算检测规则的准确率与召回率（读取 leads 表中该规则的线索）。"""
        from datetime import timedelta

        import polars as pl

        from zhifa.sim.score import score

        if rule == "changes":  # remote-sensing change detection is scored on image pairs, not on leads
            if pairs is None:
                console.print("[red]zhifa score changes 需要 --pairs DIR[/red]")
                raise typer.Exit(2)
            from zhifa.roads.commands import score_changes_cli

            score_changes_cli(pairs, as_json)
            return
        if truth is None or not truth.exists():
            console.print(f"[red]真值文件不存在[/red]: {truth}")
            raise typer.Exit(2)
        from sqlalchemy.exc import SQLAlchemyError

        t = pl.read_parquet(truth)
        if rule in SPECIAL_SCORES:
            result = SPECIAL_SCORES[rule](t)
            if as_json:
                typer.echo(json.dumps(result, ensure_ascii=False, default=str))
            else:
                console.print(f"{rule}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
            return
        try:
            leads = load_leads(rule)
        except SQLAlchemyError as exc:
            console.print(f"[red]无法读取线索表（请先运行 zhifa init / zhifa db upgrade）[/red]: {type(exc).__name__}")
            raise typer.Exit(2) from exc
        sc = score(t, leads, rule, window=timedelta(minutes=window_min))
        if as_json:
            typer.echo(json.dumps(sc.as_dict(), ensure_ascii=False))
            return
        console.print(f"规则 {rule}: 准确率 precision {sc.precision:.3f}，召回率 recall {sc.recall:.3f} "
                      f"(tp {sc.tp}, fp {sc.fp}, fn {sc.fn}; 线索 {sc.leads}，真值 {sc.truth})")


