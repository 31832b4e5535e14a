"""Oversize transport permits (大件运输许可, 《超限运输车辆通行证》), schemas.md `oversize_permits`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class OversizePermit(Base):
    __tablename__ = "oversize_permits"

    permit_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    permit_class: Mapped[int] = mapped_column("class", Integer)  # 1 | 2 | 3 (Order 62 Art. 15)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[str] = mapped_column(String(16))
    trailer_plate: Mapped[str | None] = mapped_column(String(16))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    cargo: Mapped[str | None] = mapped_column(String(128))
    length_mm: Mapped[int] = mapped_column(Integer)
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)
    gross_weight_kg: Mapped[int] = mapped_column(Integer)
    axle_count: Mapped[int | None] = mapped_column(Integer)
    route: Mapped[list[Any]] = mapped_column(JSON)  # as issued: ordered site ids or segment ids
    route_sites: Mapped[list[Any]] = mapped_column(JSON)  # the route expanded to every site on the path
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime]
    allowed_hours: Mapped[str | None] = mapped_column(String(32))  # e.g. "22:00-06:00"; None = any time
    escort: Mapped[bool] = mapped_column(Boolean, default=False)  # escort plan required (class III)
    unit_code: Mapped[str] = mapped_column(String(6), default="410000")  # issuing authority
    created_at: Mapped[datetime]
