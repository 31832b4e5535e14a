"""The supervision pages (work orders, inspections, interviews and accountability, joint operations, rankings)
in English (cookie `lang=en`) and, by default, still in Chinese."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.support import cjk_share, csrf_from, english, login, seed_units, seed_users
from zhifa.web.app import create_app


def _share(html: str) -> float:
    """CJK share of the page without its <select> lists: those list all ~200 units of the province by their
    Chinese names (data), which would otherwise outweigh the page's own texts."""
    return cjk_share(re.sub(r"<select\b.*?</select>", "", html, flags=re.S))


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000"), ("zz", "officer", "410100")])
    with TestClient(create_app(container)) as c:
        yield c


def _seed(c: TestClient) -> str:
    """Logged in as the province supervisor: an order that is accepted, urged and completed, an inspection round
    with findings, an interview, an accountability record and a joint operation. Returns the order's id."""
    login(c, "sup")
    tok = csrf_from(c.get("/supervision/orders").text)
    r = c.post("/supervision/orders", data={"csrf_token": tok, "unit_code": "410000", "source": "complaint",
                                            "title": "投诉：收费站执法人员态度恶劣", "description": "请核查"},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    order_id = r.headers["location"].rsplit("/", 1)[-1]
    for action, note in [("accept", ""), ("urge", "请加快"), ("complete", "已整改"), ("callback_satisfied", "")]:
        assert c.post(f"/supervision/orders/{order_id}/act", data={"csrf_token": tok, "action": action, "note": note},
                      follow_redirects=False).status_code == 303, action
    c.post("/supervision/orders", data={"csrf_token": tok, "unit_code": "410100", "source": "inspection",
                                        "title": "暗访发现问题"})
    assert c.post("/supervision/inspections", data={"csrf_token": tok, "title": "五一暗访", "kind": "secret",
                                                     "units": "410100,410181", "start": "2022-02-20",
                                                     "end": "2022-02-25"}).status_code == 200
    round_id = re.search(r'/supervision/inspections/([^/]+)/findings', c.get("/supervision/inspections").text).group(1)
    for unit in ("410100", "410181"):
        c.post(f"/supervision/inspections/{round_id}/findings",
               data={"csrf_token": tok, "unit_code": unit, "description": "未公示收费标准"})
    finding_id = re.search(r'/supervision/findings/([^/]+)/rectified', c.get("/supervision/inspections").text).group(1)
    c.post(f"/supervision/findings/{finding_id}/rectified", data={"csrf_token": tok})
    c.post("/supervision/interviews", data={"csrf_token": tok, "unit_code": "410100", "subject": "郑州支队",
                                            "reason": "负面舆情", "held_on": "2022-02-10"})
    c.post("/supervision/accountability", data={"csrf_token": tok, "unit_code": "410100", "officer_name": "李某",
                                                "kind": "organisational", "measure": "诫勉谈话", "reason": "执法不规范",
                                                "decided_on": "2022-02-11"})
    c.post("/supervision/operations", data={"csrf_token": tok, "title": "打非治违", "partners": "公安交警",
                                            "areas": "410100", "start": "2022-02-01", "end": "2022-02-05",
                                            "vehicles_checked": "500", "vehicles_handled": "37", "case_ids": "c1,c2"})
    return order_id


def test_supervision_pages_in_english(client):
    c = client
    order_id = _seed(c)
    english(c)
    pages = {
        "/supervision/orders": ["Work orders", "Handling unit", "Closed after callback", "Complaint",
                                "Assign a new work order", "Time limit (working days, default 10)"],
        f"/supervision/orders/{order_id}": ["Closed after callback", "Assigned by", "counted in working days",
                                            "Callback: dissatisfied", "History", "Satisfied"],
        "/supervision/inspections": ["Open and secret inspections", "Rectification rate", "Secret", "Units inspected:",
                                     "Rectified 2022-03-01", "Confirm rectification", "New inspection round"],
        "/supervision/accountability": ["Interviews &amp; accountability", "Admonishment talk",
                                        "Organisational handling", "Record the interview", "Serious Party warning"],
        "/supervision/operations": ["Joint enforcement operations", "Vehicles checked", "Partner agencies",
                                    "Register an operation"],
        "/supervision/ranking": ["Rankings · 2022Q1", "Quarterly bulletin (PDF)", "Formula (",
                                 "Prefecture-level cities", "Complaints per 10,000 vehicles", "No data"],
    }
    for path, texts in pages.items():
        r = c.get(path)
        assert r.status_code == 200, path
        for text in texts:
            assert text in r.text, (path, text)
        # the order list is mostly data: official order numbers (豫交执督〔2022〕0001号), titles typed by
        # supervisors or generated from findings, unit names; its own texts are all English (a Chinese page is > 0.6)
        bound = 0.3 if path == "/supervision/orders" else 0.2
        assert _share(r.text) < bound, (path, _share(r.text))
    # the measure is still posted by its stored (Chinese) value
    assert '<option value="诫勉谈话">Admonishment talk</option>' in c.get("/supervision/accountability").text
    # the quarterly bulletin stays an official Chinese document
    assert c.get("/supervision/ranking/bulletin.pdf").headers["content-type"] == "application/pdf"


def test_supervision_pages_stay_chinese_by_default(client):
    c = client
    order_id = _seed(c)
    for path, texts in {"/supervision/orders": ["<h1>督办工单</h1>", "已回访关闭"],
                        f"/supervision/orders/{order_id}": ["交办单位", "回访：不满意"],
                        "/supervision/inspections": ["<h1>明查暗访</h1>", "检查单位：郑州市、巩义市"],
                        "/supervision/accountability": ["<h1>约谈与问责</h1>", ">诫勉谈话</option>"],
                        "/supervision/operations": ["<h1>联合执法专项行动</h1>"],
                        "/supervision/ranking": ["<h1>考核排名 · 2022Q1</h1>", "省辖市（含济源示范区）"]}.items():
        r = c.get(path)
        assert r.status_code == 200, path
        for text in texts:
            assert text in r.text, (path, text)
        assert cjk_share(r.text) > 0.3, path


def test_every_supervision_text_has_both_languages_and_every_template_key_exists():
    from pathlib import Path

    from zhifa.supervision import messages

    assert set(messages.ZH) == set(messages.EN)
    assert all(messages.EN.values())
    folder = Path(messages.__file__).parents[1] / "web" / "templates" / "supervision"
    used = {k for f in folder.glob("*.html") if not f.name.endswith("_pdf.html")
            for k in re.findall(r"\bt\('([a-z_.]+)'\s*[,)]", f.read_text(encoding="utf-8"))}
    assert used and not used - set(messages.ZH), used - set(messages.ZH)
