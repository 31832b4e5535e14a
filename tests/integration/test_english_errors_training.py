"""Errors of training and satisfaction surveys in English (cookie `lang=en`) on pages and as the API's
`detail_en`; without the cookie the same errors are shown in Chinese as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.test_training import _app, seeded  # noqa: F401 - the fixture is used by name
from tests.support import csrf_from, english, login


def _seed(c: TestClient) -> tuple[str, str, dict[str, str]]:
    """As the province supervisor: a course with an online test and a survey. Returns (test id, survey id, headers)."""
    login(c, "provsup")
    h = {"X-CSRF-Token": csrf_from(c.get("/training").text)}
    course = c.post("/api/training/courses", json={"title": "执法文书制作", "category": "business", "hours": 8},
                    headers=h).json()["course_id"]
    test = c.post("/api/training/tests", json={"course_id": course, "title": "Test 1", "questions": [
        {"q": "Who signs the proof of service?", "options": ["The addressee", "The officer"], "answer": 0}]},
        headers=h).json()["test_id"]
    sid = c.post("/api/training/surveys", json={"unit_code": "410102", "year": 2022}, headers=h).json()["survey_id"]
    return test, sid, h


def _errors(c: TestClient, test: str, sid: str, h: dict[str, str]) -> dict[str, str]:
    out = {}
    r = c.post(f"/training/tests/{test}", data={"csrf_token": h["X-CSRF-Token"], "q0": "x"})
    assert r.status_code == 422
    out["answer"] = r.text
    r = c.get("/training/tests/NOPE")
    assert r.status_code == 404
    out["missing"] = r.text
    public = TestClient(c.app, cookies=dict(c.cookies))
    form = public.get(f"/training/surveys/{sid}/respond")
    r = public.post(f"/training/surveys/{sid}/respond", data={"csrf_token": csrf_from(form.text), "s0": "x"})
    assert r.status_code == 422
    out["score"] = r.text
    return out


def test_training_errors_in_english(seeded):  # noqa: F811 - pytest fixture
    with TestClient(_app(seeded)) as c:
        test, sid, h = _seed(c)
        english(c)
        pages = _errors(c, test, sid, h)
        assert "An answer is not in the expected format" in pages["answer"]
        assert "Test not found" in pages["missing"]
        assert "Please rate every item" in pages["score"]
        r = c.post("/api/training/tests", json={"course_id": "NOPE", "title": "T", "questions": [
            {"q": "Q?", "options": ["a", "b"], "answer": 0}]}, headers=h)
        assert r.status_code == 404 and r.json() == {"detail": "课程不存在", "detail_en": "Course not found"}


def test_training_errors_stay_chinese_by_default(seeded):  # noqa: F811 - pytest fixture
    with TestClient(_app(seeded)) as c:
        test, sid, h = _seed(c)
        pages = _errors(c, test, sid, h)
        assert "答案格式不正确" in pages["answer"]
        assert "试卷不存在" in pages["missing"]
        assert "请对每一项打分" in pages["score"]


def test_a_malformed_question_is_refused_with_its_english_text(seeded):  # noqa: F811 - pytest fixture
    with TestClient(_app(seeded)) as c:
        login(c, "provsup")
        h = {"X-CSRF-Token": csrf_from(c.get("/training").text)}
        course = c.post("/api/training/courses", json={"title": "路政", "category": "business", "hours": 8},
                        headers=h).json()["course_id"]
        r = c.post("/api/training/tests", json={"course_id": course, "title": "T", "questions": [
            {"q": "Q?", "options": ["a", "b"], "answer": 0}, {"q": "Q2?", "options": ["a", "b"], "answer": 2}]}, headers=h)
        assert r.status_code == 422
        assert r.json() == {"detail": "第 2 题的正确答案不在选项范围内",
                            "detail_en": "The correct answer of question 2 is not one of its options"}
