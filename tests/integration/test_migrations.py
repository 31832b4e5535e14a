"""Migrations from empty reach exactly the models' schema, on SQLite and on PostgreSQL (no drift)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from zhifa.db.base import Base
from zhifa.db.migrate import check, upgrade
from zhifa.db.registry import load_all_models


def _tables(url: str) -> set[str]:
    eng = sa.create_engine(url)
    try:
        return set(sa.inspect(eng).get_table_names()) - {"alembic_version"}
    finally:
        eng.dispose()


def test_sqlite_upgrade_from_empty_has_no_drift(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    load_all_models()
    assert _tables(url) == set(Base.metadata.tables)
    check(url)  # raises if autogenerate would find any difference


@pytest.mark.postgres
def test_postgres_upgrade_from_empty_has_no_drift(pg_url):
    import uuid

    db = "mig_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {db}"))
    url = pg_url.rsplit("/", 1)[0] + f"/{db}"
    try:
        upgrade(url)
        load_all_models()
        assert _tables(url) == set(Base.metadata.tables)
        check(url)
    finally:
        sa.create_engine(url).dispose()
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE {db} WITH (FORCE)"))
        admin.dispose()
