"""JSON API of training and satisfaction surveys under /api/training."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from zhifa.training import service
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor

router = APIRouter(prefix="/api/training", tags=["training"])


class CourseCreate(BaseModel):
    title: str = Field(max_length=128)
    category: str = Field("business", max_length=24)
    hours: float
    mode: str = Field("offline", max_length=16)


class SessionCreate(BaseModel):
    course_id: str = Field(max_length=32)
    starts_on: date
    ends_on: date
    place: str = Field("", max_length=128)
    unit_code: str | None = Field(None, max_length=6)


class AttendanceBody(BaseModel):
    usernames: list[str] = Field(max_length=500)
    hours: float | None = None


class Question(BaseModel):
    q: str = Field(max_length=500)
    options: list[str] = Field(min_length=2, max_length=8)
    answer: int


class TestCreate(BaseModel):
    course_id: str = Field(max_length=32)
    title: str = Field("", max_length=128)
    questions: list[Question] = Field(min_length=1, max_length=200)
    pass_mark: float | None = Field(None, ge=0, le=100)


class AttemptBody(BaseModel):
    answers: list[int | None] = Field(max_length=200)


class SurveyCreate(BaseModel):
    unit_code: str = Field(max_length=6)
    year: int = Field(ge=2000, le=2100)
    title: str = Field("", max_length=128)
    questions: list[str] | None = Field(None, max_length=30)


class ResponseBody(BaseModel):
    scores: list[int] = Field(max_length=30)
    comment: str = Field("", max_length=1000)
    respondent: str = Field("public", max_length=16)


@router.post("/courses", status_code=201)
def create_course(body: CourseCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    c = service.create_course(s, actor=actor, title=body.title, category=body.category, hours=body.hours,
                              mode=body.mode, now=clock.now())
    return {"course_id": c.course_id, "title": c.title, "hours": c.hours}


@router.get("/courses")
def courses(actor: StaffActor, s: DbSession) -> dict[str, Any]:
    rows = service.list_courses(s, actor=actor)
    return {"data": [{"course_id": c.course_id, "title": c.title, "category": c.category, "hours": c.hours,
                      "mode": c.mode} for c in rows], "count": len(rows)}


@router.post("/sessions", status_code=201)
def create_session(body: SessionCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    ts = service.schedule_session(s, actor=actor, course_id=body.course_id, starts_on=body.starts_on,
                                  ends_on=body.ends_on, place=body.place, now=clock.now(), unit_code=body.unit_code)
    return {"session_id": ts.session_id}


@router.post("/sessions/{session_id}/attendance")
def attendance(session_id: str, body: AttendanceBody, actor: StaffActor, s: DbSession, clock: ClockDep,
               _: Csrf) -> dict[str, Any]:
    n = service.record_attendance(s, actor=actor, session_id=session_id, usernames=body.usernames, now=clock.now(),
                                  hours=body.hours)
    return {"added": n}


@router.post("/tests", status_code=201)
def create_test(body: TestCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    t = service.create_test(s, actor=actor, course_id=body.course_id, title=body.title,
                            questions=[q.model_dump() for q in body.questions], now=clock.now(), pass_mark=body.pass_mark)
    return {"test_id": t.test_id, "pass_mark": t.pass_mark}


@router.post("/tests/{test_id}/attempts", status_code=201)
def attempt(test_id: str, body: AttemptBody, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    a = service.submit_attempt(s, actor=actor, test_id=test_id, answers=body.answers, now=clock.now())
    return {"score": a.score, "passed": a.passed, "hours_credited": a.hours_credited}


@router.get("/ranking")
def ranking(actor: StaffActor, s: DbSession, year: int, by: str = "unit") -> dict[str, Any]:
    r = service.ranking(s, actor=actor, year=year, by="city" if by == "city" else "unit")
    return {"year": r.year, "required_hours": r.required_hours, "rule_version": r.rule_version,
            "data": [{"rank": x.rank, "unit_code": x.unit_code, "name": r.names.get(x.unit_code, x.unit_code),
                      "officers": x.officers, "completed": x.completed, "rate": x.rate, "mean_hours": x.mean_hours}
                     for x in r.rows]}


@router.get("/figures")
def figures(actor: StaffActor, s: DbSession, year: int) -> dict[str, Any]:
    return service.figures(s, actor=actor, year=year)


@router.post("/surveys", status_code=201)
def create_survey(body: SurveyCreate, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    sv = service.create_survey(s, actor=actor, unit_code=body.unit_code, year=body.year, now=clock.now(),
                               title=body.title, questions=body.questions)
    return {"survey_id": sv.survey_id, "link": f"/training/surveys/{sv.survey_id}/respond"}


@router.post("/surveys/{survey_id}/responses", status_code=201)
def respond(survey_id: str, body: ResponseBody, s: DbSession, clock: ClockDep, _: Csrf) -> dict[str, Any]:
    r = service.submit_response(s, survey_id=survey_id, scores=body.scores, comment=body.comment, now=clock.now(),
                                respondent=body.respondent)
    return {"response_id": r.response_id}


@router.get("/surveys/results")
def survey_results(actor: StaffActor, s: DbSession, year: int | None = None) -> dict[str, Any]:
    return {"data": service.survey_results(s, actor=actor, year=year)}
