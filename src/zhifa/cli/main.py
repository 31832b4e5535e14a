"""The `zhifa` command. Each slice adds its commands through `register(app)` in its commands.py."""

from __future__ import annotations

import importlib
import importlib.util

import typer

from zhifa.cli.core import register as register_core

app = typer.Typer(
    name="zhifa",
    help="zhifa — 交通运输综合执法综合管理服务平台 (integrated transport law-enforcement platform).",
    no_args_is_help=True,
    add_completion=False,
)

register_core(app)

COMMAND_SLICES = (
    "org",
    "vehicles",
    "records",
    "sim",
    "leads",
    "detection",
    "overload",
    "interception",
    "permits",
    "cases",
    "credit",
    "supervision",
    "complaints",
    "roads",
    "training",
    "reports",
    "web",
)

for _name in COMMAND_SLICES:
    _mod = f"zhifa.{_name}.commands"
    if importlib.util.find_spec(_mod) is not None:
        importlib.import_module(_mod).register(app)


if __name__ == "__main__":
    app()
