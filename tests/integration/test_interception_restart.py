"""Kill the live matcher mid-stream, restart it, and show that no hit is lost and none is duplicated."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest
import redis
from sqlalchemy import func, select

from zhifa.bootstrap import build, create_schema
from zhifa.config import Settings
from zhifa.db.session import unit_of_work
from zhifa.interception import service as svc
from zhifa.interception.live import LiveMatcher, load_graph
from zhifa.interception.matcher import MalformedRecord, Matcher, parse_record
from zhifa.interception.orm import InterceptTask, StreamDeadLetter, WatchHit
from zhifa.interception.stream import RedisRecordStream
from zhifa.org.orm import RoadSegment, Site, Team, Unit
from zhifa.shared.access import Actor, Role
from zhifa.shared.clock import TZ

pytestmark = pytest.mark.redis

ADMIN = Actor(username="t", role=Role.ADMIN, unit_code="410000", unit_codes=None)
SERIAL = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _plate(rng: random.Random) -> str:
    return "豫" + rng.choice("ABCDEFGH") + "".join(rng.choice(SERIAL) for _ in range(5))


def _seed(c, n_entries: int, rng: random.Random) -> list[str]:
    now = c.clock.now()
    with unit_of_work(c.db) as s:
        s.add_all([Unit(unit_code="410000", name="河南省", level="province"),
                   Unit(unit_code="410181", name="巩义市", level="county", parent_code="410000", city_code="410100")])
        s.flush()
        s.add(Team(team_id="T1", unit_code="410181", name="巩义大队", kind="brigade"))
        chain = [("G0", "gantry"), ("S1", "toll_station"), ("G2", "gantry"), ("S2", "toll_station"),
                 ("G3", "gantry"), ("S3", "toll_station")]
        for i, (sid, kind) in enumerate(chain):
            s.add(Site(site_id=sid, kind=kind, name=sid, unit_code="410181", road="G1", lon=113 + i / 10, lat=34.7,
                       direction=1))
        s.flush()
        for (a, _), (b, _) in zip(chain, chain[1:], strict=False):
            s.add(RoadSegment(segment_id=f"{a}-{b}", road="G1", from_site=a, to_site=b, length_m=10_000))
    plates = []
    while len(plates) < n_entries:
        p = _plate(rng)
        if p not in plates:
            plates.append(p)
    with unit_of_work(c.db) as s:
        for p in plates:
            svc.add_watch_entry(s, actor=ADMIN, plate=p, plate_color="blue", reason="测试", legal_basis="测试依据",
                                valid_from=now - timedelta(days=1), valid_to=now + timedelta(days=5), now=now)
    return plates


def _rows(n: int, listed: list[str], rng: random.Random, t0: datetime) -> list[dict]:
    rows = []
    for i in range(n):
        u = rng.random()
        plate = rng.choice(listed) if u < 0.01 else _plate(rng)
        rows.append({"record_id": f"R{i}", "gantry_id": rng.choice(["G0", "G2", "G3"]),
                     "pass_time": (t0 + timedelta(milliseconds=37 * i)).isoformat(), "plate": plate,
                     "plate_color": "blue", "vehicle_class": 1, "axle_count": 2, "direction": 1, "media": "obu"})
        if i % 5000 == 17:
            rows.append({"gantry_id": "G0", "pass_time": t0.isoformat(), "plate": plate})  # no record_id
    rows.insert(rng.randrange(len(rows)), dict(rows[5]))  # a record delivered twice
    return rows


def _expected(c, rows) -> set[tuple[str, str]]:
    with unit_of_work(c.db) as s:
        m = Matcher(svc.load_watch_entries(s, now=c.clock.now()))
    out = set()
    for row in rows:
        try:
            rec = parse_record(row)
        except MalformedRecord:
            continue
        out.update((h.record.record_id, h.entry.entry_id) for h in m.match(rec))
    return out


def _stored(c) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    with unit_of_work(c.db) as s:
        hits = list(s.execute(select(WatchHit.record_id, WatchHit.entry_id)).tuples())
        open_tasks = list(s.execute(select(InterceptTask.entry_id, InterceptTask.station_id)
                                    .where(InterceptTask.status == "open")).tuples())
    return hits, open_tasks


@pytest.fixture
def world(tmp_path, redis_url):
    from zhifa.shared.clock import SystemClock

    settings = Settings(env="test", data_dir=tmp_path / "var", database_url="", redis_url=redis_url, stream="redis")
    c = build(settings, clock=SystemClock())
    create_schema(c)
    key = f"test:records:{os.getpid()}:{time.monotonic_ns()}"
    r = redis.Redis.from_url(redis_url)
    yield c, key, r
    r.delete(key, f"{key}:dead")


def test_kill_mid_stream_then_restart_loses_and_duplicates_nothing(world):
    c, key, r = world
    rng = random.Random(11)
    listed = _seed(c, 60, rng)
    rows = _rows(60_000, listed, rng, datetime.now(TZ) - timedelta(hours=1))
    stream = RedisRecordStream("", client=r, stream=key, group="matcher", consumer="c1", batch_size=50)
    stream.publish(rows)
    r.xadd(key, {"rows": "{not json"})  # a malformed entry
    n_entries = r.xlen(key)
    expected = _expected(c, rows)
    assert len(expected) > 300

    env = dict(os.environ, ZHIFA_DATA_DIR=str(c.settings.data_dir), ZHIFA_REDIS_URL=c.settings.redis_url,
               ZHIFA_DATABASE_URL="", ZHIFA_ENV="test")
    cmd = [sys.executable, "-m", "zhifa.cli.main", "intercept", "run", "--stream-key", key, "--consumer", "c1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    read = 0
    while time.monotonic() < deadline:
        groups = {g["name"].decode(): g for g in r.xinfo_groups(key)}
        read = int(groups["matcher"].get("entries-read") or 0) if "matcher" in groups else 0
        if read >= n_entries // 4:
            break
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert read < n_entries, "the consumer finished before it could be killed: not a mid-stream kill"
    hits_at_kill, _ = _stored(c)
    assert 0 < len(hits_at_kill) < len(expected)

    done = subprocess.run(cmd + ["--until-idle"], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]

    hits, open_tasks = _stored(c)
    assert len(hits) == len(set(hits)), "duplicated hits"
    assert set(hits) == expected, f"lost {len(expected - set(hits))}, extra {len(set(hits) - expected)}"
    assert len(open_tasks) == len(set(open_tasks)), "two open tasks for one vehicle at one station"
    assert open_tasks, "hits dispatched tasks over the network"
    assert stream.pending_count() == 0
    with unit_of_work(c.db) as s:
        reasons = list(s.execute(select(StreamDeadLetter.reason)).scalars())
    assert sum("record_id" in x for x in reasons) == sum(1 for row in rows if "record_id" not in row)
    assert any("无法解析" in x for x in reasons)
    assert r.xlen(f"{key}:dead") == len(reasons)


class CrashAfterCommit(RedisRecordStream):
    """Acks nothing and raises once after the first commit: the worst moment for a crash."""

    crashed = False

    def ack(self, ids):
        if not CrashAfterCommit.crashed:
            CrashAfterCommit.crashed = True
            raise RuntimeError("crash between commit and ack")
        super().ack(ids)


def test_crash_between_commit_and_ack_is_redelivered_without_duplicates(world):
    c, key, r = world
    rng = random.Random(5)
    listed = _seed(c, 20, rng)
    rows = _rows(5_000, listed, rng, datetime.now(TZ) - timedelta(minutes=30))
    expected = _expected(c, rows)
    first = CrashAfterCommit("", client=r, stream=key, group="g", consumer="c1", batch_size=100)
    first.publish(rows)
    live = LiveMatcher(c.db, first, c.clock, graph=load_graph(c.db))
    with pytest.raises(RuntimeError):
        live.run(count=10, block_ms=0, idle_exit=True)
    committed, _ = _stored(c)
    assert committed and first.pending_count() > 0
    again = RedisRecordStream("", client=r, stream=key, group="g", consumer="c1")
    rep = LiveMatcher(c.db, again, c.clock, graph=load_graph(c.db)).run(count=10, block_ms=0, idle_exit=True)
    hits, _ = _stored(c)
    assert rep.duplicate_hits == len(committed)  # the re-delivered batch was recognised
    assert len(hits) == len(set(hits)) and set(hits) == expected
    assert again.pending_count() == 0
    with unit_of_work(c.db) as s:
        assert s.execute(select(func.count()).select_from(InterceptTask)).scalar_one() > 0
        # the bad row of the re-delivered batch is kept once, in the database and in the dead stream
        bad = sum(1 for row in rows if "record_id" not in row)
        assert bad == 1 and s.execute(select(func.count()).select_from(StreamDeadLetter)).scalar_one() == bad
    assert r.xlen(f"{key}:dead") == bad


def test_another_consumer_claims_a_dead_consumers_pending_entries(world):
    c, key, r = world
    rng = random.Random(3)
    listed = _seed(c, 10, rng)
    rows = _rows(2_000, listed, rng, datetime.now(TZ) - timedelta(minutes=10))
    expected = _expected(c, rows)
    dead = RedisRecordStream("", client=r, stream=key, group="g", consumer="dead", batch_size=100)
    dead.publish(rows)
    taken = dead.read(count=5)  # delivered to "dead", never processed nor acked
    assert len(taken) == 5
    other = RedisRecordStream("", client=r, stream=key, group="g", consumer="other", claim_idle_ms=0)
    LiveMatcher(c.db, other, c.clock, graph=load_graph(c.db)).run(count=10, block_ms=0, idle_exit=True)
    hits, _ = _stored(c)
    assert set(hits) == expected and len(hits) == len(set(hits))
    assert other.pending_count() == 0


def test_a_message_that_keeps_failing_ends_in_the_dead_letters(world, monkeypatch):
    c, key, r = world
    rng = random.Random(9)
    listed = _seed(c, 5, rng)
    good = _rows(300, listed, rng, datetime.now(TZ) - timedelta(minutes=5))
    st = RedisRecordStream("", client=r, stream=key, group="g", consumer="c1", batch_size=100, max_deliveries=2)
    st.publish([{"record_id": "poison", "gantry_id": "G0", "pass_time": datetime.now(TZ).isoformat(),
                 "plate": listed[0], "plate_color": "blue"}])
    st.publish(good)
    live = LiveMatcher(c.db, st, c.clock, graph=load_graph(c.db))
    real = svc.commit_hits

    def flaky(session, *, hits, **kw):
        if any(h.record.record_id == "poison" for h in hits):
            raise RuntimeError("cannot commit this one")
        return real(session, hits=hits, **kw)

    monkeypatch.setattr("zhifa.interception.live.commit_hits", flaky)
    monkeypatch.setattr("zhifa.interception.live._time.sleep", lambda s: None)
    rep = live.run(count=1, block_ms=0, idle_exit=True, retry_errors=True)
    assert rep.errors == 2  # delivered, failed, re-delivered, failed, then dead-lettered on the third read
    reasons = [fields[b"reason"].decode() for _, fields in r.xrange(f"{key}:dead")]
    assert sum("处理失败" in x for x in reasons) == 1  # the poison message
    assert sum("record_id" in x for x in reasons) == 1  # the row without a record_id in `good`
    hits, _ = _stored(c)
    assert set(hits) == _expected(c, good)
    assert st.pending_count() == 0
