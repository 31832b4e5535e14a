"""Record streams for the live matcher: in-process / file replay (default) and Redis Streams.

A stream delivers `StreamMessage`s; each carries one or more schemas.md gantry_pass / toll_txn rows
(Redis entries carry a JSON batch of rows, so one XADD moves hundreds of records). The consumer acks a
message only after its hits are committed to the database; an unacked message is delivered again after
a restart (Redis: the consumer's pending list, and XAUTOCLAIM of other consumers' stale entries).
A message that cannot be read goes to the dead-letter stream with the reason and is acked.
"""

from __future__ import annotations

import hashlib
import json
import time as _time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

RECORD_COLUMNS_TIME = ("pass_time", "event_time", "entry_time")


@dataclass
class StreamMessage:
    id: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # set when the message itself could not be decoded
    raw: str = ""
    published_at: float | None = None  # epoch seconds, for latency measurement


class RecordStream(Protocol):
    name: str

    def publish(self, rows: Sequence[dict[str, Any]]) -> int: ...
    def read(self, count: int = 100, block_ms: int = 0) -> list[StreamMessage]: ...
    def ack(self, ids: Sequence[str]) -> None: ...
    def dead_letter(self, msg: StreamMessage, reason: str) -> None: ...


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def encode_rows(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in rows], ensure_ascii=False,
                      separators=(",", ":"))


def decode_rows(raw: str | bytes) -> list[dict[str, Any]]:
    data = json.loads(raw)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError("消息须为 JSON 对象或对象数组")
    return data


class MemoryStream:
    """In-process queue with the same ack semantics: unacked messages are re-delivered by `redeliver()`."""

    name = "memory"

    def __init__(self, batch_size: int = 500) -> None:
        self.batch_size = batch_size
        self._queue: deque[StreamMessage] = deque()
        self._pending: dict[str, StreamMessage] = {}
        self._seq = 0
        self.dead: list[tuple[StreamMessage, str]] = []

    def publish(self, rows: Sequence[dict[str, Any]]) -> int:
        n = 0
        for i in range(0, len(rows), self.batch_size):
            self._seq += 1
            self._queue.append(StreamMessage(id=str(self._seq), rows=list(rows[i:i + self.batch_size]),
                                             published_at=_time.time()))
            n += 1
        return n

    def publish_raw(self, raw: str) -> None:
        self._seq += 1
        try:
            msg = StreamMessage(id=str(self._seq), rows=decode_rows(raw), raw=raw)
        except ValueError as e:
            msg = StreamMessage(id=str(self._seq), error=f"无法解析: {e}", raw=raw)
        self._queue.append(msg)

    def read(self, count: int = 100, block_ms: int = 0) -> list[StreamMessage]:
        out = []
        while self._queue and len(out) < count:
            m = self._queue.popleft()
            self._pending[m.id] = m
            out.append(m)
        return out

    def ack(self, ids: Sequence[str]) -> None:
        for i in ids:
            self._pending.pop(i, None)

    def redeliver(self) -> int:
        """Put unacked messages back at the front (what a restart does)."""
        msgs = sorted(self._pending.values(), key=lambda m: int(m.id))
        self._pending.clear()
        self._queue.extendleft(reversed(msgs))
        return len(msgs)

    def dead_letter(self, msg: StreamMessage, reason: str) -> None:
        self.dead.append((msg, reason))

    def restart(self) -> None:
        self.redeliver()

    def __len__(self) -> int:
        return len(self._queue)


