"""`make demo`'s data steps end to end, as a new user runs them (small scale): init, demo accounts,
simulate, ingest, every detector, the replay, the demo activity — then the records are where the pages
read them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ZHIFA = str(Path(sys.executable).with_name("zhifa"))


@pytest.mark.slow
def test_the_demo_pipeline_builds_a_working_province(tmp_path):
    # as `make demo`: the clock starts the morning after the simulated day (2022-03-01)
    env = dict(os.environ, ZHIFA_DATA_DIR=str(tmp_path), ZHIFA_ENV="local", ZHIFA_CLOCK_START="2022-03-02T10:00:00+08:00")
    env.pop("ZHIFA_DATABASE_URL", None)

    def run(*cmd: str) -> str:
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, f"{cmd}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
        return p.stdout

    run(ZHIFA, "init")
    accounts = run(ZHIFA, "users", "demo")
    assert "officer_zz" in accounts and "toll_zz" in accounts
    run("bash", "scripts/demo_pipeline.sh", str(tmp_path), "1", "0.002")
    run(ZHIFA, "audit", "verify")
    con = sqlite3.connect(tmp_path / "zhifa.db")
    try:
        count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert count("select count(*) from leads where rule = 'overload'") > 0
        assert count("select count(*) from cases") > 0
        assert count("select count(*) from watch_hits") > 0
        assert count("select count(*) from complaints") > 0
        assert count("select count(*) from work_orders") > 0
        assert count("select count(*) from held_vehicles") > 0
        # the demo's officers work on the day the pages call today, not on a day after it
        assert str(count("select max(created_at) from cases")).startswith("2022-03-02")
    finally:
        con.close()
