"""One lead (线索) model for every detector and every review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("dedup_key", name="uq_leads_dedup_key"),
        Index("ix_leads_unit_status", "unit_code", "status"),
    )

    lead_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    rule: Mapped[str] = mapped_column(String(48), index=True)  # detector rule code (truth.kind)
    plate: Mapped[str | None] = mapped_column(String(16), index=True)
    plate_color: Mapped[str | None] = mapped_column(String(16))
    start: Mapped[datetime]
    end: Mapped[datetime]
    unit_code: Mapped[str] = mapped_column(String(6))
    site_id: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rule_version: Mapped[str | None] = mapped_column(String(48))
    dedup_key: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | confirmed | rejected
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None]
    case_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(index=True)  # dashboards and reports filter by it
