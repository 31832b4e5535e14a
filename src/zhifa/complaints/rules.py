"""Pure rules for public submissions: cleaning and bounding text, checking uploads, places, duplicates."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

MAX_DESCRIPTION = 2000
MAX_NAME = 32
MAX_PHOTOS = 4
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MERGE_RADIUS_M = 200.0
MERGE_WINDOW_DAYS = 30

_TAG = re.compile(r"<[^>]*>")
_SCRIPTY = re.compile(r"(?i)(javascript|vbscript|data)\s*:")
_PHONE = re.compile(r"^1[3-9]\d{9}$")

# rough outline of the province for a first check; the precise outline is checked by the service
HENAN_BBOX = (110.35, 31.38, 116.65, 36.37)


def clean_text(text: str | None, *, limit: int) -> str:
    """Strip markup, script URLs and control characters; normalise width; bound the length."""
    s = unicodedata.normalize("NFC", text or "")  # NFC, not NFKC: keep full-width Chinese punctuation
    s = _TAG.sub("", s)
    s = _SCRIPTY.sub("", s)
    s = "".join(ch for ch in s if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return s.strip()[:limit]


def valid_phone(phone: str) -> bool:
    return bool(_PHONE.match(phone))


def image_kind(head: bytes) -> str | None:
    """The real content type from the first bytes (the declared one is not trusted)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def in_bbox(lon: float, lat: float, bbox: tuple[float, float, float, float] = HENAN_BBOX) -> bool:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine), metres."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class OpenReport:
    complaint_id: str
    category: str
    lon: float
    lat: float
    age_days: float


def find_duplicate(
    category: str, lon: float, lat: float, open_reports: list[OpenReport],
    *, radius_m: float = MERGE_RADIUS_M, window_days: int = MERGE_WINDOW_DAYS,
) -> str | None:
    """The nearest open report of the same category within the radius and window, if any."""
    best: tuple[float, str] | None = None
    for r in open_reports:
        if r.category != category or r.age_days > window_days:
            continue
        d = distance_m(lon, lat, r.lon, r.lat)
        if d <= radius_m and (best is None or d < best[0]):
            best = (d, r.complaint_id)
    return None if best is None else best[1]


def handled_rate(received: int, handled: int) -> float | None:
    return None if received == 0 else handled / received
