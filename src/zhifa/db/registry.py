"""Imports every slice's orm module so that Base.metadata knows all tables (alembic, create_all)."""

from __future__ import annotations

import importlib
import importlib.util

SLICES = (
    "shared",
    "org",
    "vehicles",
    "records",
    "leads",
    "detection",
    "interception",
    "overload",
    "permits",
    "cases",
    "credit",
    "supervision",
    "complaints",
    "roads",
    "training",
    "reports",
)


def load_all_models() -> None:
    for name in SLICES:
        mod = f"zhifa.{name}.orm"
        if importlib.util.find_spec(mod) is not None:
            importlib.import_module(mod)
