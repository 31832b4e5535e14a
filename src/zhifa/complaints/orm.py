"""Tables: complaints, their notices to reporters, rewards, uploads; height/width barriers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Complaint(Base):
    __tablename__ = "complaints"

    complaint_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    road: Mapped[str | None] = mapped_column(String(16))
    km_post: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[Any]] = mapped_column(JSON, default=list)  # sha256 of stored uploads
    real_name: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_name: Mapped[str | None] = mapped_column(String(32))
    reporter_phone: Mapped[str | None] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # responsible unit
    barrier_id: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    merged_into: Mapped[str | None] = mapped_column(String(32), index=True)
    order_id: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)  # 1–5 from the reporter
    reward_yuan: Mapped[int | None] = mapped_column(Integer)
    opinion_incident: Mapped[bool] = mapped_column(Boolean, default=False)  # 网络负面舆情
    channel: Mapped[str] = mapped_column(String(16), default="web")  # web | open311 | hotline
    created_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class ComplaintNotice(Base):
    """What a reporter sees under their receipt code (merges, progress, result)."""

    __tablename__ = "complaint_notices"

    notice_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(String(32), index=True)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Upload(Base):
    """An uploaded file stored outside the web root under its SHA-256."""

    __tablename__ = "uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Barrier(Base):
    """限高限宽设施 on a road."""

    __tablename__ = "barriers"

    barrier_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    road: Mapped[str] = mapped_column(String(16))
    km_post: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    height_limit_mm: Mapped[int | None] = mapped_column(Integer)
    width_limit_mm: Mapped[int | None] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(100))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    approval_no: Mapped[str | None] = mapped_column(String(64))  # 审批备案
    signboard: Mapped[bool] = mapped_column(Boolean, default=False)  # 公示牌
    registered_on: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
