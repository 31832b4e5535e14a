"""CLI: `zhifa users create|demo|list` and `zhifa serve`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

console = Console()

# One account per role (DESIGN.md "Who uses it"); unit codes are GB/T 2260.
DEMO_USERS: tuple[dict[str, str | None], ...] = (
    {"username": "admin", "role": "admin", "unit": "410000", "name": "省局管理员", "password": "admin-demo-2022"},
    {"username": "analyst_ha", "role": "analyst", "unit": "410000", "name": "省指挥中心研判员", "password": "analyst-demo-2022"},
    {"username": "analyst_zz", "role": "analyst", "unit": "410100", "name": "郑州市研判员", "password": "analyst-zz-2022"},
    {"username": "officer_zz", "role": "officer", "unit": "410100", "name": "郑州市执法人员", "password": "officer-zz-2022"},
    {"username": "officer_gy", "role": "officer", "unit": "410181", "name": "巩义市执法人员", "password": "officer-gy-2022"},
    {"username": "legal_ha", "role": "legal_reviewer", "unit": "410000", "name": "省局法制审核员", "password": "legal-demo-2022"},
    {"username": "supervisor_ha", "role": "supervisor", "unit": "410000", "name": "省局执法监督", "password": "supervisor-demo-2022"},
    {"username": "toll_zz", "role": "toll_operator", "unit": "410100", "name": "收费站值班员", "password": "toll-demo-2022"},
)


def _toll_station(session, unit_code: str) -> tuple[str | None, str]:  # type: ignore[no-untyped-def]
    """A toll station for the demo toll operator: one in `unit_code` if any, else any in the province."""
    from sqlalchemy import select

    from zhifa.org.orm import Site, Unit
    from zhifa.shared.access import descendants

    parents = dict(session.execute(select(Unit.unit_code, Unit.parent_code)).tuples().all())
    mine = sorted(descendants(unit_code, parents))
    for where in ((Site.kind == "toll_station", Site.unit_code.in_(mine)), (Site.kind == "toll_station",)):
        row = session.execute(select(Site.site_id, Site.unit_code).where(*where).order_by(Site.site_id).limit(1)).first()
        if row:
            return row.site_id, row.unit_code
    return None, unit_code


def create_demo_users(container, *, reset_passwords: bool = False) -> list[dict[str, str | None]]:  # type: ignore[no-untyped-def]
    """Create the demo accounts that do not exist yet; returns the rows (with passwords) for printing."""
    from sqlalchemy import select

    from zhifa.db.session import unit_of_work
    from zhifa.org.orm import User
    from zhifa.web.auth import create_user, hash_password

    out = []
    with unit_of_work(container.db) as s:
        now = container.clock.now()
        for d in DEMO_USERS:
            unit, site_id = str(d["unit"]), None
            if d["role"] == "toll_operator":
                site_id, unit = _toll_station(s, unit)
            existing = s.execute(select(User).where(User.username == d["username"])).scalar_one_or_none()
            status = "exists"
            if existing is None:
                create_user(
                    s, username=str(d["username"]), password=str(d["password"]), role=str(d["role"]),
                    unit_code=unit, display_name=str(d["name"]), site_id=site_id, now=now,
                )
                status = "created"
            elif reset_passwords:
                existing.password_hash = hash_password(str(d["password"]))
                status = "password reset"
            out.append({**d, "unit": unit, "site_id": site_id, "status": status})
    return out


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="User accounts (staff).", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("create")
    def users_create(
        username: str = typer.Option(..., help="login name"),
        role: str = typer.Option(..., help="analyst | officer | legal_reviewer | supervisor | toll_operator | admin"),
        unit: str = typer.Option(..., help="unit code (GB/T 2260), e.g. 410100"),
        password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
        display_name: str = typer.Option("", help="name shown in the interface"),
        site: str | None = typer.Option(None, help="toll station site id (toll_operator)"),
    ) -> None:
        """Create a user account; the password is stored as an argon2 hash only."""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.shared.errors import ZhifaError
        from zhifa.web.auth import create_user

        c = build()
        try:
            with unit_of_work(c.db) as s:
                u = create_user(
                    s, username=username, password=password, role=role, unit_code=unit,
                    display_name=display_name, site_id=site, now=c.clock.now(),
                )
                uid = u.user_id
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red]")
            raise typer.Exit(1) from e
        console.print(f"[green]created[/green] {username} ({role}, {unit}) id={uid}")

    @users_app.command("demo")
    def users_demo(
        reset_passwords: bool = typer.Option(False, help="reset the demo passwords of existing accounts"),
    ) -> None:
        """Create one demo account per role and print them with their passwords (local use only)."""
        from zhifa.bootstrap import build
        from zhifa.shared.errors import ZhifaError

        c = build()
        if c.settings.env not in {"local", "test"}:
            console.print("[red]demo accounts are for local/test environments only[/red]")
            raise typer.Exit(1)
        try:
            rows = create_demo_users(c, reset_passwords=reset_passwords)
        except ZhifaError as e:
            console.print(f"[red]{e.message}[/red] (load the units first: reference data)")
            raise typer.Exit(1) from e
        # Plain lines (not a table) so that no password is ever cut off on a narrow terminal.
        typer.echo(f"{'username':<15}{'password':<22}{'role':<16}{'unit':<8}{'site':<14}status  name")
        for r in rows:
            typer.echo(
                f"{r['username']!s:<15}{r['password']!s:<22}{r['role']!s:<16}{r['unit']!s:<8}"
                f"{(r['site_id'] or '-')!s:<14}{r['status']!s:<8}{r['name']}"
            )

    @users_app.command("list")
    def users_list() -> None:
        """List user accounts (no hashes)."""
        from sqlalchemy import select

        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.org.orm import User

        c = build()
        t = Table()
        for col in ("username", "role", "unit", "site", "active"):
            t.add_column(col)
        with unit_of_work(c.db) as s:
            for u in s.execute(select(User).order_by(User.unit_code, User.username)).scalars():
                t.add_row(u.username, u.role, u.unit_code, u.site_id or "", "yes" if u.active else "no")
        console.print(t)

    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="address to listen on"),
        port: int = typer.Option(8000, help="port"),
        reload: bool = typer.Option(False, help="reload on code changes (development)"),
    ) -> None:
        """Serve the web application (uvicorn)."""
        import uvicorn

        if reload:
            uvicorn.run("zhifa.web.asgi:app", host=host, port=port, reload=True, factory=False)
            return
        from zhifa.bootstrap import build
        from zhifa.web.app import create_app

        uvicorn.run(create_app(build()), host=host, port=port, proxy_headers=False)