def read_record_files(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of gantry_pass / toll_txn files (CSV with header, Parquet, JSON lines) under `path`."""
    import polars as pl

    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.suffix in (".csv", ".parquet", ".jsonl", ".ndjson"))
    for f in files:
        if f.suffix == ".csv":
            df = pl.read_csv(f, infer_schema_length=0)
        elif f.suffix == ".parquet":
            df = pl.read_parquet(f)
        else:
            df = pl.read_ndjson(f)
        if "gantry_id" not in df.columns and not {"station_id", "event"} <= set(df.columns):
            continue  # not a gantry_pass or toll_txn file (wim, static_weigh, gps_point, registries)
        yield from df.iter_rows(named=True)


def event_time_of(row: dict[str, Any]) -> str:
    v = row.get("pass_time") or row.get("event_time") or ""
    return v.isoformat() if isinstance(v, datetime) else str(v)


class FileReplay:
    """Replays record files in event-time order; `speed` scales event time (60 = one hour per minute,
    0 = as fast as possible). Read-only: ack and dead letters are kept in memory."""

    name = "replay"

    def __init__(self, path: Path | str, *, speed: float = 0.0, batch_size: int = 500) -> None:
        rows = list(read_record_files(Path(path)))
        rows.sort(key=event_time_of)
        self.rows = rows
        self.speed = speed
        self.batch_size = batch_size
        self._pos = 0
        self._t0_wall: float | None = None
        self._t0_event: datetime | None = None
        self.dead: list[tuple[StreamMessage, str]] = []
        self.acked = 0

    def publish(self, rows: Sequence[dict[str, Any]]) -> int:
        raise NotImplementedError("file replay is read-only")

    def _event_dt(self, row: dict[str, Any]) -> datetime | None:
        v = row.get("pass_time") or row.get("event_time")
        if isinstance(v, datetime):
            return v
        try:
            return datetime.fromisoformat(str(v))
        except ValueError:
            return None

    def read(self, count: int = 100, block_ms: int = 0) -> list[StreamMessage]:
        if self._pos >= len(self.rows):
            return []
        end = min(len(self.rows), self._pos + count * self.batch_size)
        if self.speed > 0:
            first = self._event_dt(self.rows[self._pos])
            if first is not None:
                if self._t0_event is None:
                    self._t0_event, self._t0_wall = first, _time.monotonic()
                wall_now = _time.monotonic() - (self._t0_wall or 0)
                # release only rows whose scaled event time has come; wait for the first one if needed
                due = (first - self._t0_event).total_seconds() / self.speed
                if due > wall_now:
                    _time.sleep(min(due - wall_now, max(block_ms, 1) / 1000))
                    wall_now = _time.monotonic() - (self._t0_wall or 0)
                limit_event = self._t0_event.timestamp() + wall_now * self.speed
                j = self._pos
                while j < end:
                    t = self._event_dt(self.rows[j])
                    if t is not None and t.timestamp() > limit_event:
                        break
                    j += 1
                end = j
        out = []
        i = self._pos
        while i < end:
            chunk = self.rows[i:min(end, i + self.batch_size)]
            out.append(StreamMessage(id=str(i), rows=chunk, published_at=_time.time()))
            i += len(chunk)
        self._pos = end
        return out

    @property
    def exhausted(self) -> bool:
        return self._pos >= len(self.rows)

    def ack(self, ids: Sequence[str]) -> None:
        self.acked += len(ids)

    def dead_letter(self, msg: StreamMessage, reason: str) -> None:
        self.dead.append((msg, reason))


_DEAD_ONCE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[5]) then
  redis.call('XADD', KEYS[1], '*', 'message_id', ARGV[1], 'reason', ARGV[2], 'raw', ARGV[3], 'ts', ARGV[4])
end
return 0
"""


class RedisRecordStream:
    """Redis Streams with a consumer group. Entries hold a field `rows` (a JSON batch) and `ts`."""

    name = "redis"

    def __init__(
        self,
        url: str,
        *,
        stream: str = "zhifa:records",
        group: str = "matcher",
        consumer: str = "matcher-1",
        dead_stream: str | None = None,
        batch_size: int = 500,
        claim_idle_ms: int = 30_000,
        max_deliveries: int = 5,
        maxlen: int | None = None,
        client: Any = None,
    ) -> None:
        import redis

        self.r = client or redis.Redis.from_url(url)
        self.stream = stream
        self.name = stream
        self.group = group
        self.consumer = consumer
        self.dead_stream = dead_stream or f"{stream}:dead"
        self.batch_size = batch_size
        self.claim_idle_ms = claim_idle_ms
        self.max_deliveries = max_deliveries
        self.maxlen = maxlen
        self._recovering = True  # first deliver our own pending entries (a restart), then claim, then new
        self.ensure_group()

    def ensure_group(self) -> None:
        import redis

        try:
            self.r.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    def publish(self, rows: Sequence[dict[str, Any]]) -> int:
        """XADD the rows in batches of `batch_size` through one pipeline; returns the entry count."""
        pipe = self.r.pipeline(transaction=False)
        n = 0
        now = repr(_time.time())
        for i in range(0, len(rows), self.batch_size):
            kw: dict[str, Any] = {}
            if self.maxlen:
                kw = {"maxlen": self.maxlen, "approximate": True}
            pipe.xadd(self.stream, {"rows": encode_rows(rows[i:i + self.batch_size]), "ts": now}, **kw)
            n += 1
        pipe.execute()
        return n

    def publish_raw(self, fields: dict[str, Any]) -> str:
        return self.r.xadd(self.stream, fields).decode()

    def _to_messages(self, entries: Iterable[tuple[Any, dict[bytes, bytes]]]) -> list[StreamMessage]:
        out = []
        for mid, fields in entries:
            mid_s = mid.decode() if isinstance(mid, bytes) else str(mid)
            if fields is None:  # deleted while pending
                out.append(StreamMessage(id=mid_s, error="消息已被删除"))
                continue
            raw = fields.get(b"rows")
            ts = fields.get(b"ts")
            try:
                published = float(ts) if ts is not None else None
            except ValueError:
                published = None
            if raw is None:
                out.append(StreamMessage(id=mid_s, error="消息缺少 rows 字段",
                                         raw=json.dumps({k.decode(errors="replace"): v.decode(errors="replace")
                                                         for k, v in fields.items()}, ensure_ascii=False)))
                continue
            text = raw.decode("utf-8", errors="replace")
            try:
                out.append(StreamMessage(id=mid_s, rows=decode_rows(text), raw="", published_at=published))
            except ValueError as e:
                out.append(StreamMessage(id=mid_s, error=f"无法解析: {e}", raw=text[:2000], published_at=published))
        return out

    def read(self, count: int = 100, block_ms: int = 0) -> list[StreamMessage]:
        while self._recovering:
            own = self.r.xreadgroup(self.group, self.consumer, {self.stream: "0"}, count=count)
            raw = self._to_messages(own[0][1]) if own else []
            if raw:
                msgs = self._drop_poison(raw)
                if msgs:
                    return msgs
                continue  # all were poison (now dead-lettered): look again
            claimed = self.r.xautoclaim(self.stream, self.group, self.consumer, self.claim_idle_ms,
                                        start_id="0-0", count=count)
            raw = self._to_messages(claimed[1]) if claimed and len(claimed) > 1 else []
            if raw:
                msgs = self._drop_poison(raw)
                if msgs:
                    return msgs
                continue
            self._recovering = False
        res = self.r.xreadgroup(self.group, self.consumer, {self.stream: ">"}, count=count,
                                block=block_ms if block_ms > 0 else None)
        return self._to_messages(res[0][1]) if res else []

    def _drop_poison(self, msgs: list[StreamMessage]) -> list[StreamMessage]:
        """Re-delivered messages that already failed `max_deliveries` times go to the dead letters."""
        if not msgs:
            return msgs
        info = self.r.xpending_range(self.stream, self.group, min=msgs[0].id, max=msgs[-1].id, count=len(msgs) + 10)
        times = {(i["message_id"].decode() if isinstance(i["message_id"], bytes) else str(i["message_id"])):
                 int(i["times_delivered"]) for i in info}
        keep = []
        for m in msgs:
            if times.get(m.id, 0) > self.max_deliveries:
                self.dead_letter(m, f"处理失败 {times[m.id] - 1} 次，转入死信")
                self.ack([m.id])
            else:
                keep.append(m)
        return keep

    def restart(self) -> None:
        """Re-read our own pending entries first (after a processing error)."""
        self._recovering = True

    def ack(self, ids: Sequence[str]) -> None:
        if ids:
            self.r.xack(self.stream, self.group, *ids)

    def dead_letter(self, msg: StreamMessage, reason: str) -> None:
        """Append to the dead stream once per (message, payload): a message re-delivered after a crash
        between this call and its ack must not be dead-lettered twice. The check (a marker key per
        message that expires after a week) and the append are one Lua script, so they are atomic; the
        marker's `{dead stream}` hash tag keeps both keys in one slot on a Redis Cluster."""
        raw = msg.raw[:10000] or ""
        seen = f"{{{self.dead_stream}}}:seen:{msg.id}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
        self.r.eval(_DEAD_ONCE, 2, self.dead_stream, seen, msg.id, reason, raw, repr(_time.time()), 7 * 86_400)

    def pending_count(self) -> int:
        info = self.r.xpending(self.stream, self.group)
        return int(info["pending"]) if isinstance(info, dict) else int(info[0])


def open_stream(settings: Any, **kw: Any) -> RecordStream:
    """The configured stream: Redis when settings.stream == 'redis', else an in-process queue."""
    if getattr(settings, "stream", "memory") == "redis":
        return RedisRecordStream(settings.redis_url, **kw)
    return MemoryStream()
