"""Tables of road administration: road sections, patrols and findings, rectification notices,
remote-sensing tasks, roadside advertising, model-road evaluation rounds.

Geometries are GeoJSON text in lon/lat (WGS 84); the maths is done with Shapely in UTM (roads.geo).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Road(Base):
    """A section of a road that one unit administers and patrols (路段)."""

    __tablename__ = "roads"

    road_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)  # G107, S312, X021 …
    name: Mapped[str] = mapped_column(String(64))
    section: Mapped[str] = mapped_column(String(64))  # 郑州段 K680–K700
    road_class: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.unit_code"), index=True)
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON LineString, lon/lat
    road_land_half_m: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Patrol(Base):
    """One patrol of a road section (巡查), started on a handheld; `client_uuid` makes uploads idempotent."""

    __tablename__ = "road_patrols"

    patrol_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    road_id: Mapped[str] = mapped_column(ForeignKey("roads.road_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    officer: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]


class Finding(Base):
    """What a patrol found (路域环境问题) with position, photos and category."""

    __tablename__ = "road_findings"

    finding_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    patrol_id: Mapped[str] = mapped_column(ForeignKey("road_patrols.patrol_id"), index=True)
    road_id: Mapped[str] = mapped_column(ForeignKey("roads.road_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    officer: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(24), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"sha256", "bytes", "type"}]
    recorded_at: Mapped[datetime]
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    case_id: Mapped[str | None] = mapped_column(String(32))
    notice_id: Mapped[str | None] = mapped_column(String(32))
    task_id: Mapped[str | None] = mapped_column(String(32))


class RectificationNotice(Base):
    """责令改正通知 for a finding, with its deadline on the working-day calendar."""

    __tablename__ = "road_notices"

    notice_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("road_findings.finding_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    party_name: Mapped[str] = mapped_column(String(128))
    requirement: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime]
    officer: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[str] = mapped_column(String(32))


class ChangeTask(Base):
    """A patrol task from remote sensing: a new structure in a road's protected area, with chips."""

    __tablename__ = "road_change_tasks"

    task_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(96), unique=True)
    lead_id: Mapped[str | None] = mapped_column(String(32), index=True)
    road_id: Mapped[str] = mapped_column(ForeignKey("roads.road_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    polygon: Mapped[str] = mapped_column(Text)  # GeoJSON, lon/lat
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Float)
    where: Mapped[str] = mapped_column(String(16))  # road_land | control_zone
    chip_before: Mapped[str] = mapped_column(String(64))  # sha256 of the PNG
    chip_after: Mapped[str] = mapped_column(String(64))
    date_before: Mapped[str | None] = mapped_column(String(10))
    date_after: Mapped[str | None] = mapped_column(String(10))
    rule_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    detected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)


class AdFacility(Base):
    """A roadside advertising facility in the clean-up campaign (公路沿线广告清理)."""

    __tablename__ = "road_ads"

    ad_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    city_code: Mapped[str] = mapped_column(String(6), index=True)
    road_id: Mapped[str | None] = mapped_column(ForeignKey("roads.road_id"))
    owner: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))  # 单立柱 / 墙体 / 门架 …
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), index=True)
    permit_ref: Mapped[str | None] = mapped_column(String(64))
    registered_at: Mapped[datetime]
    cleared_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime]


class ModelRoadRound(Base):
    """An evaluation round of model roads (路政执法示范路评定)."""

    __tablename__ = "road_model_rounds"

    round_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(128))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(16))
    params_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class ModelRoadCandidate(Base):
    __tablename__ = "road_model_candidates"
    __table_args__ = (UniqueConstraint("round_id", "road_id", name="round_road"),)

    candidate_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("road_model_rounds.round_id"), index=True)
    road_id: Mapped[str] = mapped_column(ForeignKey("roads.road_id"))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    professional_scores: Mapped[list[Any]] = mapped_column(JSON, default=list)
    public_scores: Mapped[list[Any]] = mapped_column(JSON, default=list)
    total: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    designated: Mapped[bool | None]
