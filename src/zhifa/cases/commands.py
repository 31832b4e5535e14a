"""`zhifa cases …`: list, show, overdue (runs the deadline sweep), advance."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _staff(username: str | None):  # type: ignore[no-untyped-def]
    from zhifa.shared.access import SYSTEM, Actor, Role

    if not username:
        return SYSTEM
    from zhifa.bootstrap import build
    from zhifa.org.orm import User
    from zhifa.web.auth import actor_for_user, unit_tree

    c = build()
    with c.db.sessions() as s:
        from sqlalchemy import select

        user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            console.print(f"[red]用户 {username} 不存在[/red]")
            raise typer.Exit(2)
        actor = actor_for_user(user, unit_tree(c.db, s, need=user.unit_code))
    return actor if isinstance(actor, Actor) and actor.role is not Role.PARTY else SYSTEM


def register(app: typer.Typer) -> None:
    cases_app = typer.Typer(help="案件办理 (case handling): list, show, overdue, advance.", no_args_is_help=True)
    app.add_typer(cases_app, name="cases")

    @cases_app.command("list")
    def cases_list(
        status: str = typer.Option("", help="filter by status (registered, notified, …)"),
        overdue: bool = typer.Option(False, "--overdue", help="only cases flagged overdue"),
        limit: int = typer.Option(50),
    ) -> None:
        """List cases, newest first."""
        from zhifa.bootstrap import build
        from zhifa.cases import service
        from zhifa.cases.model import STATUS_LABELS_ZH, CaseStatus
        from zhifa.db.session import unit_of_work
        from zhifa.shared.access import SYSTEM

        c = build()
        with unit_of_work(c.db) as s:
            rows, total = service.list_cases(s, actor=SYSTEM, status=status or None, overdue=True if overdue else None, limit=limit)
            t = Table(title=f"案件 {len(rows)}/{total}")
            for col in ("case_id", "查询码", "当事人", "车牌", "事项", "罚款", "状态", "决定期限"):
                t.add_column(col)
            for r in rows:
                t.add_row(r.case_id, r.case_code, r.party_name, r.plate or "", r.catalogue_code,
                          str(r.fine_yuan if r.fine_yuan is not None else r.proposed_fine_yuan),
                          STATUS_LABELS_ZH[CaseStatus(r.status)] + (" 逾期" if r.overdue else ""), str(r.decision_due or ""))
            console.print(t)

    @cases_app.command("show")
    def cases_show(case_id: str) -> None:
        """One case with its timeline."""
        from zhifa.bootstrap import build
        from zhifa.cases import service
        from zhifa.db.session import unit_of_work
        from zhifa.shared.access import SYSTEM
        from zhifa.shared.errors import ZhifaError

        c = build()
        try:
            with unit_of_work(c.db) as s:
                case = service.access_case(s, SYSTEM, case_id)
                console.print(f"[bold]{case.case_code}[/bold] {case.party_name} {case.plate or ''} {case.catalogue_code} "
                              f"status={case.status} fine={case.fine_yuan} proposed={case.proposed_fine_yuan}")
                console.print(f"依据 {case.legal_basis}；决定期限 {case.decision_due}；申辩期限 {case.defence_due}；缴款期限 {case.payment_due}")
                for e in service.timeline(s, actor=SYSTEM, case_id=case_id):
                    console.print(f"  {e.ts:%Y-%m-%d %H:%M} {e.action} {e.actor} {e.reason or ''}")
        except ZhifaError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc

    @cases_app.command("overdue")
    def cases_overdue() -> None:
        """Run the deadline sweep now (reminders and overdue flags) and list the overdue cases."""
        from zhifa.bootstrap import build
        from zhifa.cases import service
        from zhifa.db.session import unit_of_work
        from zhifa.shared.access import SYSTEM

        c = build()
        with unit_of_work(c.db) as s:
            rep = service.sweep_deadlines(s, c.clock.now())
        console.print(f"checked {rep.checked}, new reminders {rep.reminders}, new overdue {rep.overdue}")
        with unit_of_work(c.db) as s:
            rows = service.due_within(s, actor=SYSTEM, today=c.clock.now().date())
            t = Table(title="到期与逾期")
            for col in ("case_id", "查询码", "当事人", "期限", "到期日"):
                t.add_column(col)
            for case, name, due in rows:
                t.add_row(case.case_id, case.case_code, case.party_name, name, str(due))
            console.print(t)

    @cases_app.command("advance")
    def cases_advance(
        case_id: str,
        target: str = typer.Argument(..., help="target status, e.g. investigating, notified, decided"),
        user: str = typer.Option(..., "--user", help="acting officer or legal reviewer (username)"),
        reason: str = typer.Option("", help="reason, where the step needs one"),
        fine: int = typer.Option(None, help="decided fine in yuan"),
        channel: str = typer.Option("electronic", help="service channel: electronic | direct | post"),
    ) -> None:
        """Move a case one step (the same guards as the web page); documents are issued."""
        from zhifa.bootstrap import build
        from zhifa.cases import service
        from zhifa.cases.documents import DocumentStore
        from zhifa.db.session import unit_of_work
        from zhifa.shared.errors import ZhifaError

        actor = _staff(user)
        c = build()
        try:
            with unit_of_work(c.db) as s:
                case = service.advance(s, actor=actor, case_id=case_id, target=target, now=c.clock.now(),
                                       reason=reason or None, fine_yuan=fine, service_channel=channel,
                                       docs=DocumentStore.from_settings(c.settings))
                console.print(f"[green]{case.case_code}: {case.status}[/green]")
        except ZhifaError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc
