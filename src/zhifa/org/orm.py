"""Registries of the organisation: units, teams, sites, the road network, users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Unit(Base):
    """An enforcement unit at one administrative level (GB/T 2260 code)."""

    __tablename__ = "units"

    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))  # province | city | county
    # the unit above in enforcement terms; 省直管县 report to the province
    parent_code: Mapped[str | None] = mapped_column(String(6), index=True)
    # the prefecture-level city the area belongs to geographically (for statistics by city)
    city_code: Mapped[str | None] = mapped_column(String(6), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    plate_prefixes: Mapped[str | None] = mapped_column(String(16))
    directly_administered: Mapped[bool] = mapped_column(Boolean, default=False)


class Team(Base):
    """支队 / 大队 / 中队 of a unit."""

    __tablename__ = "teams"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.unit_code"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # detachment | brigade | squad


class Site(Base):
    """A place where records are made: gantry, toll station, WIM point, check station, video point."""

    __tablename__ = "sites"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.unit_code"), index=True)
    road: Mapped[str | None] = mapped_column(String(16))
    km_post: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[int | None] = mapped_column(Integer)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    functions: Mapped[list[Any] | None] = mapped_column(JSON)
    # WIM / weighing devices: accuracy class (JJG 907), whether the MPE is deducted, calibration
    device_class: Mapped[float | None] = mapped_column(Float)
    deduct_tolerance: Mapped[bool | None] = mapped_column(Boolean)
    calibrated_until: Mapped[datetime | None]
    built_on: Mapped[datetime | None]


class RoadSegment(Base):
    """A directed edge of the network that trips follow."""

    __tablename__ = "road_segments"

    segment_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    road: Mapped[str] = mapped_column(String(16))
    from_site: Mapped[str] = mapped_column(ForeignKey("sites.site_id"), index=True)
    to_site: Mapped[str] = mapped_column(ForeignKey("sites.site_id"), index=True)
    length_m: Mapped[int] = mapped_column(Integer)


class User(Base):
    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.unit_code"), index=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    site_id: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
