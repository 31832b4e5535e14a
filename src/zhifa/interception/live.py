"""The live path: stream → parse → match → commit hits and tasks → ack. One DB transaction per read.

Acknowledgement comes only after the commit, so a crash between the two re-delivers the messages; the
unique (record_id, entry_id) of hits makes the re-delivery harmless (no duplicate hits or tasks).
"""

from __future__ import annotations

import gc
import json
import logging
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from zhifa.db.session import Database, unit_of_work
from zhifa.interception import ruledata
from zhifa.interception.matcher import MalformedRecord, Matcher, parse_record
from zhifa.interception.model import Hit, Record
from zhifa.interception.rules import ExitGraph
from zhifa.interception.service import (
    CommitReport,
    StationDirectory,
    commit_hits,
    load_watch_entries,
    record_dead_letter,
    sweep_overdue,
)
from zhifa.interception.stream import RecordStream, StreamMessage
from zhifa.shared.clock import Clock

log = logging.getLogger(__name__)


@dataclass
class LiveReport:
    messages: int = 0
    records: int = 0
    malformed: int = 0
    dead_messages: int = 0
    hits: int = 0
    duplicate_hits: int = 0
    tasks_created: int = 0
    tasks_withdrawn: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # publish → committed, per message with hits

    def add(self, rep: CommitReport) -> None:
        self.hits += rep.hits
        self.duplicate_hits += rep.duplicates
        self.tasks_created += rep.tasks_created
        self.tasks_withdrawn += rep.tasks_withdrawn


class CachedExits:
    """Downstream exits per site, computed once (the network does not change while the matcher runs)."""

    def __init__(self, graph: ExitGraph) -> None:
        self.graph = graph
        self._cache: dict[str, list[tuple[str, float]]] = {}

    def downstream_exits(self, site_id: str) -> list[tuple[str, float]]:
        got = self._cache.get(site_id)
        if got is None:
            got = self._cache[site_id] = list(self.graph.downstream_exits(site_id))
        return got


def load_graph(db: Database) -> ExitGraph | None:
    """The road network (zhifa.org.graph.NetworkGraph over road_segments and sites); None if empty."""
    from sqlalchemy import select

    from zhifa.org.graph import NetworkGraph
    from zhifa.org.orm import RoadSegment, Site

    with unit_of_work(db) as s:
        segs = [dict(from_site=a, to_site=b, length_m=n, road=r) for a, b, n, r in s.execute(
            select(RoadSegment.from_site, RoadSegment.to_site, RoadSegment.length_m, RoadSegment.road)).tuples()]
        sites = [dict(site_id=i, kind=k, direction=d) for i, k, d in s.execute(
            select(Site.site_id, Site.kind, Site.direction)).tuples()]
    if not segs:
        return None
    return CachedExits(NetworkGraph.from_segments(segs, sites))


