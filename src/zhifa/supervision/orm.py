"""Tables of supervision: work orders, inspections, interviews, accountability, joint operations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class WorkOrder(Base):
    """督办/交办 工单."""

    __tablename__ = "work_orders"
    __table_args__ = (UniqueConstraint("number", name="uq_work_orders_number"),)

    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(48))
    issued_by_unit: Mapped[str] = mapped_column(String(6), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # 承办单位
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(24))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    params_version: Mapped[str] = mapped_column(String(24))
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(Text)
    assigned_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(64))


class InspectionRound(Base):
    """明查暗访 一轮."""

    __tablename__ = "inspection_rounds"

    round_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # open | secret
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # organising unit
    units_visited: Mapped[list[Any]] = mapped_column(JSON, default=list)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]


class InspectionFinding(Base):
    __tablename__ = "inspection_findings"

    finding_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # the unit where it was found
    description: Mapped[str] = mapped_column(Text)
    order_id: Mapped[str | None] = mapped_column(String(32))  # the rectification order
    rectified: Mapped[bool] = mapped_column(Boolean, default=False)
    found_on: Mapped[date] = mapped_column(Date)
    rectified_on: Mapped[date | None] = mapped_column(Date)


class Interview(Base):
    """约谈 of a unit or a company."""

    __tablename__ = "interviews"

    interview_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    subject: Mapped[str] = mapped_column(String(200))  # the unit or the company interviewed
    reason: Mapped[str] = mapped_column(Text)
    held_on: Mapped[date] = mapped_column(Date)
    by_unit: Mapped[str] = mapped_column(String(6))


class Accountability(Base):
    """组织处理 / 移交司法 of an officer."""

    __tablename__ = "accountability"

    record_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    officer_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))  # organisational | judicial
    measure: Mapped[str] = mapped_column(String(64))  # 诫勉谈话, 政务警告, 降级, 开除, 移交司法 …
    reason: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(32))
    decided_on: Mapped[date] = mapped_column(Date)


class JointOperation(Base):
    """联合执法专项行动."""

    __tablename__ = "joint_operations"

    operation_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    partners: Mapped[list[Any]] = mapped_column(JSON, default=list)  # 公安交警, 文化市场 …
    areas: Mapped[list[Any]] = mapped_column(JSON, default=list)  # unit codes
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    vehicles_checked: Mapped[int] = mapped_column(Integer, default=0)
    vehicles_handled: Mapped[int] = mapped_column(Integer, default=0)
    case_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
