"""Verbs on the vehicle registries: look a vehicle up, ask whether it is on the passenger whitelist."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.shared import plates
from zhifa.shared.clock import TZ, aware
from zhifa.vehicles.orm import Enterprise, PassengerWhitelist, Vehicle


def _identity(plate: str, plate_color: str | None) -> tuple[str, str | None]:
    return plates.normalise(plate), plates.color_name(plate_color) if plate_color else None


def find_vehicle(session: Session, plate: str, plate_color: str) -> Vehicle | None:
    """The registered vehicle with this (normalised plate, colour); None if not registered."""
    p, c = _identity(plate, plate_color)
    if not p or c is None:
        return None
    return session.execute(
        select(Vehicle).where(Vehicle.plate == p, Vehicle.plate_color == c)
    ).scalar_one_or_none()


def find_enterprise(session: Session, enterprise_id: str) -> Enterprise | None:
    return session.get(Enterprise, enterprise_id)


def _covers(entry: PassengerWhitelist, at: datetime) -> bool:
    """valid_from ≤ at ≤ valid_to; a valid_to at midnight (a date) covers that whole day."""
    end = entry.valid_to
    if end.astimezone(TZ).time() == time(0):
        end = end + timedelta(days=1) - timedelta(microseconds=1)
    return entry.valid_from <= at <= end


def whitelist_entries(
    session: Session, plate: str, plate_color: str, at: datetime
) -> list[PassengerWhitelist]:
    p, c = _identity(plate, plate_color)
    if not p or c is None:
        return []
    at = aware(at)
    rows = session.execute(
        select(PassengerWhitelist).where(PassengerWhitelist.plate == p, PassengerWhitelist.plate_color == c)
    ).scalars()
    return [r for r in rows if _covers(r, at)]


def is_whitelisted(session: Session, plate: str, plate_color: str, at: datetime) -> bool:
    """The vehicle holds a passenger-transport whitelist entry valid at `at` (白名单)."""
    return bool(whitelist_entries(session, plate, plate_color, at))
