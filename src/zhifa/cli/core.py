"""Core commands: database schema and the audit chain."""

from __future__ import annotations

import typer
from rich.console import Console

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work

console = Console()


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database schema (alembic migrations).", no_args_is_help=True)
    audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
    app.add_typer(db_app, name="db")
    app.add_typer(audit_app, name="audit")

    @db_app.command("upgrade")
    def db_upgrade(revision: str = typer.Argument("head", help="target revision")) -> None:
        """Apply migrations up to REVISION (default: head)."""
        from zhifa.db.migrate import upgrade

        c = build()
        upgrade(c.settings.sqlalchemy_url, revision)
        console.print(f"[green]database at {revision}[/green]: {c.settings.sqlalchemy_url}")

    @audit_app.command("verify")
    def audit_verify() -> None:
        """Recompute the hash chain; exit 1 and name the first broken row if any was altered."""
        from zhifa.shared.audit import verify_chain

        c = build()
        with unit_of_work(c.db) as s:
            rep = verify_chain(s)
        if rep.ok:
            console.print(f"[green]audit chain intact[/green]: {rep.checked} events")
            return
        console.print(f"[red]audit chain broken at event {rep.first_broken_seq}[/red]: {rep.problem}")
        raise typer.Exit(1)
