"""The training and satisfaction-survey pages in English (cookie `lang=en`) and, by default, still in Chinese."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.integration.test_training import _app, seeded  # noqa: F401 - the fixture is used by name
from tests.support import cjk_share, csrf_from, english, login


def _share(html: str) -> float:
    """CJK share without the <select> lists, which name the province's ~200 units in Chinese (data)."""
    return cjk_share(re.sub(r"<select\b.*?</select>", "", html, flags=re.S))


def _seed(c: TestClient) -> tuple[str, str]:
    """As the province supervisor: a course with a session and an online test, attendance, a survey with a
    response. Returns (test id, survey id)."""
    login(c, "provsup")
    h = {"X-CSRF-Token": csrf_from(c.get("/training").text)}
    course = c.post("/api/training/courses", json={"title": "执法文书制作", "category": "business", "hours": 8},
                    headers=h).json()["course_id"]
    test = c.post("/api/training/tests", json={"course_id": course, "title": "Test 1", "questions": [
        {"q": "Who signs the proof of service?", "options": ["The addressee", "The officer"], "answer": 0}]},
        headers=h).json()["test_id"]
    sess = c.post("/api/training/sessions", json={"course_id": course, "starts_on": "2022-02-10",
                                                  "ends_on": "2022-02-10", "place": "郑州"}, headers=h).json()["session_id"]
    assert c.post(f"/api/training/sessions/{sess}/attendance", json={"usernames": ["kf1", "zz1"]},
                  headers=h).json()["added"] == 2
    sid = c.post("/api/training/surveys", json={"unit_code": "410102", "year": 2022}, headers=h).json()["survey_id"]
    public = TestClient(c.app)
    form = public.get(f"/training/surveys/{sid}/respond")
    public.post(f"/training/surveys/{sid}/respond",
                data={"csrf_token": csrf_from(form.text), **{f"s{i}": "5" for i in range(5)}})
    return test, sid


def test_training_pages_in_english(seeded):  # noqa: F811 - pytest fixture
    c = TestClient(_app(seeded))
    test_id, survey_id = _seed(c)
    english(c)
    pages = {
        "/training?year=2022": ["Training &amp; hours", "my training hours", "Ranking by training hours met",
                                "Training sessions", "Online tests", "pass mark", "Professional knowledge", "Classroom",
                                "Schedule a training session", "(8.0 hours)"],
        "/training?year=2022&by=city": ["By unit", "Mean hours per officer"],
        "/training/surveys?year=2022": ["Satisfaction surveys", "Results by unit", "Mean score (out of 5)",
                                        "public link", "enforcement satisfaction survey 2022", "Start a survey"],
        f"/training/tests/{test_id}": ["Questions: 1 · pass mark", "Hand in"],
    }
    for path, texts in pages.items():
        r = c.get(path)
        assert r.status_code == 200, path
        for text in texts:
            assert text in r.text, (path, text)
        # left: unit names, course titles, places, the legal source of the required hours (data)
        assert _share(r.text) < 0.2, (path, _share(r.text))

    o = TestClient(c.app)
    login(o, "zz1")
    english(o)
    tp = o.get(f"/training/tests/{test_id}")
    r = o.post(f"/training/tests/{test_id}", data={"csrf_token": csrf_from(tp.text), "q0": "0"})
    assert r.status_code == 200 and "Score 100.0: passed, 8.0 training hours credited." in r.text
    assert _share(r.text) < 0.2

    public = TestClient(c.app)
    english(public)
    form = public.get(f"/training/surveys/{survey_id}/respond")
    assert form.status_code == 200
    for text in ("enforcement satisfaction survey 2022", "Officers are civil", "Very dissatisfied",
                 "Comments and suggestions", "Submit"):
        assert text in form.text, text
    assert _share(form.text) < 0.2, _share(form.text)  # only the unit's name in the title stays Chinese
    done = public.post(f"/training/surveys/{survey_id}/respond",
                       data={"csrf_token": csrf_from(form.text), **{f"s{i}": "4" for i in range(5)}})
    assert done.status_code == 200 and "Thank you for your feedback!" in done.text


def test_training_pages_stay_chinese_by_default(seeded):  # noqa: F811 - pytest fixture
    c = TestClient(_app(seeded))
    test_id, survey_id = _seed(c)
    for path, texts in {"/training?year=2022": ["<h1>教育培训与学时</h1>", "学时达标排名", "业务知识"],
                        "/training/surveys?year=2022": ["<h1>满意度测评</h1>", "2022年度"],
                        f"/training/tests/{test_id}": ["1 题 · 及格"],
                        f"/training/surveys/{survey_id}/respond": ["执法人员文明规范、态度良好", "非常满意"]}.items():
        r = c.get(path)
        assert r.status_code == 200, path
        for text in texts:
            assert text in r.text, (path, text)


def test_every_training_text_has_both_languages_and_every_template_key_exists():
    from pathlib import Path

    from zhifa.training import messages

    assert set(messages.ZH) == set(messages.EN)
    assert all(messages.EN.values())
    folder = Path(messages.__file__).parents[1] / "web" / "templates" / "training"
    used = {k for f in folder.glob("*.html") if not f.name.endswith("_pdf.html")
            for k in re.findall(r"\bt\('([a-z_.]+)'\s*[,)]", f.read_text(encoding="utf-8"))}
    assert used and not used - set(messages.ZH), used - set(messages.ZH)
