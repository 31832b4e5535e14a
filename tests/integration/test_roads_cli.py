"""`zhifa roads …` and `zhifa training …` through the CLI: generate pairs, score them, detect changes
(refusing a bad pair with exit code 2), write an archive PDF."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

import zhifa.training.orm  # noqa: F401 - tables for create_schema until the slice is registered
from tests.support import seed_units
from zhifa.bootstrap import build, create_schema
from zhifa.config import Settings


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ZHIFA_ENV", "test")
    monkeypatch.setenv("ZHIFA_DATABASE_URL", "")
    c = build(Settings())
    create_schema(c)
    seed_units(c)
    from zhifa.roads.commands import register as roads
    from zhifa.training.commands import register as training

    app = typer.Typer()
    roads(app)
    training(app)
    return app, c


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args], terminal_width=200)


def test_generate_score_detect_and_archive(cli, tmp_path):
    app, _ = cli
    pairs = tmp_path / "pairs"
    r = run(app, "roads", "generate-pairs", "--out", pairs, "--n", 2, "--size", 384, "--with-roads")
    assert r.exit_code == 0, r.output
    assert (pairs / "pair01_truth.geojson").exists() and "stored" in r.output
    r = run(app, "roads", "score", "--pairs", pairs, "--json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    assert rep["all"]["precision"] >= 0.9 and rep["all"]["recall"] >= 0.9 and len(rep["pairs"]) == 2
    r = run(app, "roads", "detect-changes", pairs / "pair01_A.tif", pairs / "pair01_B.tif")
    assert r.exit_code == 0, r.output
    assert "新建核查任务" in r.output
    r = run(app, "roads", "detect-changes", pairs / "pair01_A.tif", pairs / "pair02_B.tif")
    assert r.exit_code == 2 and "未配准" in r.output
    r = run(app, "roads", "list")
    assert r.exit_code == 0 and "pair01" in r.output
    out = tmp_path / "a.pdf"
    r = run(app, "roads", "archive", "SYN-pair01-R1", 2022, "--out", out)
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF")
    assert run(app, "roads", "archive", "NOPE", 2022).exit_code == 1


def test_score_refuses_a_directory_without_pairs(cli, tmp_path):
    app, _ = cli
    assert run(app, "roads", "score", "--pairs", tmp_path).exit_code == 2


def test_training_commands_run_on_an_empty_year(cli):
    app, _ = cli
    r = run(app, "training", "figures", 2022)
    assert r.exit_code == 0 and "sessions_held: 0" in r.output
    assert run(app, "training", "rank", 2022).exit_code == 0
    assert run(app, "training", "surveys").exit_code == 0
