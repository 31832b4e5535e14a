"""`zhifa simulate` on the organisation's network and `zhifa score` against leads in the SQL table."""

from __future__ import annotations

import json
from datetime import timedelta

import polars as pl
from typer.testing import CliRunner

from zhifa.cli.main import app
from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead


def test_simulate_then_score_leads_from_the_database(tmp_path, container, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(container.settings.data_dir))
    monkeypatch.setenv("ZHIFA_DATABASE_URL", container.settings.sqlalchemy_url)
    monkeypatch.setenv("ZHIFA_ENV", "test")
    out = tmp_path / "sim"
    runner = CliRunner()
    r = runner.invoke(app, ["simulate", "--days", "1", "--scale", "0.001", "--seed", "3", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "truth.parquet").exists() and (out / "truth.csv").exists()
    assert list((out / "records" / "gantry_pass").glob("2022-03-01.parquet"))
    truth = pl.read_parquet(out / "truth.parquet").filter(pl.col("kind") == "overload")
    assert truth.height >= 2

    # two leads: one on a planted overload (true positive), one on an unrelated plate (false positive)
    hit = truth.row(0, named=True)
    now = hit["start"]
    with unit_of_work(container.db) as s:
        for i, (plate, color, start) in enumerate(((hit["plate"], hit["plate_color"], hit["start"]),
                                                   ("豫A00000", "yellow", hit["start"]))):
            s.add(Lead(lead_id=f"L{i}", rule="overload", plate=plate, plate_color=color,
                       start=start + timedelta(minutes=1), end=start + timedelta(minutes=2), unit_code="410000",
                       explanation="test", evidence={}, dedup_key=f"k{i}", status="open", created_at=now))
    r = runner.invoke(app, ["score", "overload", "--truth", str(out / "truth.parquet"), "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output.strip().splitlines()[-1])
    assert got["leads"] == 2 and got["tp"] == 1 and got["fp"] == 1
    assert got["precision"] == 0.5
    assert got["recall"] == 1 / truth.height
