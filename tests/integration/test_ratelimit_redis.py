"""The shared rate limit: every process counts against one window in Redis; without Redis, in the process."""

from __future__ import annotations

import uuid

import redis

from zhifa.bootstrap import build
from zhifa.config import Settings
from zhifa.shared.ratelimit import RedisSlidingWindowLimiter, SlidingWindowLimiter


def test_two_processes_share_one_window(redis_url):
    name = f"t{uuid.uuid4().hex[:8]}"
    a = RedisSlidingWindowLimiter(redis.Redis.from_url(redis_url), name, limit=3, window_s=60)
    b = RedisSlidingWindowLimiter(redis.Redis.from_url(redis_url), name, limit=3, window_s=60)  # another worker
    assert [a.allow("1.2.3.4", 100.0), b.allow("1.2.3.4", 100.0), a.allow("1.2.3.4", 100.0)] == [True] * 3
    assert b.allow("1.2.3.4", 101.0) is False and a.allow("1.2.3.4", 101.0) is False
    assert a.allow("5.6.7.8", 101.0) is True  # per address
    assert b.allow("1.2.3.4", 160.5) is True  # the first events left the window
    a.reset()
    assert [a.allow("1.2.3.4", 161.0) for _ in range(3)] == [True] * 3


def test_redis_down_falls_back_to_counting_in_the_process_without_asking_it_again():
    lim = RedisSlidingWindowLimiter.connect("redis://127.0.0.1:1/0", "x", 2, 60)
    assert lim.allow("k", 1.0) is True  # the connection fails: counted in the process
    calls = []
    lim._script = lambda **kw: calls.append(kw)  # Redis is not asked again until RETRY_AFTER_S has passed
    assert [lim.allow("k", 1.0), lim.allow("k", 1.0)] == [True, False] and calls == []


def test_the_container_builds_each_limiter_once_with_the_configured_backend(tmp_path, redis_url):
    mem = build(Settings(env="test", data_dir=tmp_path / "a", database_url=""))
    assert isinstance(mem.limiter("portal", 20, 60), SlidingWindowLimiter)
    assert mem.limiter("portal", 20, 60) is mem.limiter("portal", 20, 60)
    shared = build(Settings(env="test", data_dir=tmp_path / "b", database_url="", rate_limit_backend="redis",
                            redis_url=redis_url))
    assert isinstance(shared.limiter("portal", 20, 60), RedisSlidingWindowLimiter)


def test_two_server_processes_count_public_reports_together(tmp_path, redis_url):
    """Open311 submissions through two apps (two processes' worth of state) against one Redis window."""
    from fastapi.testclient import TestClient

    from tests.support import seed_units
    from zhifa.bootstrap import create_schema
    from zhifa.web.app import create_app

    settings = Settings(env="test", data_dir=tmp_path / "a", database_url="", rate_limit_backend="redis",
                        redis_url=redis_url, public_rate_limit_per_minute=2)
    first = build(settings)
    create_schema(first)
    seed_units(first)
    second = build(settings)  # same database, its own limiters: another worker
    first.limiter("public_reports", 2, 60).reset()

    def post(app_client, i):
        return app_client.post("/open311/v2/requests.json", data={
            "service_code": "other", "lat": "34.75", "long": "113.62", "description": f"第{i}次测试提交内容"}).status_code

    with TestClient(create_app(first)) as a, TestClient(create_app(second)) as b:
        assert [post(a, 1), post(b, 2), post(a, 3), post(b, 4)] == [200, 200, 429, 429]
    first.limiter("public_reports", 2, 60).reset()


def test_wrong_passwords_count_across_processes(redis_url):
    from zhifa.shared.ratelimit import RedisFailureWindow

    name = f"login{uuid.uuid4().hex[:8]}"
    a = RedisFailureWindow.connect(redis_url, name, 2, 300)
    b = RedisFailureWindow.connect(redis_url, name, 2, 300)  # another worker
    a.failed("ip:9", "user:zz", now=10.0)
    assert not b.blocked("ip:9", now=11.0)
    b.failed("ip:9", "user:zz", now=11.0)
    assert a.blocked("ip:9", now=12.0) and a.blocked("user:zz", now=12.0) and not a.blocked("ip:8", now=12.0)
    a.succeeded("user:zz")
    assert not b.blocked("user:zz", now=13.0) and b.blocked("ip:9", now=13.0)
    assert not b.blocked("ip:9", now=400.0)  # out of the window
    down = RedisFailureWindow.connect("redis://127.0.0.1:1/0", name, 1, 300)
    down.failed("ip:1", now=1.0)
    assert down.blocked("ip:1", now=2.0)  # counted in the process while Redis is down
