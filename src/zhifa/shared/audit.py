"""Audit: every change writes an event in the same transaction; `verify_chain` proves the log unbroken."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from zhifa.shared.access import Actor
from zhifa.shared.clock import TZ
from zhifa.shared.orm import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    """JSON-safe, stable form of before/after values."""
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps({"prev": prev_hash, **fields}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _hashed_fields(e: AuditEvent) -> dict[str, Any]:
    ts = e.ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return {
        "seq": e.seq,
        "ts": ts,
        "actor": e.actor,
        "role": e.role,
        "unit_code": e.unit_code,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "before": e.before,
        "after": e.after,
        "reason": e.reason,
    }


def _create_head(session: Session) -> None:
    """The first writer creates the head row; a concurrent first writer's insert is a no-op."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(AuditHead).values(id=1, seq=0, last_hash=GENESIS).on_conflict_do_nothing())


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    unit_code: str | None = None,
    now: datetime | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    Three statements: bump the head (its row lock serialises writers until commit) returning the sequence
    and the previous hash, insert the event, store its hash in the head."""
    bump = (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(bump).one_or_none()
    if row is None:
        _create_head(session)
        row = session.execute(bump).one()
    seq, prev_hash = row
    ev = AuditEvent(
        seq=seq,
        ts=now or datetime.now(TZ),
        actor=actor.username,
        role=str(actor.role),
        unit_code=unit_code or actor.unit_code,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_canonical(before),
        after=_canonical(after),
        reason=reason,
        request_id=request_id,
        prev_hash=prev_hash,
        hash="",
    )
    ev.hash = event_hash(prev_hash, _hashed_fields(ev))
    session.execute(insert(AuditEvent), [{c: getattr(ev, c) for c in _COLUMNS}])
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_hash=ev.hash).execution_options(synchronize_session=False)
    )
    return ev


_COLUMNS = tuple(c.key for c in AuditEvent.__table__.columns)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    first_broken_seq: int | None = None
    problem: str | None = None


def _iter_events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; report the first row whose content or link does not match."""
    prev = GENESIS
    expected_seq = 1
    n = 0
    for e in _iter_events(session):
        n += 1
        if e.seq != expected_seq:
            return ChainReport(n, False, expected_seq, f"row {expected_seq} is missing")
        if e.prev_hash != prev:
            return ChainReport(n, False, e.seq, "link to the previous row does not match")
        if event_hash(prev, _hashed_fields(e)) != e.hash:
            return ChainReport(n, False, e.seq, "content does not match its hash")
        prev = e.hash
        expected_seq += 1
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != prev:
        return ChainReport(n, False, expected_seq, "rows after the last one were removed")
    return ChainReport(n, True)


def history(session: Session, object_type: str, object_id: str) -> list[AuditEvent]:
    """The timeline of one object, oldest first (case timelines read from here)."""
    return list(
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.seq)
        ).scalars()
    )
