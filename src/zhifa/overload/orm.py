"""Overload tables: determinations (with the rule version), runs, entry-weighing statistics,
trace-back tasks (倒查) and notices (违法告知)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class OverloadRun(Base):
    """One determination run over one day of one record table; counts by status and quarantine reason."""

    __tablename__ = "overload_runs"

    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(16))  # wim | entry | static
    rule_version: Mapped[str] = mapped_column(String(160))
    rows: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class OverloadDetermination(Base):
    """A violating or undeterminable record (legal records are only counted)."""

    __tablename__ = "overload_determinations"
    __table_args__ = (
        UniqueConstraint("source", "record_id", name="uq_overload_determinations_source_record"),
        Index("ix_overload_det_unit_time", "unit_code", "measured_at"),
    )

    det_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[str | None] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6))
    measured_at: Mapped[datetime] = mapped_column(index=True)  # province-wide time queries
    plate: Mapped[str | None] = mapped_column(String(16), index=True)
    plate_color: Mapped[str | None] = mapped_column(String(16))
    axle_count: Mapped[int | None] = mapped_column(Integer)
    vehicle_kind: Mapped[str | None] = mapped_column(String(24))
    kind_source: Mapped[str | None] = mapped_column(String(16))  # device | registry | unknown
    gross_kg: Mapped[int | None] = mapped_column(Integer)
    limit_kg: Mapped[int | None] = mapped_column(Integer)
    tolerance_kg: Mapped[int] = mapped_column(Integer, default=0)
    judged_kg: Mapped[int | None] = mapped_column(Integer)
    excess_kg: Mapped[int] = mapped_column(Integer, default=0)
    excess_rate: Mapped[float] = mapped_column(Float, default=0.0)
    over_height_mm: Mapped[int] = mapped_column(Integer, default=0)
    over_width_mm: Mapped[int] = mapped_column(Integer, default=0)
    over_length_mm: Mapped[int] = mapped_column(Integer, default=0)
    mass_violation: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), index=True)  # violation | not_determined
    reason: Mapped[str | None] = mapped_column(String(32))
    is_100t: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_severe: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_version: Mapped[str] = mapped_column(String(160))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    event_key: Mapped[str | None] = mapped_column(String(160), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime]


class EntryWeighStat(Base):
    """Entry weighing (入口称重) per toll station and day: weighed, over the limit (= refused, 劝返)."""

    __tablename__ = "overload_entry_stats"
    __table_args__ = (UniqueConstraint("day", "station_id", name="uq_overload_entry_stats_day"),)

    stat_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    station_id: Mapped[str] = mapped_column(String(32))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    weighed: Mapped[int] = mapped_column(Integer)
    over_limit: Mapped[int] = mapped_column(Integer)
    refused: Mapped[int] = mapped_column(Integer)
    not_determined: Mapped[int] = mapped_column(Integer, default=0)
    rule_version: Mapped[str] = mapped_column(String(160))


class TraceBackTask(Base):
    """倒查: an overloaded truck traced to its likely loading source; the task goes to the source's unit."""

    __tablename__ = "overload_traceback_tasks"
    __table_args__ = (UniqueConstraint("lead_id", name="uq_overload_traceback_tasks_lead_id"),)

    task_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lead_id: Mapped[str] = mapped_column(String(32))
    plate: Mapped[str | None] = mapped_column(String(16), index=True)
    plate_color: Mapped[str | None] = mapped_column(String(16))
    weighed_at: Mapped[datetime]
    source_enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    source_name: Mapped[str | None] = mapped_column(String(128))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # the source's unit (or the site's)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    basis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    outcome: Mapped[str | None] = mapped_column(String(24))  # rectification_order | penalty | no_violation
    outcome_note: Mapped[str | None] = mapped_column(Text)
    fine_yuan: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))


class OverloadNotice(Base):
    """违法告知: the PDF notice to the party, stored by SHA-256."""

    __tablename__ = "overload_notices"

    notice_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lead_id: Mapped[str] = mapped_column(String(32), index=True)
    case_id: Mapped[str | None] = mapped_column(String(32))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    party_name: Mapped[str] = mapped_column(String(128))
    party_kind: Mapped[str] = mapped_column(String(16))
    proposed_fine_yuan: Mapped[int] = mapped_column(Integer)
    file_path: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class HeldVehicle(Base):
    """逾期未处理车辆 (O8): a vehicle held at a check station; overdue once its deadline passes uncleared."""

    __tablename__ = "held_vehicles"

    held_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    reason: Mapped[str] = mapped_column(Text)
    held_at: Mapped[datetime] = mapped_column(index=True)
    deadline: Mapped[datetime]
    rule_version: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="held")  # held | cleared
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)  # set by the sweep, kept after clearing
    service_note: Mapped[str | None] = mapped_column(Text)  # the "一对一" service given
    cleared_at: Mapped[datetime | None]
    cleared_by: Mapped[str | None] = mapped_column(String(64))
