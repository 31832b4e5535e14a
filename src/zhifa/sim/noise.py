"""Plate generation and the noise of the feeds: OCR misreads, empty reads, arrival lag.

All functions work on whole arrays (plates as numpy fixed-width unicode arrays viewed as code
points), never one record at a time.
"""

from __future__ import annotations

import numpy as np

try:  # the shared OCR confusion classes (rules.md §6.5)
    from zhifa.shared.plates import CONFUSIONS as _CONFUSIONS
except ImportError:  # pragma: no cover - the shared module exists in this repo
    _CONFUSIONS = ("0DQ", "8B", "17T", "2Z", "5S", "6G", "4A", "川州", "鲁晋", "闽宁")

SERIAL = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O (GA 36-2018)
WIDTH = 8


def _confusion_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: number of alternatives and the alternatives (I and O are never produced)."""
    n_alt = np.zeros(0x10000, dtype=np.int8)
    alts = np.zeros((0x10000, 4), dtype=np.uint32)
    for cls in _CONFUSIONS:
        members = [c for c in cls if c not in "IO"]
        for c in members:
            others = [o for o in members if o != c][:4]
            n_alt[ord(c)] = len(others)
            for k, o in enumerate(others):
                alts[ord(c), k] = ord(o)
    return n_alt, alts, np.array([ord(c) for c in SERIAL], dtype=np.uint32)


_N_ALT, _ALTS, _SERIAL_CP = _confusion_tables()


def to_codes(plates: np.ndarray) -> np.ndarray:
    """(n,) '<U8' → (n, 8) uint32 code points (0 = padding)."""
    return np.ascontiguousarray(plates.astype(f"<U{WIDTH}")).view(np.uint32).reshape(-1, WIDTH)


def from_codes(codes: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(codes.astype(np.uint32)).view(f"<U{WIDTH}").reshape(-1)


_SMALL = np.zeros(0x10000, dtype=np.int64)
for _i, _c in enumerate(SERIAL + "IO"):
    _SMALL[ord(_c)] = _i + 1


def plate_key(plates: np.ndarray, color: np.ndarray) -> np.ndarray:
    """An exact int64 key of (plate, colour) for plates of up to 8 characters (1 CJK + 7 serial)."""
    codes = to_codes(plates).astype(np.int64)
    key = (codes[:, 0] & 0xFFFF) << 6
    for k in range(1, WIDTH):
        key = (key << 6) | _SMALL[np.minimum(codes[:, k], 0xFFFF)]
    return key * 8 + np.asarray(color, dtype=np.int64)  # 16 + 42 bits + colour (< 8)


def make_plates(rng: np.random.Generator, province: np.ndarray, office: np.ndarray, nev: np.ndarray) -> np.ndarray:
    """Plates: province char + office letter + 5 serial chars (ordinary) or D/F + 5 (small NEV).

    `province` and `office` are arrays of single characters; `nev` marks small new-energy plates."""
    n = len(province)
    codes = np.zeros((n, WIDTH), dtype=np.uint32)
    codes[:, 0] = to_codes(province)[:, 0]
    codes[:, 1] = to_codes(office)[:, 0]
    digits = rng.integers(0, 10, size=(n, 6))
    letters = rng.integers(10, len(SERIAL), size=(n, 6))
    use_letter = rng.random((n, 6)) < 0.3
    serial = _SERIAL_CP[np.where(use_letter, letters, digits)]
    codes[:, 2:7] = serial[:, :5]
    nev_letter = np.where(rng.random(n) < 0.8, ord("D"), ord("F")).astype(np.uint32)
    codes[nev, 2] = nev_letter[nev]
    codes[nev, 3:7] = serial[nev, 1:5]
    codes[nev, 7] = _SERIAL_CP[digits[nev, 5]]
    codes[nev, 4:8] = _SERIAL_CP[digits[nev, 1:5]]  # last 4 digits
    return from_codes(codes)


def misread(rng: np.random.Generator, plates: np.ndarray) -> np.ndarray:
    """Each plate with one character replaced by an OCR lookalike (rules.md §6.5), where it has one."""
    codes = to_codes(plates)
    n_alt = _N_ALT[np.minimum(codes, 0xFFFF)].astype(np.int64)
    n_alt[:, 0] = np.where(n_alt[:, 0] > 0, n_alt[:, 0], 0)
    key = np.where(n_alt > 0, rng.random(codes.shape), -1.0)
    pos = key.argmax(axis=1)
    rows = np.arange(len(codes))
    ok = key[rows, pos] >= 0
    cp = codes[rows, pos]
    choice = (rng.random(len(codes)) * np.maximum(n_alt[rows, pos], 1)).astype(np.int64)
    new = _ALTS[np.minimum(cp, 0xFFFF), choice]
    codes[rows[ok], pos[ok]] = new[ok]
    return from_codes(codes)


def arrival_lag_s(rng: np.random.Generator, n: int, median_s: float = 4.0, tail_share: float = 0.03) -> np.ndarray:
    """Feed lag (scale.md §1.3: median 4 s, p90 9 s, p99 74 s, max 878 s)."""
    lag = median_s * np.exp(rng.normal(0.0, 0.6, n))
    tail = rng.random(n) < tail_share
    lag[tail] += 10.0 + rng.exponential(55.0, int(tail.sum()))
    return np.minimum(lag, 878.0)
