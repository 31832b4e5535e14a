"""The live matcher's core: a watch-list index keyed by the OCR-canonical plate key (pure, no I/O).

rules.md §6.5: a plate read may be an OCR misreading of a listed plate (0/D/Q, 8/B, 1/7/T, 2/Z, 5/S, 6/G,
4/A, 川/州 …). Every listed plate is stored under `canonical_key(plate)`, which maps confusable characters
to one representative, so one dict probe per record finds both the exact plate and its look-alikes.
A look-alike is then confirmed by the constraints of §6.5: same plate colour (colour fixes the format:
8 characters only on green / yellow-green plates), the same vehicle class and axle count when both sides
know them, and at most `max_subs` differing characters. Exact plate + colour scores 1.0, look-alikes less.

Event time, not arrival time, decides whether an entry is valid (valid_from <= event_time < valid_to),
so late and out-of-order records match the list as it was when the vehicle passed. A record whose
arrival lags its event by more than `late_after` is still matched and flagged late. A record id seen
before is ignored (idempotent): the DB keeps a unique (record_id, entry_id) as the backstop across restarts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from zhifa.interception.model import Hit, MatchKind, Record, WatchEntry
from zhifa.shared.clock import TZ

KeyFn = Callable[[str], str]

PLATE_COLORS = frozenset({"blue", "yellow", "black", "white", "green", "yellow_green", "blue_white"})
NEV_COLORS = frozenset({"green", "yellow_green"})
# national colour codes (rules.md §6.2) accepted on input
COLOR_CODES = {"0": "blue", "1": "yellow", "2": "black", "3": "white", "4": "green", "5": "yellow_green",
               "6": "blue_white", "11": "green"}


def plate_rules_table(plate_rules: Any) -> tuple[list[str], list[str]]:
    """(sources, targets) of the confusion classes: every member maps to its class's first character."""
    src = [c for cls in plate_rules.CONFUSIONS for c in cls[1:]]
    dst = [cls[0] for cls in plate_rules.CONFUSIONS for c in cls[1:]]
    return src, dst


class MalformedRecord(ValueError):
    """A stream message that is not a gantry_pass or toll_txn row; `reason` goes to the dead letters."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def default_key_fn() -> KeyFn:
    from zhifa.shared.plates import canonical_key

    return canonical_key


def default_similarity() -> Callable[[str, str], float]:
    from zhifa.shared.plates import similarity

    return similarity


def _ts(value: Any, name: str) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str) and value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as e:
            raise MalformedRecord(f"{name} 不是有效时间: {value!r}") from e
    else:
        raise MalformedRecord(f"缺少 {name}")
    return dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt


def _opt_int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise MalformedRecord(f"{name} 不是整数: {value!r}") from e


def parse_record(row: Mapping[str, Any], *, arrived_at: datetime | None = None) -> Record:
    """A schemas.md gantry_pass or toll_txn row → Record; raise MalformedRecord with the reason."""
    if not isinstance(row, Mapping):
        raise MalformedRecord("消息不是对象")
    rid = row.get("record_id")
    if not rid:
        raise MalformedRecord("缺少 record_id")
    if row.get("gantry_id"):
        kind, site, t = "gantry", row["gantry_id"], _ts(row.get("pass_time"), "pass_time")
    elif row.get("station_id"):
        kind = str(row.get("event") or "")
        if kind not in ("entry", "exit"):
            raise MalformedRecord(f"event 须为 entry 或 exit: {kind!r}")
        site, t = row["station_id"], _ts(row.get("event_time"), "event_time")
    else:
        raise MalformedRecord("缺少 gantry_id 或 station_id")
    plate = row.get("plate") or ""
    if not isinstance(plate, str):
        raise MalformedRecord("plate 不是字符串")
    color = str(row.get("plate_color") or "")
    color = COLOR_CODES.get(color, color)
    if plate and color not in PLATE_COLORS:
        raise MalformedRecord(f"未知车牌颜色: {color!r}")
    return Record(
        record_id=str(rid),
        kind=kind,
        site_id=str(site),
        event_time=t,
        plate=plate.strip().upper(),
        plate_color=color,
        vehicle_class=_opt_int(row.get("vehicle_class"), "vehicle_class"),
        axle_count=_opt_int(row.get("axle_count"), "axle_count"),
        direction=_opt_int(row.get("direction"), "direction"),
        arrived_at=arrived_at,
    )


def in_hours(t: datetime, window: tuple[time, time]) -> bool:
    """Local time of day inside [start, end); a window may wrap midnight (22:00-06:00)."""
    lt = t.astimezone(TZ).time()
    start, end = window
    return start <= lt < end if start <= end else (lt >= start or lt < end)


def parse_hours(text: str | None) -> tuple[time, time] | None:
    """'22:00-06:00' → (22:00, 06:00); empty → None."""
    if not text or not text.strip():
        return None
    try:
        a, b = text.replace("～", "-").replace("~", "-").split("-")
        return time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
    except ValueError as e:
        raise ValueError(f"时段格式应为 HH:MM-HH:MM: {text!r}") from e


def lookalike_confidence(record: Record, entry: WatchEntry, similarity: float) -> float:
    """< 1 for a look-alike: the plates' OCR similarity, raised by confirming class/axles, lowered without."""
    confirmed = 0
    if entry.vehicle_class is not None and record.vehicle_class is not None:
        confirmed += 1
    if entry.axle_count is not None and record.axle_count is not None:
        confirmed += 1
    c = similarity - 0.1 + 0.04 * confirmed - 0.05 * (2 - confirmed)
    return round(max(0.3, min(0.98, c)), 3)


