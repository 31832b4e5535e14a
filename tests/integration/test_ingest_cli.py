"""`zhifa ingest` and `zhifa quarantine list` through the CLI."""

from __future__ import annotations

import csv

import pytest
import typer
from typer.testing import CliRunner

from zhifa.bootstrap import build, create_schema
from zhifa.config import Settings
from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, Unit
from zhifa.records import lake
from zhifa.records.commands import register

HEADER = [
    "record_id",
    "gantry_id",
    "pass_time",
    "plate",
    "plate_color",
    "vehicle_class",
    "axle_count",
    "direction",
    "media",
]


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ZHIFA_ENV", "test")
    c = build(Settings())
    create_schema(c)
    with unit_of_work(c.db) as s:
        s.add(Unit(unit_code="410000", name="河南省", level="province"))
        s.flush()
        s.add(Site(site_id="G1", kind="gantry", name="G1", unit_code="410000", lon=113.6, lat=34.7))
    a = typer.Typer()
    register(a)
    return a, c


def write(path, body, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body)
    return path


def test_ingest_reports_counts_and_continues_after_a_malformed_file(app, tmp_path):
    a, c = app
    good = write(
        tmp_path / "good.csv",
        [
            ["r1", "G1", "2022-03-01T08:00:00+08:00", "豫A12345", "blue", "1", "2", "1", "obu"],
            ["r2", "G9", "2022-03-01T08:00:00+08:00", "豫A12345", "blue", "1", "2", "1", "obu"],
        ],
    )
    bad = write(tmp_path / "bad.csv", [["x"]], header=["what"])
    later = write(
        tmp_path / "later.csv",
        [["r3", "G1", "2022-03-01T09:00:00", "豫B12345", "blue", "1", "2", "2", "cpc"]],
    )
    res = CliRunner().invoke(a, ["ingest", str(good), str(bad), str(later)], terminal_width=200)
    assert res.exit_code == 1, res.output
    assert "bad.csv" in res.output and "1 个文件未能导入" in res.output
    assert "gantry_pass" in res.output
    assert sorted(lake.read(c.settings.lake_dir, "gantry_pass")["record_id"].to_list()) == ["r1", "r3"]

    out = CliRunner().invoke(
        a, ["quarantine", "list", "--table", "gantry_pass", "--limit", "5"], terminal_width=200
    )
    assert out.exit_code == 0, out.output
    assert "站点不存在" in out.output and "r2" in out.output


def test_ingest_of_clean_files_exits_zero(app, tmp_path):
    a, _ = app
    f = write(
        tmp_path / "g.csv",
        [["r1", "G1", "2022-03-01T08:00:00+08:00", "豫A12345", "blue", "1", "2", "1", "obu"]],
    )
    res = CliRunner().invoke(a, ["ingest", str(f), "--table", "gantry_pass"], terminal_width=200)
    assert res.exit_code == 0, res.output
