"""Shared fixtures: settings in a temp dir, a fresh SQLite database, PostgreSQL and Redis when available.

Servers: `make test` starts PostgreSQL and Redis and sets ZHIFA_TEST_PG_URL / ZHIFA_TEST_REDIS_URL.
With ZHIFA_REQUIRE_SERVERS=1 (CI) a missing server is an error, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest

from zhifa.bootstrap import Container, build, create_schema
from zhifa.config import Settings
from zhifa.shared.clock import TZ, FixedClock

REQUIRE_SERVERS = os.environ.get("ZHIFA_REQUIRE_SERVERS") == "1"


def _server_url(var: str) -> str:
    url = os.environ.get(var, "")
    if not url:
        if REQUIRE_SERVERS:
            pytest.fail(f"{var} is not set but ZHIFA_REQUIRE_SERVERS=1")
        pytest.skip(f"{var} not set (run `make test` to start the servers)")
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 3, 1, 9, 0, tzinfo=TZ))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "var", database_url="")


@pytest.fixture
def container(settings, clock) -> Container:
    c = build(settings, clock=clock)
    create_schema(c)
    return c


@pytest.fixture
def db(container):
    return container.db


@pytest.fixture
def pg_url() -> str:
    return _server_url("ZHIFA_TEST_PG_URL")


@pytest.fixture
def redis_url() -> str:
    return _server_url("ZHIFA_TEST_REDIS_URL")


@pytest.fixture
def pg_container(pg_url, tmp_path, clock) -> Container:
    """A fresh PostgreSQL schema per test (search_path), dropped afterwards."""
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    c = build(Settings(env="test", data_dir=tmp_path / "var", database_url=url), clock=clock)
    create_schema(c)
    yield c
    c.db.engine.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
