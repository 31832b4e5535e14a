"""The lead pages and the trajectory page in English (cookie lang=en); Chinese stays the default.

Explanations and evidence are written by the detectors in Chinese (data), so pages are checked against a
bound on the share of CJK letters in <main> rather than zero."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.test_detect_service import DAY, NOW, TRUCK, world  # noqa: F401 - `world` is a fixture
from tests.support import cjk_share, csrf_from, english, login, seed_users
from zhifa.detection.service import run_detectors
from zhifa.shared.access import SYSTEM
from zhifa.web.app import create_app


def _english_page(client: TestClient, path: str, bound: float = 0.2) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    share = cjk_share(r.text)
    assert share < bound, (path, round(share, 3))
    return r.text


def test_lead_pages_and_trajectory_in_english(world):  # noqa: F811
    run_detectors(world, day=DAY, actor=SYSTEM, now=NOW, history_days=1)
    seed_users(world, [("zz", "analyst", "410100")])
    with TestClient(create_app(world)) as client:
        login(client, "zz")
        assert "线索研判" in client.get("/leads").text  # default: Chinese
        assert "车辆轨迹" in client.get("/trajectory").text
        english(client)
        page = _english_page(client, "/leads")
        assert "Lead review" in page and "2 leads in total" in page and "All rules" in page
        assert "GPS monitoring switched off" in page and "To review" in page and "Explanation" in page
        items = client.get("/api/leads").json()["items"]
        gps_id = next(x["lead_id"] for x in items if x["rule"] == "gps_off")
        big_id = next(x["lead_id"] for x in items if x["rule"] == "oversize_beyond_route")
        # the detector's explanation (a long Chinese sentence with its legal citation) and the unit name are data:
        # a looser bound (about 0.22 measured)
        page = _english_page(client, f"/leads/{gps_id}", bound=0.3)
        for text in ("GPS monitoring switched off", "Vehicle", "Rule version", "Evidence", "Article", "GPS fix before",
                     "Trajectory of that day", "After confirming", "Watch-list the vehicle", "Open a case (GPS-OFF)",
                     "Proposed fine (yuan)", "yellow"):
            assert text in page, text
        page = _english_page(client, f"/leads/{big_id}", bound=0.3)
        assert "Oversize transport beyond its route" in page and "Permits" in page
        token = csrf_from(page)
        r = client.post(f"/leads/{gps_id}/review", data={"decision": "confirmed", "follow_up": "watch",
                                                         "csrf_token": token})
        assert r.status_code == 200 and "Watch-listed:" in r.text and "Confirmed" in r.text
        page = _english_page(client, "/leads?day=bad")
        assert "Invalid date (expected YYYY-MM-DD)" in page
        page = _english_page(client, f"/trajectory?plate={TRUCK}&color=yellow&day=2022-03-01")
        for text in ("Vehicle trajectory", "Plate colour", "Gradient green (new energy)", "Trip", "Plate as read",
                     'data-msg-none="No passes on that day"', 'data-kind-gantry="Gantry"'):
            assert text in page, text