class LiveMatcher:
    def __init__(
        self,
        db: Database,
        stream: RecordStream,
        clock: Clock,
        *,
        graph: ExitGraph | None = None,
        matcher: Matcher | None = None,
        refresh_every: timedelta = timedelta(seconds=30),
        late_after: timedelta = timedelta(seconds=ruledata.LATE_AFTER_S),
        event_clock: Callable[[], datetime] | None = None,
        sweep_every: timedelta | None = None,
    ) -> None:
        self.db = db
        self.stream = stream
        self.clock = clock
        self.graph = CachedExits(graph) if graph is not None and not isinstance(graph, CachedExits) else graph
        self.stations = StationDirectory()
        self.matcher = matcher or Matcher(late_after=late_after)
        self.refresh_every = refresh_every
        self._last_refresh: float = float("-inf")
        self._loaded_at: datetime | None = None
        self.refresh_overlap = timedelta(minutes=5)  # clock skew between writers and the matcher
        self.report = LiveReport()
        self.event_clock = event_clock  # replay: "now" follows the replayed day
        self.sweep_every = sweep_every
        self._last_sweep = float("-inf")

    def refresh(self, force: bool = False) -> int:
        """Load the watch-list: everything on the first call (or `force`), then only what changed since."""
        if not force and _time.monotonic() - self._last_refresh < self.refresh_every.total_seconds():
            return len(self.matcher)
        now = self._now()  # validity horizon: follows the replayed day in a replay
        wall = self.clock.now()  # change watermark: created_at / revoked_at are wall-clock times
        with unit_of_work(self.db) as s:
            if force or self._loaded_at is None:
                entries = load_watch_entries(s, now=now)
                ids = {e.entry_id for e in entries}
                for old in self.matcher.entries():
                    if old.entry_id not in ids:
                        self.matcher.remove(old.entry_id)
            else:
                entries = load_watch_entries(s, now=now, changed_since=self._loaded_at - self.refresh_overlap)
        for e in entries:
            if e.active:
                self.matcher.add(e)
            else:
                self.matcher.remove(e.entry_id)
        if force or self._loaded_at is None:
            # the index is long-lived: keep it out of the cyclic GC's scans (gen-2 pauses hurt latency)
            gc.collect()
            gc.freeze()
        self._loaded_at = wall
        self._last_refresh = _time.monotonic()
        return len(self.matcher)

    def _now(self) -> datetime:
        return self.event_clock() if self.event_clock else self.clock.now()

    def process(self, msgs: list[StreamMessage]) -> CommitReport:
        """Match a read of messages, commit in one transaction, then ack. Returns the commit report."""
        now = self._now()
        hits: list[Hit] = []
        dead: list[tuple[StreamMessage, str, str]] = []  # message, payload, reason
        hit_msgs: list[StreamMessage] = []
        matched_records: list[Record] = []
        match = self.matcher.match
        for m in msgs:
            self.report.messages += 1
            if m.error:
                dead.append((m, m.raw, m.error))
                self.report.dead_messages += 1
                continue
            n_before = len(hits)
            for i, row in enumerate(m.rows):
                self.report.records += 1
                try:
                    rec = parse_record(row)
                except MalformedRecord as e:
                    self.report.malformed += 1
                    # the row's place in its message is part of its identity (two equal bad rows are two)
                    dead.append((StreamMessage(id=f"{m.id}#{i}", raw=""), json.dumps(row, ensure_ascii=False, default=str),
                                 e.reason))
                    continue
                got = match(rec, now=now)
                if got:
                    hits.extend(got)
                    matched_records.append(rec)
            if len(hits) > n_before:
                hit_msgs.append(m)
        try:
            with unit_of_work(self.db) as s:
                rep = commit_hits(s, hits=hits, graph=self.graph, stations=self.stations, now=now)
                for m, payload, reason in dead:
                    record_dead_letter(s, stream=self.stream.name, message_id=m.id, payload=payload,
                                       reason=reason, now=now)
        except Exception:
            for r in matched_records:  # not committed: let a re-delivery match them again
                self.matcher.forget(r.record_id)
            raise
        for m, payload, reason in dead:
            self.stream.dead_letter(StreamMessage(id=m.id, raw=payload), reason)
        self.stream.ack([m.id for m in msgs])
        done = _time.time()
        for m in hit_msgs:
            if m.published_at is not None:
                self.report.latencies_ms.append((done - m.published_at) * 1000)
        self.report.add(rep)
        return rep

    def maybe_sweep(self) -> int:
        """Escalate overdue tasks every `sweep_every` (the matcher process doubles as the sweeper)."""
        if self.sweep_every is None or _time.monotonic() - self._last_sweep < self.sweep_every.total_seconds():
            return 0
        self._last_sweep = _time.monotonic()
        with unit_of_work(self.db) as s:
            return len(sweep_overdue(s, now=self._now()))

    def run(self, *, count: int = 50, block_ms: int = 200, stop: Callable[[], bool] | None = None,
            idle_exit: bool = False, retry_errors: bool = False) -> LiveReport:
        """Read and process until `stop()` is true (or, with idle_exit, until a read returns nothing).

        With `retry_errors`, a failed batch (e.g. the database is briefly unavailable) is logged and its
        unacked messages are read again after a pause; a message that keeps failing ends in the dead
        letters (RedisRecordStream.max_deliveries). Without it the error propagates (tests, replays).
        """
        if self._loaded_at is None:
            self.refresh(force=True)
        while not (stop and stop()):
            try:
                self.refresh()
                self.maybe_sweep()
                msgs = self.stream.read(count=count, block_ms=block_ms)
                if not msgs:
                    if idle_exit:
                        break
                    continue
                self.process(msgs)
            except Exception:
                if not retry_errors:
                    raise
                self.report.errors += 1
                log.exception("live matcher: batch failed, retrying its messages")
                restart = getattr(self.stream, "restart", None)
                if restart is not None:
                    restart()
                _time.sleep(min(5.0, 0.2 * self.report.errors))
        return self.report
