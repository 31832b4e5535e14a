"""Schemathesis over the public door (Open311 and /api/public): no generated input may cause a server error.

The number of generated cases is recorded in test-artifacts/schemathesis_public.txt."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.support import ARTIFACTS
from zhifa.bootstrap import build, create_schema
from zhifa.config import Settings

COUNTER = {"cases": 0}
pytestmark = pytest.mark.xdist_group("public-fuzz")  # one worker counts all cases


def _app(tmp: str):  # type: ignore[no-untyped-def]
    from tests.support import seed_units
    from zhifa.web.app import create_app

    c = build(Settings(env="test", data_dir=tmp, database_url="", public_rate_limit_per_minute=100_000))
    create_schema(c)
    seed_units(c)
    return create_app(c)


import tempfile  # noqa: E402

_tmp = tempfile.mkdtemp(prefix="zhifa-fuzz-")
schema = schemathesis.openapi.from_asgi("/openapi.json", _app(_tmp)).include(path_regex=r"^/(open311|api/public)/")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_on_any_generated_input(case):
    COUNTER["cases"] += 1
    case.call_and_validate(checks=[not_a_server_error])


def teardown_module(module) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "schemathesis_public.txt").write_text(f"generated cases: {COUNTER['cases']}\n")
    assert COUNTER["cases"] > 0
