"""`zhifa users create|demo` and `zhifa serve --help` through the CLI."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from tests.e2e.test_web_app import seed_org
from zhifa.bootstrap import build, create_schema
from zhifa.cli.main import app
from zhifa.config import Settings
from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, User
from zhifa.web.auth import verify_password


def _env(tmp_path):
    return {"ZHIFA_DATA_DIR": str(tmp_path / "var"), "ZHIFA_ENV": "test", "ZHIFA_DATABASE_URL": ""}


def _container(tmp_path):
    c = build(Settings(env="test", data_dir=tmp_path / "var", database_url=""))
    create_schema(c)
    seed_org(c)
    return c


def test_users_create_stores_an_argon2_hash(tmp_path):
    c = _container(tmp_path)
    r = CliRunner().invoke(
        app,
        ["users", "create", "--username", "li", "--role", "officer", "--unit", "410102", "--password", "longenough1"],
        env=_env(tmp_path),
    )
    assert r.exit_code == 0, r.output
    with unit_of_work(c.db) as s:
        u = s.execute(select(User).where(User.username == "li")).scalar_one()
        assert u.password_hash.startswith("$argon2") and verify_password(u.password_hash, "longenough1")


def test_users_create_refuses_short_passwords_and_unknown_roles(tmp_path):
    _container(tmp_path)
    runner = CliRunner()
    base = ["users", "create", "--username", "x", "--unit", "410100"]
    r = runner.invoke(app, [*base, "--role", "officer", "--password", "short"], env=_env(tmp_path))
    assert r.exit_code == 1 and "密码至少" in r.output
    r = runner.invoke(app, [*base, "--role", "king", "--password", "longenough1"], env=_env(tmp_path))
    assert r.exit_code == 1 and "未知角色" in r.output


def test_users_demo_creates_one_account_per_role_and_is_idempotent(tmp_path):
    c = _container(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["users", "demo"], env=_env(tmp_path))
    assert r.exit_code == 0, r.output
    assert "analyst_zz" in r.output and "analyst-zz-2022" in r.output
    with unit_of_work(c.db) as s:
        users = {u.username: u for u in s.execute(select(User)).scalars()}
        toll_site = s.get(Site, users["toll_zz"].site_id)
    roles = {u.role for u in users.values() if u.username not in {"prov", "zz", "gy", "party1"}}
    assert roles == {"admin", "analyst", "officer", "legal_reviewer", "supervisor", "toll_operator"}
    assert users["officer_gy"].unit_code == "410181"
    assert toll_site is not None and toll_site.kind == "toll_station"
    assert toll_site.site_id == "ZZ-T1"  # a station inside 郑州's own jurisdiction
    r = runner.invoke(app, ["users", "demo"], env=_env(tmp_path))
    assert r.exit_code == 0 and "exists" in r.output


def test_serve_command_is_registered():
    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output
