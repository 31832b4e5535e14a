"""`zhifa cases list|show|overdue|advance` against a SQLite database in a temp dir."""

from __future__ import annotations

from datetime import date, datetime

from typer.testing import CliRunner

from zhifa.bootstrap import build, create_schema
from zhifa.cases import service as cs
from zhifa.cli.main import app
from zhifa.config import Settings
from zhifa.db.session import unit_of_work
from zhifa.org.orm import Unit
from zhifa.shared.access import SYSTEM, Actor, Role
from zhifa.shared.clock import TZ
from zhifa.web.auth import create_user

OFFICER = Actor(username="off", role=Role.OFFICER, unit_code="410105", unit_codes=frozenset({"410105"}))


def test_cli_lists_shows_sweeps_and_advances(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ZHIFA_ENV", "test")
    c = build(Settings())
    create_schema(c)
    opened = datetime(2022, 1, 4, 9, tzinfo=TZ)  # long ago: the 90-day deadline has passed by now
    with unit_of_work(c.db) as s:
        for code, name, level, parent in [("410000", "河南省", "province", None), ("410105", "金水区", "county", "410000")]:
            s.add(Unit(unit_code=code, name=name, level=level, parent_code=parent, city_code=code))
        s.flush()
        create_user(s, actor=SYSTEM, username="off", password="secret-pass-1", role="officer", unit_code="410105", now=opened)
        case = cs.open_case(s, actor=OFFICER, catalogue_code="GPS-OFF", proposed_fine_yuan=2000, facts="关闭动态监控",
                            party_name="张三", party_kind="person", act_on=date(2022, 1, 2), now=opened, plate="豫A1")
        case_id = case.case_id
    runner = CliRunner()
    r = runner.invoke(app, ["cases", "list"])
    assert r.exit_code == 0 and "张三" in r.output
    r = runner.invoke(app, ["cases", "overdue"])
    assert r.exit_code == 0 and "new overdue 1" in r.output
    r = runner.invoke(app, ["cases", "list", "--overdue"])
    assert "逾期" in r.output
    r = runner.invoke(app, ["cases", "advance", case_id, "served", "--user", "off"])
    assert r.exit_code == 1 and "不能转为" in r.output
    r = runner.invoke(app, ["cases", "advance", case_id, "investigating", "--user", "off"])
    assert r.exit_code == 0 and "investigating" in r.output
    r = runner.invoke(app, ["cases", "show", case_id])
    assert r.exit_code == 0 and "cases.investigating" in r.output and "cases.overdue" in r.output
