"""Versioned numbers of the interception flow (speeds, windows). Working assumptions, not law.

Speeds are typical expressway travel speeds per JT/T 489-2019 class group, below the legal maxima of
《道路交通安全法实施条例》 Art. 78 (expressway max 120 km/h; buses and goods vehicles max 100 km/h).
"""

from __future__ import annotations

from datetime import date

SOURCE = "working assumption from 《道路交通安全法实施条例》第78条 maxima and scale.md gantry gaps"
EFFECTIVE_FROM = date(2021, 1, 1)
VERIFIED = False
VERSION = "interception-2021.1"

# JT/T 489-2019 class code → typical speed (km/h) on an expressway
TYPICAL_SPEED_KMH: dict[int, float] = {
    1: 100.0, 2: 90.0, 3: 85.0, 4: 85.0,
    11: 85.0, 12: 80.0, 13: 75.0, 14: 72.0, 15: 70.0, 16: 70.0,
    21: 80.0, 22: 75.0, 23: 72.0, 24: 70.0, 25: 70.0, 26: 70.0,
}
DEFAULT_SPEED_KMH = 80.0

# how far ahead exits are predicted, and how many at most
HORIZON_M = 150_000
MAX_EXITS = 6

# the station must report an outcome this long after the vehicle's estimated arrival
RESPONSE_WINDOW_MIN = 30
# records arriving later than this after their event time are flagged late (scale.md: p99 lag 74 s)
LATE_AFTER_S = 120
