"""CLI: `zhifa ingest FILE...` and `zhifa quarantine list`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()


def register(app: typer.Typer) -> None:
    quarantine_app = typer.Typer(
        help="Rows refused at ingest, with their reasons (隔离区).", no_args_is_help=True
    )
    app.add_typer(quarantine_app, name="quarantine")

    @app.command("ingest")
    def ingest(
        files: list[Path] = typer.Argument(..., help="CSV (with header), Parquet or JSON-lines files"),
        table: str | None = typer.Option(
            None, "--table", "-t", help="the table, when the columns alone do not say"
        ),
    ) -> None:
        """Validate and load record or registry files; bad rows are quarantined with their reason."""
        from zhifa.bootstrap import build
        from zhifa.records.service import ingest_file
        from zhifa.shared.access import SYSTEM
        from zhifa.shared.errors import ZhifaError

        c = build()
        failed = 0
        results = Table("文件", "表", "读取", "入库", "重复", "隔离")
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("导入", total=len(files))
            for f in files:
                progress.update(task, description=f"导入 {f.name}")
                try:
                    rep = ingest_file(c, f, actor=SYSTEM, now=c.clock.now(), table=table)
                except ZhifaError as e:
                    failed += 1
                    progress.console.print(f"[red]失败[/red] {e.message}")
                    results.add_row(f.name, "-", "-", "-", "-", "-")
                else:
                    results.add_row(
                        f.name,
                        rep.table,
                        str(rep.rows_read),
                        str(rep.ingested + rep.updated),
                        str(rep.duplicates),
                        str(rep.quarantined),
                    )
                progress.advance(task)
        console.print(results)
        if failed:
            console.print(f"[red]{failed} 个文件未能导入[/red]")
            raise typer.Exit(1)

    @quarantine_app.command("list")
    def quarantine_list(
        table: str | None = typer.Option(None, "--table", "-t", help="only this table"),
        limit: int = typer.Option(50, "--limit", "-n", help="at most this many rows"),
    ) -> None:
        """The most recently quarantined rows and why."""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.records.service import list_quarantine
        from zhifa.shared.access import SYSTEM

        c = build()
        with unit_of_work(c.db) as s:
            rows = list_quarantine(s, actor=SYSTEM, table=table, limit=limit)
            out = Table("表", "文件", "行", "记录号", "原因")
            for q in rows:
                out.add_row(
                    q.table_name, Path(q.source_file).name, str(q.row_no), q.record_id or "", q.reason
                )
        console.print(out if rows else "隔离区为空")
