"""The overload-control (治超) pages read in English on request and stay Chinese by default.

Data keeps its language on an English page: lead explanations (stored Chinese sentences), site, unit and
company names, plates, legal citations. The bound on the share of CJK letters (`cjk_share`) leaves room
for that data while failing for any page whose interface text is left Chinese (those score 0.7–1.0).
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.test_overload_service import DAY, T0, entry, wim
from tests.support import cjk_share, csrf_from, english, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.leads.orm import Lead
from zhifa.org.orm import Site
from zhifa.overload import held
from zhifa.overload import messages as m
from zhifa.overload import rules as r
from zhifa.overload import service as svc
from zhifa.records.lake import write_batch
from zhifa.records.schemas import RECORD_TABLES
from zhifa.shared.access import SYSTEM, Actor, Role
from zhifa.shared.plates import lookalikes
from zhifa.vehicles.orm import Enterprise, Vehicle
from zhifa.web.app import create_app

HB = Actor("hb", Role.OFFICER, "410600", frozenset({"410600", "410611"}))
TEMPLATES = Path(__file__).resolve().parents[2] / "src/zhifa/web/templates/overload"
BOUND = 0.2


@pytest.fixture
def client(container):
    """As tests/integration/test_overload_http.py, plus a check station with a held vehicle and a key loading
    source (so the trace-back tasks presume one)."""
    seed_units(container)
    seed_users(container, [("hb", "officer", "410600")])
    with unit_of_work(container.db) as s:
        s.add_all([
            Site(site_id="W1", kind="wim", name="G4鹤壁治超点", unit_code="410611", lon=114.3, lat=35.7,
                 device_class=5.0, deduct_tolerance=False),
            Site(site_id="T1", kind="toll_station", name="鹤壁收费站", unit_code="410611", lon=114.3, lat=35.7),
            Site(site_id="CS1", kind="check_station", name="淇滨超限检测站", unit_code="410611", lon=114.3, lat=35.7),
            Enterprise(enterprise_id="E1", name="鹤壁石料厂", kind="loading_source", unit_code="410611",
                       key_source=True, published_on=date(2022, 1, 10), created_at=T0, updated_at=T0),
        ])
    lake = container.settings.lake_dir
    write_batch(lake, RECORD_TABLES["wim"],
                pl.DataFrame([wim("w1", "豫F11111", 0, 60000), wim("w4", "豫F33333", 20, 105000)]), "b1")
    write_batch(lake, RECORD_TABLES["toll_txn"], pl.DataFrame([entry("t1", "豫F11111", -60, 60000)]), "b2")
    with unit_of_work(container.db) as s:
        svc.run_day(s, actor=SYSTEM, lake_dir=lake, day=DAY, now=T0)
        svc.trace_back_day(s, actor=SYSTEM, lake_dir=lake, day=DAY, now=T0)
        held.hold(s, actor=HB, plate="豫F22222", plate_color="yellow", station_id="CS1", reason="超限未卸载", now=T0)
    with TestClient(create_app(container)) as c:
        login(c, "hb")
        yield c


def _leads(client: TestClient) -> list[dict]:
    return client.get("/api/overload/leads").json()["items"]


def _lead_id(client: TestClient, plate: str) -> str:
    return next(x["lead_id"] for x in _leads(client) if x["plate"] == plate and x["rule"] == "overload")


def _without_explanations(html: str, client: TestClient) -> str:
    """The page without the stored lead explanations (Chinese data, up to 60 characters a row on the list)."""
    for x in _leads(client):
        html = html.replace(x["explanation"], " ").replace(x["explanation"][:60], " ")
    return html


# page → English texts it must show
ENGLISH = {
    "/overload/leads": ["Overload leads", "All statuses", "All categories", "Proposed fine (yuan)", "To review",
                        "Truck of 100 t or more", "yellow", "3 in total"],
    "/overload/records": ["Overload records", "City division code", "Severe overload", "Not determined (bad data)",
                          "Entry weighing", "Off-site (WIM)", "Excess rate", "100 t or more"],
    "/overload/100t": ["Trucks of 100 t or more", "Henan province (longitude", "Gross (kg)", "105000 kg",
                       'aria-label="Where trucks of 100 t or more were weighed"'],
    "/overload/entry-rate?month=2022-03": ["Expressway entry overload rate 2022-03", "By toll station",
                                           "Turned back", "Entry overload rate = trucks over the legal limit"],
    "/overload/sources": ["Loading source companies", "Key loading sources only", "Key loading source", "Yes"],
    "/overload/trace": ["Trace-back tasks", "Presumed loading source", "Rectification order",
                        "Administrative penalty", 'placeholder="Fine (yuan)"', "Trace-back by city", "no entry record"],
    "/overload/held": ["Vehicles held at overload check stations", "Deadline 15 days", "Held since",
                       "Register a held vehicle", "Plate colour", '<option value="yellow_green">yellow-green</option>',
                       'placeholder="Action taken and one-to-one service given"'],
}

# page → its Chinese heading, as it always was
CHINESE = {
    "/overload/leads": "<h1>超限线索研判</h1>",
    "/overload/records": "<h1>超限检测记录</h1>",
    "/overload/100t": "<h1>百吨王（总重≥100吨）</h1>",
    "/overload/entry-rate?month=2022-03": "<h1>高速公路入口超限率 2022-03</h1>",
    "/overload/sources": "<h1>货运源头单位</h1>",
    "/overload/trace": "<h1>源头倒查任务</h1>",
    "/overload/held": "<h1>超限检测站滞留车辆</h1>",
}


def test_every_overload_page_reads_in_english(client):
    english(client)
    for path, texts in ENGLISH.items():
        res = client.get(path)
        assert res.status_code == 200, (path, res.text[:500])
        html = res.text
        for text in texts:
            assert text in html, (path, text)
        share = cjk_share(_without_explanations(html, client))
        assert share < BOUND, (path, share)
    # the other groupings and filters too
    for path, text in (("/overload/entry-rate?month=2022-03&by=city", "<th>City</th>"),
                       ("/overload/entry-rate?month=2022-03&by=province", "<th>Province</th>"),
                       ("/overload/records?severity=", "Overload records"),
                       ("/overload/sources?key_only=true", "All loading sources"),
                       ("/overload/trace?status=closed", "No tasks"),
                       ("/overload/held?status=cleared", "None")):
        html = client.get(path).text
        assert text in html, (path, text)
        assert cjk_share(html) < BOUND, path


def test_a_lead_reads_in_english_with_its_evidence_sentences(client, container):
    lead_id, other = _lead_id(client, "豫F11111"), _lead_id(client, "豫F33333")
    english(client)
    page = client.get(f"/overload/leads/{lead_id}")
    assert page.status_code == 200
    html = page.text
    for text in ("Overload: 豫F11111 yellow", "To review", "Time: 2022-03-01 07:00 to 2022-03-01 08:00; site:",
                 "This plate is not in the vehicle register.", "Legal basis: 《", "Rule version:",
                 "Heaviest weighing: gross 60000 kg, limit 49000 kg", "Proposed penalty: CNY 5,500",
                 "Evidence integrity: every part matches its SHA-256 digest.", "gross 60000 kg, 6 axles",
                 "vehicle kind unknown (most lenient limit applied)",
                 "Articulated vehicle (classified by the weighing device)", "expired or not registered",
                 "w1_front.jpg (not stored)", "Evidence bundle digest:", "Comment (a reason is required to reject)",
                 "Confirm and open a case", "G4鹤壁治超点"):
        assert text in html, text
    # the explanation (stored Chinese), the legal citations and the site and unit names stay as they are;
    # without the explanation the rest of the page is mostly English
    assert cjk_share(_without_explanations(html, client)) < BOUND

    # a registered look-alike of the plate, and a record changed after the lead was drafted
    with unit_of_work(container.db) as s:
        s.add(Vehicle(plate=lookalikes("豫F11111", "yellow")[0], plate_color="yellow", axle_count=6,
                      vehicle_kind="tractor_semitrailer", created_at=T0, updated_at=T0))
        lead = s.execute(select(Lead).where(Lead.lead_id == lead_id)).scalar_one()
        ev = copy.deepcopy(lead.evidence)
        ev["parts"][1]["record"]["gross_weight_kg"] = 70000
        lead.evidence = ev
    html = client.get(f"/overload/leads/{lead_id}").text
    assert ("This plate is not in the vehicle register; the plate may have been misread. Similar registered plates: "
            f"{lookalikes('豫F11111', 'yellow')[0]}. Check the photos before confirming.") in html
    assert "Do not impose a penalty on this evidence; report it to the system administrator: part 2 record" in html
    assert cjk_share(_without_explanations(html, client)) < BOUND

    # confirmed: the review comment, the case and the notice (the PDF itself stays Chinese)
    r_ = client.post(f"/overload/leads/{other}/review", data={"decision": "confirmed", "reason": "核实无误",
                                                              "csrf_token": csrf_from(html)}, follow_redirects=False)
    assert r_.status_code == 303
    html = client.get(f"/overload/leads/{other}").text
    for text in ("Confirmed", "Review comment: 核实无误", "Case: <a", "Notice of intended penalty: <a",
                 "(PDF)</a>", '<span class="tag">100 t or more</span>', '<span class="tag">Severe overload</span>',
                 "Proposed penalty: CNY 28,000"):
        assert text in html, text
    assert cjk_share(_without_explanations(html, client)) < BOUND


def test_closing_and_clearing_show_english_outcomes(client):
    english(client)
    page = client.get("/overload/trace").text
    task_id = page.split('action="/overload/trace/')[1].split("/close")[0]
    r_ = client.post(f"/overload/trace/{task_id}/close", data={"outcome": "penalty", "note": "已处罚",
                                                               "fine_yuan": "5000", "csrf_token": csrf_from(page)},
                     follow_redirects=False)
    assert r_.status_code == 303
    html = client.get("/overload/trace?status=closed").text
    assert "Administrative penalty (CNY 5,000)" in html and cjk_share(html) < BOUND
    page = client.get("/overload/held").text
    held_id = page.split('action="/overload/held/')[1].split("/clear")[0]
    r_ = client.post(f"/overload/held/{held_id}/clear", data={"service_note": "已卸载", "csrf_token": csrf_from(page)},
                     follow_redirects=False)
    assert r_.status_code == 303
    html = client.get("/overload/held?status=cleared").text
    assert "Cleared 2022-03-01 09:00" in html and cjk_share(html) < BOUND


def test_chinese_stays_the_default(client):
    for path, heading in CHINESE.items():
        html = client.get(path).text
        assert heading in html, path
        assert cjk_share(html) > 0.5, path
        assert "Filter" not in html and "Overload records" not in html, path
    html = client.get("/overload/records").text
    assert '<th class="num">扣除误差</th>' in html
    assert "豫F11111 黄" in html and "<td>入口称重</td>" in html and "<td>非现场</td>" in html
    assert '<option value="yellow_green">黄绿</option>' in client.get("/overload/held").text
    assert "处理期限 15 天（held-2021.1，超限检测站滞留车辆处理期限（平台默认值，UNVERIFIED，可配置））" in \
        client.get("/overload/held").text
    lead_id = _lead_id(client, "豫F11111")
    html = client.get(f"/overload/leads/{lead_id}").text
    for text in ("<h1>超限运输：豫F11111 黄</h1>", "时间：2022-03-01 07:00 至 2022-03-01 08:00；站点：鹤壁收费站；单位：淇滨区",
                 "<p class=\"alert alert-error\">该号牌未在车辆登记库中。</p>", "拟处罚：5,500 元",
                 "证据完整性：各部分与其 SHA-256 摘要一致。", "总重 60000 千克，6 轴", "车型未知（按最宽限值）",
                 "铰接列车（称重设备识别）", "w1_front.jpg（未入库）", "意见（驳回须填写理由）", "确认并立案"):
        assert text in html, text


def test_messages_are_complete_and_labels_match_the_code():
    assert set(m.ZH) == set(m.EN)
    assert all(m.EN[k] for k in m.EN)
    used = set()
    for tpl in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"t\('(overload\.[a-z0-9_.]*[a-z0-9_])'", tpl.read_text("utf-8")))
    used |= {f"overload.entry.{by}" for by in ("station", "city", "province")}  # t('overload.entry.' + by)
    assert used and used <= set(m.ZH), used - set(m.ZH)
    # the Chinese labels are the ones the code already uses; each code has an English label
    assert {k: zh for k, (zh, _) in m.TRACE_OUTCOME_LABELS.items()} == svc.TRACE_OUTCOMES
    assert {k: zh for k, (zh, _) in m.REASON_LABELS.items()} == r.REASON_LABELS_ZH
    assert {k: zh for k, (zh, _) in m.DETERMINATION_STATUS_LABELS.items()} == r.STATUS_LABELS_ZH
    assert m.rule_labels("zh") == svc.RULE_LABELS_ZH
    from zhifa.leads.model import LEAD_STATUS_LABELS
    from zhifa.shared.plates import COLOR_SHORT_LABELS

    for table in (COLOR_SHORT_LABELS, LEAD_STATUS_LABELS, m.KIND_LABELS, m.KIND_SOURCE_LABELS,
                  m.DETERMINATION_STATUS_LABELS, m.REASON_LABELS, m.SOURCE_LABELS, m.TRACE_OUTCOME_LABELS):
        assert all(en for _zh, en in table.values())
    assert set(m.HOLDING_RULE_SOURCE_EN) == {x.version for x in held.HOLDING_RULES}
