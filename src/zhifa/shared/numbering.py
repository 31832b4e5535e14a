"""Gap-free numbering inside the caller's transaction (a rolled-back number is reused, never skipped)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from zhifa.shared.orm import NumberCounter


def next_number(session: Session, *, kind: str, unit_code: str, year: int) -> int:
    """Increment and return the counter. The UPDATE takes the row lock until commit, so concurrent
    callers get consecutive numbers; the first caller of a year creates the row race-free."""
    bump = (
        update(NumberCounter)
        .where(NumberCounter.kind == kind, NumberCounter.unit_code == unit_code, NumberCounter.year == year)
        .values(last=NumberCounter.last + 1)
        .returning(NumberCounter.last)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        if session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        session.execute(
            insert(NumberCounter).values(kind=kind, unit_code=unit_code, year=year, last=0).on_conflict_do_nothing()
        )
        value = session.execute(bump).scalar_one()
    return int(value)
