"""CLI: `zhifa overload run|list|entry-rate|trace-back` and `zhifa credit compute|publish|export|sweep`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.shared.errors import ZhifaError

console = Console()


def _day(v: str) -> date:
    try:
        return date.fromisoformat(v)
    except ValueError as e:
        raise typer.BadParameter("日期格式应为 YYYY-MM-DD") from e


def register(app: typer.Typer) -> None:
    ov = typer.Typer(help="治超: overload determination, leads, entry overload rate, trace-back.", no_args_is_help=True)
    credit = typer.Typer(help="信用治超: the serious-dishonesty list.", no_args_is_help=True)
    app.add_typer(ov, name="overload")
    app.add_typer(credit, name="credit")

    @ov.command("run")
    def run(
        day: str = typer.Option(..., "--date", help="day of the lake, YYYY-MM-DD"),
        trace: bool = typer.Option(True, help="also create trace-back tasks"),
        rounding: str = typer.Option("", help="part-tonne rounding: floor|ceil|exact (UNVERIFIED default floor)"),
        severe_pct: int = typer.Option(0, help="severe overload above this rate in % (default 100)"),
    ) -> None:
        """Determine WIM, entry-weighing and static-weighing records of one day; store leads."""
        from zhifa.overload import service
        from zhifa.overload.ruledata import ruleset_for, with_overrides

        c = build()
        d = _day(day)
        rules = with_overrides(ruleset_for(d), rounding=rounding or None, severe_rate_pct=severe_pct or None)
        try:
            with unit_of_work(c.db) as s:
                rep = service.run_day(s, actor=SYSTEM, lake_dir=c.settings.lake_dir, day=d, now=c.clock.now(),
                                      rules=rules, evidence_dir=c.settings.evidence_dir)
                tasks = service.trace_back_day(s, actor=SYSTEM, lake_dir=c.settings.lake_dir, day=d,
                                               now=c.clock.now()) if trace else 0
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red]")
            raise typer.Exit(1) from e
        t = Table(title=f"超限认定 {d} (rule {rep.rule_version})")
        for col in ("来源", "记录", "超限", "未超限", "未认定", "百吨王", "严重"):
            t.add_column(col)
        for sr in rep.sources:
            k = sr.counts
            t.add_row(sr.source, str(sr.rows), str(k.get("violation", 0)), str(k.get("legal", 0)),
                      str(k.get("not_determined", 0)), str(k.get("is_100t", 0)), str(k.get("is_severe", 0)))
        console.print(t)
        for sr in rep.sources:
            reasons = {k[7:]: v for k, v in sr.counts.items() if k.startswith("reason:")}
            if reasons:
                console.print(f"{sr.source} 未认定原因: {reasons}")
        console.print(f"线索: 新建 {rep.leads_created}, 重复 {rep.leads_duplicate}; 倒查任务 {tasks}")

    @ov.command("list")
    def list_(
        severity: str = typer.Option("violation", help="violation|severe|100t|not_determined"),
        day: str = typer.Option("", "--date"),
        limit: int = typer.Option(50),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """List stored determinations."""
        from zhifa.overload import service

        c = build()
        d = _day(day) if day else None
        with unit_of_work(c.db) as s:
            rows, total = service.list_determinations(s, actor=SYSTEM, severity=severity or None, day_from=d,
                                                      day_to=d, limit=limit)
            items = [(x.measured_at.isoformat(), x.source, x.site_id, x.plate, x.gross_kg, x.limit_kg, x.excess_kg,
                      x.status, x.reason or "") for x in rows]
        if as_json:
            keys = ("measured_at", "source", "site_id", "plate", "gross_kg", "limit_kg", "excess_kg", "status", "reason")
            typer.echo(json.dumps([dict(zip(keys, i, strict=True)) for i in items], ensure_ascii=False))
            return
        t = Table(title=f"超限记录 {total} 条")
        for col in ("时间", "来源", "站点", "号牌", "总重", "限值", "超限", "结论", "原因"):
            t.add_column(col)
        for i in items:
            t.add_row(*(str(v) if v is not None else "" for v in i))
        console.print(t)

    @ov.command("evidence")
    def evidence_(lead_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """Check a lead's evidence bundle: every part against its SHA-256; exit 1 when one no longer matches."""
        from zhifa.overload import service

        c = build()
        try:
            with unit_of_work(c.db) as s:
                v = service.lead_evidence(s, actor=SYSTEM, lead_id=lead_id)
                rows = [
                    (p.get("source"), (p.get("record") or {}).get("record_id"), p.get("record_sha256"),
                     d.kind_source if d else None, d.limit_kg if d else None, d.excess_kg if d else None)
                    for p, d in zip(v.bundle.get("parts") or [], v.determinations, strict=True)
                ]
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red]")
            raise typer.Exit(1) from e
        if as_json:
            typer.echo(json.dumps({"lead_id": lead_id, "intact": v.intact, "problems": v.problems,
                                   "bundle_sha256": v.bundle.get("bundle_sha256")}, ensure_ascii=False))
        else:
            t = Table(title=f"证据包 {v.bundle.get('bundle_sha256', '')}")
            for col in ("来源", "记录", "SHA-256", "车型依据", "限值", "超限"):
                t.add_column(col)
            for row in rows:
                t.add_row(*(str(x) if x is not None else "" for x in row))
            console.print(t)
            console.print("[green]证据完整[/green]" if v.intact else f"[red]与摘要不一致: {'; '.join(v.problems)}[/red]")
        if not v.intact:
            raise typer.Exit(1)

    @ov.command("entry-rate")
    def entry_rate(month: str = typer.Option(..., help="YYYY-MM"), by: str = typer.Option("station")) -> None:
        """入口超限率 per station, city or province for a month."""
        from zhifa.overload import service

        c = build()
        try:
            with unit_of_work(c.db) as s:
                rows = service.entry_overload_rate(s, actor=SYSTEM, month=month, by=by)
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red]")
            raise typer.Exit(1) from e
        t = Table(title=f"入口超限率 {month}")
        for col in (by, "称重", "超限", "劝返", "超限率"):
            t.add_column(col)
        for x in rows:
            t.add_row(str(x[by]), str(x["weighed"]), str(x["over_limit"]), str(x["refused"]), f"{x['rate'] * 100:.3f}%")
        console.print(t)

    @ov.command("trace-back")
    def trace_back(day: str = typer.Option(..., "--date")) -> None:
        """Create trace-back (倒查) tasks for the day's overload leads."""
        from zhifa.overload import service

        c = build()
        with unit_of_work(c.db) as s:
            n = service.trace_back_day(s, actor=SYSTEM, lake_dir=c.settings.lake_dir, day=_day(day), now=c.clock.now())
        console.print(f"倒查任务: {n}")

    @credit.command("compute")
    def compute() -> None:
        """List trucks, drivers and enterprises meeting a serious-dishonesty criterion."""
        from zhifa.credit import service

        c = build()
        with unit_of_work(c.db) as s:
            rep = service.compute(s, actor=SYSTEM, now=c.clock.now())
            exited = service.sweep_exits(s, actor=SYSTEM, now=c.clock.now())
        console.print(f"新列入 {rep.created}: {rep.by_criterion}; 期满移出 {exited}")

    @credit.command("publish")
    def publish(listing_id: str) -> None:
        """Publish one pending listing (a listed truck is put on the watch-list)."""
        from zhifa.credit import service

        c = build()
        try:
            with unit_of_work(c.db) as s:
                row = service.publish(s, actor=SYSTEM, listing_id=listing_id, now=c.clock.now())
                console.print(f"已公布，{row.exit_on} 移出公开名单；布控 {row.watch_entry_id or '未布控'}")
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red]")
            raise typer.Exit(1) from e

    @credit.command("export")
    def export(
        fmt: str = typer.Option("csv", "--format", help="csv|json"),
        out: Path = typer.Option(None, "--out", help="file; default stdout"),
        status: str = typer.Option("published", help="pending|published|exited|all"),
    ) -> None:
        """Export the list (columns: zhifa.credit.service.EXPORT_COLUMNS)."""
        from zhifa.credit import service

        c = build()
        with unit_of_work(c.db) as s:
            text = service.export(s, actor=SYSTEM, fmt=fmt, status=None if status == "all" else status)
        if out:
            out.write_text(text, encoding="utf-8")
            console.print(f"written {out}")
        else:
            typer.echo(text)
