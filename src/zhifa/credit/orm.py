"""Credit listings (严重违法失信名单): one row per subject, criterion and entry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class CreditListing(Base):
    __tablename__ = "credit_listings"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "criterion", "entered_on", name="uq_credit_listings_entry"),
    )

    listing_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16), index=True)  # truck | driver | enterprise
    subject_id: Mapped[str] = mapped_column(String(64), index=True)  # plate:colour | driver_id | enterprise_id
    subject_name: Mapped[str] = mapped_column(String(128))
    plate: Mapped[str | None] = mapped_column(String(16))
    plate_color: Mapped[str | None] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    violation_count: Mapped[int] = mapped_column(Integer)
    event_refs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    entered_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    exit_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | published | exited
    rule_version: Mapped[str] = mapped_column(String(48))
    watch_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    watch_entry_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