@dataclass
class MatchStats:
    records: int = 0
    duplicates: int = 0
    unreadable: int = 0
    hits: int = 0
    late: int = 0


class Matcher:
    """A watch-list index with event-time validity and per-record idempotency."""

    def __init__(
        self,
        entries: Iterable[WatchEntry] = (),
        *,
        key_fn: KeyFn | None = None,
        similarity: Callable[[str, str], float] | None = None,
        late_after: timedelta = timedelta(minutes=2),
        max_subs: int = 2,
        dedup_capacity: int = 2_000_000,
    ) -> None:
        self.key_fn: KeyFn = key_fn or default_key_fn()
        self.similarity = similarity or default_similarity()
        self.late_after = late_after
        self.max_subs = max_subs
        self._index: dict[str, list[WatchEntry]] = {}
        self._keys: Any = None  # Polars Series of the index keys, rebuilt after a change
        self._by_id: dict[str, WatchEntry] = {}
        self._seen: dict[str, None] = {}  # insertion-ordered: the oldest ids are evicted first
        self._dedup_capacity = dedup_capacity
        self.stats = MatchStats()
        for e in entries:
            self.add(e)

    # --- the index -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, entry: WatchEntry) -> None:
        if entry.entry_id in self._by_id:
            self.remove(entry.entry_id)
        self._by_id[entry.entry_id] = entry
        self._index.setdefault(self.key_fn(entry.plate), []).append(entry)
        self._keys = None

    def remove(self, entry_id: str) -> None:
        e = self._by_id.pop(entry_id, None)
        if e is None:
            return
        self._keys = None
        k = self.key_fn(e.plate)
        bucket = [x for x in self._index.get(k, []) if x.entry_id != entry_id]
        if bucket:
            self._index[k] = bucket
        else:
            self._index.pop(k, None)

    def entries(self) -> list[WatchEntry]:
        return list(self._by_id.values())

    # --- the fast path: which reads have any candidate at all ---------------------------------
    def probe(self, plates: Sequence[str]) -> list[int]:
        """Positions of plates whose canonical key is listed (exact and look-alike candidates)."""
        index = self._index
        key_fn = self.key_fn
        return [i for i, p in enumerate(plates) if key_fn(p) in index]

    def _keys_series(self) -> Any:
        import polars as pl

        if self._keys is None:
            self._keys = pl.Series("key", list(self._index.keys()), dtype=pl.String)
        return self._keys

    def probe_series(self, plates: Any) -> Any:
        """Vectorised `probe` over a Polars string Series: a boolean mask of reads with candidates.

        The canonical key is computed with one multi-pattern replace (the same confusion table as
        `canonical_key`), then a hash semi-join against the listed keys.
        """
        from zhifa.shared import plates as plate_rules

        src, dst = plate_rules_table(plate_rules)
        return plates.fill_null("").str.replace_many(src, dst).is_in(self._keys_series().implode())

    def match_frame(self, frame: Any, *, now: datetime | None = None) -> list[Hit]:
        """Match a Polars frame of gantry_pass / toll_txn rows: vectorised probe, then full checks on
        the few candidate rows only. Rows that cannot be parsed raise nothing here: they are counted
        in `stats.unreadable` (the live path parses and dead-letters every row instead)."""
        mask = self.probe_series(frame["plate"])
        cand = frame.filter(mask)
        self.stats.records += frame.height - cand.height
        hits: list[Hit] = []
        for row in cand.iter_rows(named=True):
            try:
                rec = parse_record(row)
            except MalformedRecord:
                self.stats.unreadable += 1
                continue
            hits.extend(self.match(rec, now=now))
        return hits

    # --- full matching ------------------------------------------------------------------------
    def _seen_before(self, record_id: str) -> bool:
        seen = self._seen
        if record_id in seen:
            return True
        seen[record_id] = None
        if len(seen) > self._dedup_capacity:
            del seen[next(iter(seen))]
        return False

    def forget(self, record_id: str) -> None:
        """Allow a record to be matched again (its hit could not be committed)."""
        self._seen.pop(record_id, None)

    def candidates(self, record: Record) -> list[WatchEntry]:
        if not record.plate:
            return []
        return self._index.get(self.key_fn(record.plate), [])

    def match(self, record: Record, *, now: datetime | None = None) -> list[Hit]:
        stats = self.stats
        stats.records += 1
        if self._seen_before(record.record_id):
            stats.duplicates += 1
            return []
        plate = record.plate
        if not plate:
            stats.unreadable += 1
            return []
        bucket = self._index.get(self.key_fn(plate))
        if bucket is None:
            return []
        arrived = record.arrived_at or now
        lag = (arrived - record.event_time).total_seconds() if arrived is not None else None
        late = lag is not None and lag > self.late_after.total_seconds()
        hits: list[Hit] = []
        for e in bucket:
            h = self._confirm(record, e, late, lag)
            if h is not None:
                hits.append(h)
        if hits:
            # exact hits first; one vehicle is one listed entry per plate, keep the best per entry
            hits.sort(key=lambda h: (-h.confidence, h.entry.priority))
            self.stats.hits += len(hits)
            self.stats.late += int(late)
        return hits

    def match_many(self, records: Iterable[Record], *, now: datetime | None = None) -> list[Hit]:
        out: list[Hit] = []
        for r in records:
            out.extend(self.match(r, now=now))
        return out

    def _confirm(self, r: Record, e: WatchEntry, late: bool, lag: float | None) -> Hit | None:
        if not e.active or not (e.valid_from <= r.event_time < e.valid_to):
            return None
        if e.scope_stations is not None and r.site_id not in e.scope_stations:
            return None
        if e.scope_hours is not None and not in_hours(r.event_time, e.scope_hours):
            return None
        if r.plate == e.plate and r.plate_color == e.plate_color:
            return Hit(r, e, MatchKind.EXACT, 1.0, late, lag)
        # look-alike: the format and colour must agree, then class and axles where both are known
        if r.plate_color != e.plate_color or len(r.plate) != len(e.plate):
            return None
        if len(e.plate) == 8 and r.plate_color not in NEV_COLORS:
            return None
        if e.vehicle_class is not None and r.vehicle_class is not None and e.vehicle_class != r.vehicle_class:
            return None
        if e.axle_count is not None and r.axle_count is not None and e.axle_count != r.axle_count:
            return None
        diffs = sum(1 for a, b in zip(r.plate, e.plate, strict=True) if a != b)
        if diffs == 0 or diffs > self.max_subs:
            return None
        notes = (f"疑似识别错误: {r.plate} → {e.plate}",)
        conf = lookalike_confidence(r, e, self.similarity(r.plate, e.plate))
        return Hit(r, e, MatchKind.LOOKALIKE, conf, late, lag, notes)
