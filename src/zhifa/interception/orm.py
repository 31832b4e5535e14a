"""Tables of the watch-list (布控), its hits, interception tasks and outcomes, forwarded leads (抄告)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class WatchlistEntry(Base):
    """One watch-list entry (schemas.md `watchlist` columns plus legal basis, approver and scope)."""

    __tablename__ = "watchlist"
    __table_args__ = (Index("ix_watchlist_plate_color", "plate", "plate_color"),)

    entry_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # manual | detector | forwarded | credit
    issued_by_unit: Mapped[str] = mapped_column(String(6), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 1 highest
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | revoked
    legal_basis: Mapped[str | None] = mapped_column(Text)
    case_no: Mapped[str | None] = mapped_column(String(64))
    approver: Mapped[str | None] = mapped_column(String(64))
    scope_stations: Mapped[list[Any] | None] = mapped_column(JSON)
    scope_hours: Mapped[str | None] = mapped_column(String(16))
    vehicle_class: Mapped[int | None] = mapped_column(Integer)
    axle_count: Mapped[int | None] = mapped_column(Integer)
    source_ref: Mapped[str | None] = mapped_column(String(64))  # lead id, forwarded lead id, credit id
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class WatchHit(Base):
    """A record that matched an entry. (record_id, entry_id) is unique: a record is never a hit twice."""

    __tablename__ = "watch_hits"
    __table_args__ = (UniqueConstraint("record_id", "entry_id", name="uq_watch_hits_record_entry"),)

    hit_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(32), index=True)
    record_kind: Mapped[str] = mapped_column(String(8))  # gantry | entry | exit
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    event_time: Mapped[datetime] = mapped_column(index=True)
    plate_read: Mapped[str] = mapped_column(String(16))
    plate: Mapped[str] = mapped_column(String(16))  # the listed plate
    plate_color: Mapped[str] = mapped_column(String(16))
    vehicle_class: Mapped[int | None] = mapped_column(Integer)
    axle_count: Mapped[int | None] = mapped_column(Integer)
    match_kind: Mapped[str] = mapped_column(String(16))  # exact | lookalike
    confidence: Mapped[float] = mapped_column(Float)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    lag_s: Mapped[float | None] = mapped_column(Float)
    whitelisted: Mapped[bool | None] = mapped_column(Boolean)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # the issuing unit of the entry
    created_at: Mapped[datetime]


class WatchLastSeen(Base):
    """Where a listed vehicle was last seen (by event time), for the live map."""

    __tablename__ = "watch_last_seen"

    entry_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(32))
    event_time: Mapped[datetime]
    record_id: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)


class InterceptTask(Base):
    """An interception task at one toll station for one listed vehicle; ends with one outcome."""

    __tablename__ = "intercept_tasks"
    __table_args__ = (
        Index("ix_intercept_tasks_station_status", "station_id", "status"),
        Index("ix_intercept_tasks_entry_status", "entry_id", "status"),
    )

    task_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hit_id: Mapped[str] = mapped_column(String(32), index=True)  # the hit that created it
    last_hit_id: Mapped[str] = mapped_column(String(32))  # the latest hit that updated it
    entry_id: Mapped[str] = mapped_column(String(32))
    plate: Mapped[str] = mapped_column(String(16))
    plate_color: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # the station's unit
    priority: Mapped[int] = mapped_column(Integer, default=2)
    distance_m: Mapped[int] = mapped_column(Integer)
    eta: Mapped[datetime]
    deadline: Mapped[datetime] = mapped_column(index=True)
    last_event_time: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | withdrawn
    outcome: Mapped[str | None] = mapped_column(String(16))
    findings: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(32))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_late: Mapped[bool | None] = mapped_column(Boolean)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]


class ForwardedLead(Base):
    """A lead forwarded by another unit or province (抄告): receive, assign, handle, close."""

    __tablename__ = "forwarded_leads"
    __table_args__ = (UniqueConstraint("source_unit", "external_ref", name="uq_forwarded_leads_source_ref"),)

    lead_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_ref: Mapped[str] = mapped_column(String(64))
    source_unit: Mapped[str] = mapped_column(String(64))  # sender's unit code or name
    source_province: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))  # e.g. overload | illegal_operation | third_class
    plate: Mapped[str | None] = mapped_column(String(16), index=True)
    plate_color: Mapped[str | None] = mapped_column(String(16))
    occurred_at: Mapped[datetime | None]
    location: Mapped[str | None] = mapped_column(String(128))
    facts: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any] | None] = mapped_column(JSON)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # the unit that must handle it
    assignee: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="received")
    due_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(Text)
    watch_entry_id: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class StreamDeadLetter(Base):
    """A stream message the matcher could not read, kept with its reason (never silently dropped)."""

    __tablename__ = "stream_dead_letters"
    # a re-delivered message is looked up before it is kept again (zhifa.interception.service.record_dead_letter)
    __table_args__ = (Index("ix_stream_dead_letters_stream_message", "stream", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
