"""Registries of vehicles, enterprises, drivers and the passenger whitelist (schemas.md "Registries")."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Vehicle(Base):
    """A registered vehicle; identity is (normalised plate, plate colour)."""

    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("plate", "plate_color", name="uq_vehicles_plate_color"),)

    vehicle_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[str] = mapped_column(String(16))
    vehicle_class: Mapped[int | None] = mapped_column(Integer)
    axle_count: Mapped[int | None] = mapped_column(Integer)
    vehicle_kind: Mapped[str | None] = mapped_column(String(24))
    single_drive_axle: Mapped[bool | None] = mapped_column(Boolean)  # tractor with one drive axle (6×2)
    single_tyre_axles: Mapped[int | None] = mapped_column(Integer)
    owner_name: Mapped[str | None] = mapped_column(String(128))
    owner_kind: Mapped[str | None] = mapped_column(String(16))  # person | enterprise
    enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    use: Mapped[str | None] = mapped_column(String(16))  # operating | non_operating
    transport_permit_no: Mapped[str | None] = mapped_column(String(64))
    registered_unit_code: Mapped[str | None] = mapped_column(String(6), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Enterprise(Base):
    """Transport, passenger, hazmat companies, loading sources (货运源头), ride-hailing platforms, repair shops."""

    __tablename__ = "enterprises"

    enterprise_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    # transport | passenger | hazmat | loading_source | ride_hailing_platform | repair
    kind: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(6), index=True)
    licence_no: Mapped[str | None] = mapped_column(String(64))
    key_source: Mapped[bool] = mapped_column(Boolean, default=False)
    # the date the key loading source list naming it was published (重点源头单位公布日期)
    published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Driver(Base):
    __tablename__ = "drivers"

    driver_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    qualification_no: Mapped[str | None] = mapped_column(String(64))
    enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PassengerWhitelist(Base):
    """A licensed passenger vehicle on a route for a period (白名单)."""

    __tablename__ = "passenger_whitelist"
    __table_args__ = (
        UniqueConstraint(
            "plate", "plate_color", "enterprise_id", "valid_from", name="uq_passenger_whitelist_key"
        ),
    )

    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plate: Mapped[str] = mapped_column(String(16), index=True)
    plate_color: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[str] = mapped_column(String(32), index=True)
    route_from: Mapped[str | None] = mapped_column(String(64))
    route_to: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
