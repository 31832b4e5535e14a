"""The credit list (严重违法失信名单) in English (cookie lang=en); Chinese stays the default."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.integration.test_credit_service import T0, seed
from tests.support import cjk_share, english, login, seed_users
from zhifa.credit import service as cs
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app


def test_credit_list_in_english(container):
    seed(container, {"豫F10000": 4, "豫F10001": 3, "豫F10002": 1})
    with unit_of_work(container.db) as s:
        cs.compute(s, actor=SYSTEM, now=T0 + timedelta(days=200))
    seed_users(container, [("hb", "analyst", "410600")])
    with TestClient(create_app(container)) as client:
        login(client, "hb")
        zh = client.get("/credit")
        assert "严重违法失信超限运输名单" in zh.text and "货车一年内违法超限运输超过3次" in zh.text
        english(client)
        r = client.get("/credit")
        assert r.status_code == 200
        for text in ("Serious dishonesty list", "Export CSV", "All subjects", "Transport company", "Criterion",
                     "Truck: more than 3 illegal overload trips within one year", "To publish", "Publish",
                     "An entry leaves the public list 2 years after publication"):
            assert text in r.text, text
        # subject names (plates, company names) are data in Chinese
        assert cjk_share(r.text) < 0.2, round(cjk_share(r.text), 3)
