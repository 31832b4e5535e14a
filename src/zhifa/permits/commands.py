"""`zhifa permits import FILE` and `zhifa permits list`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _read(path: Path):  # type: ignore[no-untyped-def]
    import pandas as pd

    suf = path.suffix.lower()
    if suf == ".parquet":
        return pd.read_parquet(path)
    if suf in {".json", ".jsonl", ".ndjson"}:
        return pd.read_json(path, lines=suf != ".json")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def register(app: typer.Typer) -> None:
    permits_app = typer.Typer(help="大件运输许可 Oversize transport permits.", no_args_is_help=True)
    app.add_typer(permits_app, name="permits")

    @permits_app.command("import")
    def import_(file: Path = typer.Argument(..., exists=True, help="CSV, Parquet or JSON lines")) -> None:
        """Register permits; rows with impossible routes are refused with the reason (exit 1 if any)."""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.permits.service import import_permits
        from zhifa.shared.access import SYSTEM

        c = build()
        frame = _read(file)
        with unit_of_work(c.db) as s:
            rep = import_permits(s, actor=SYSTEM, frame=frame, now=c.clock.now())
        console.print(f"新增 {rep.created}，更新 {rep.updated}，拒绝 {len(rep.refused)}")
        for no, reason in rep.refused:
            console.print(f"[red]拒绝[/red] {no}: {reason}")
        if rep.refused:
            raise typer.Exit(1)

    @permits_app.command("list")
    def list_(plate: str = typer.Option(None, "--plate"), limit: int = typer.Option(50, "--limit")) -> None:
        """List permits, newest validity first."""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.permits.service import list_permits
        from zhifa.shared.access import SYSTEM

        c = build()
        with unit_of_work(c.db) as s:
            rows = list_permits(s, actor=SYSTEM, plate=plate, limit=limit)
            t = Table(title=f"大件运输许可 {len(rows)}")
            for col in ("permit_no", "class", "plate", "valid", "hours", "route"):
                t.add_column(col)
            for p in rows:
                route = " → ".join(p.route_sites[:4]) + (" …" if len(p.route_sites) > 4 else "")
                t.add_row(p.permit_no, str(p.permit_class), f"{p.plate} {p.plate_color}",
                          f"{p.valid_from:%Y-%m-%d %H:%M} ~ {p.valid_to:%Y-%m-%d %H:%M}", p.allowed_hours or "全天", route)
        console.print(t)
