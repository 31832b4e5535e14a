"""Errors of the lead review and the trajectory query in English (cookie lang=en); Chinese stays the default."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.test_detect_service import DAY, NOW, world  # noqa: F401 - `world` is a fixture
from tests.support import csrf_from, english, login, seed_users
from zhifa.detection.service import run_detectors
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app


def test_lead_review_errors_in_english_and_chinese_by_default(world):  # noqa: F811
    run_detectors(world, day=DAY, actor=SYSTEM, now=NOW, history_days=1)
    seed_users(world, [("zz", "analyst", "410100")])
    with TestClient(create_app(world)) as client:
        login(client, "zz")
        lead_id = client.get("/api/leads").json()["items"][0]["lead_id"]
        token = csrf_from(client.get(f"/leads/{lead_id}").text)

        def review(**form: str):
            return client.post(f"/leads/{lead_id}/review", data={"csrf_token": token, **form})

        r = review(decision="rejected", follow_up="case")
        assert r.status_code == 422 and "只有确认的线索才能立案或布控" in r.text
        r = review(decision="rejected", follow_up="none")
        assert r.status_code == 422 and "驳回线索须填写理由" in r.text
        assert "线索不存在" in client.get("/leads/NOPE").text
        english(client)
        r = review(decision="rejected", follow_up="case")
        assert r.status_code == 422 and "Only a confirmed lead can be turned into a case or watch-listed" in r.text
        r = review(decision="rejected", follow_up="none")
        assert r.status_code == 422 and "Rejecting a lead requires a reason" in r.text
        r = review(decision="confirmed", follow_up="case", party_name=" ")
        assert r.status_code == 422 and "Opening a case requires the party" in r.text
        r = client.get("/leads/NOPE")
        assert r.status_code == 404 and "Lead not found" in r.text and "线索不存在" not in r.text
        # the API keeps the Chinese detail and adds the English one
        r = client.get("/api/trajectory", params={"plate": "豫A12345", "day": "bad"})
        assert r.status_code == 422
        assert r.json() == {"detail": "日期格式无效（应为 YYYY-MM-DD）", "detail_en": "Invalid date (expected YYYY-MM-DD)"}
        r = client.post(f"/api/leads/{lead_id}/review", json={"decision": "rejected", "follow_up": "none"},
                        headers={"x-csrf-token": token})
        assert r.json()["detail_en"] == "Rejecting a lead requires a reason"
