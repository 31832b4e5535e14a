"""Pages of training (学时, courses, sessions, online tests, rankings) and satisfaction surveys."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhifa.shared.clock import TZ
from zhifa.shared.errors import ValidationFailed
from zhifa.training import service
from zhifa.training.messages import EN, ZH, categories, modes, question
from zhifa.training.orm import Survey
from zhifa.training.ruledata import rules_on
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, add_messages, register_nav, render
from zhifa.web.i18n import get_lang, translate

router = APIRouter(include_in_schema=False)

register_nav("reports", "教育培训与学时", "Training & hours", "/training", order=60)
register_nav("reports", "满意度测评", "Satisfaction surveys", "/training/surveys", order=61)

add_messages(zh=ZH, en=EN)


def _survey_title(lang: str, sv: Survey, unit_name: str | None) -> str:
    """A survey's title; one carrying the standard generated title is shown in the page's language."""
    if lang != "zh" and unit_name and sv.title == translate("training.respond.default_title", "zh", year=sv.year,
                                                             unit=unit_name):
        return translate("training.respond.default_title", lang, year=sv.year, unit=unit_name)
    return str(sv.title)


@router.get("/training")
def training_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, year: int = 0,
                  by: str = "unit") -> Response:
    y = year or clock.now().astimezone(TZ).year
    r = service.ranking(s, actor=actor, year=y, by="city" if by == "city" else "unit")
    return render(request, "training/index.html", {
        "year": y, "by": by, "ranking": r, "figures": service.figures(s, actor=actor, year=y),
        "sessions": service.list_sessions(s, actor=actor, year=y), "courses": service.list_courses(s, actor=actor),
        "tests": service.list_tests(s, actor=actor), "my_hours": service.hours_in_year(s, actor=actor, year=y).get(actor.username, 0.0),
        "categories": categories(get_lang(request)), "modes": modes(get_lang(request)),
    })


@router.post("/training/courses")
def course_create(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf, title: Annotated[str, Form(max_length=128)],
                  hours: Annotated[float, Form()], category: Annotated[str, Form(max_length=24)] = "business",
                  mode: Annotated[str, Form(max_length=16)] = "offline") -> Response:
    service.create_course(s, actor=actor, title=title, category=category, hours=hours, mode=mode, now=clock.now())
    return RedirectResponse("/training", status_code=303)


@router.post("/training/sessions")
def session_create(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf, course_id: Annotated[str, Form(max_length=32)],
                   starts_on: Annotated[date, Form()], ends_on: Annotated[date, Form()],
                   place: Annotated[str, Form(max_length=128)] = "") -> Response:
    service.schedule_session(s, actor=actor, course_id=course_id, starts_on=starts_on, ends_on=ends_on, place=place,
                             now=clock.now())
    return RedirectResponse("/training", status_code=303)


@router.post("/training/sessions/{session_id}/attendance")
def session_attendance(session_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                       usernames: Annotated[str, Form(max_length=20000)]) -> Response:
    names = [n for n in usernames.replace("，", ",").replace("\n", ",").split(",") if n.strip()]
    service.record_attendance(s, actor=actor, session_id=session_id, usernames=names, now=clock.now())
    return RedirectResponse("/training", status_code=303)


@router.get("/training/tests/{test_id}")
def test_page(request: Request, test_id: str, actor: StaffActor, s: DbSession) -> Response:
    t = service.access_test(s, actor, test_id)
    return render(request, "training/test.html", {"exam": t, "result": None})


@router.post("/training/tests/{test_id}")
async def test_submit(request: Request, test_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    form = await request.form()
    t = service.access_test(s, actor, test_id)
    answers: list[int | None] = []
    for i in range(len(t.questions)):
        v = form.get(f"q{i}")
        try:
            answers.append(int(str(v)) if v is not None and str(v) != "" else None)
        except ValueError as exc:
            raise ValidationFailed(translate("training.bad_answer"), en=translate("training.bad_answer", "en")) from exc
    a = service.submit_attempt(s, actor=actor, test_id=test_id, answers=answers, now=clock.now())
    return render(request, "training/test.html", {"exam": t, "result": a})


@router.get("/training/surveys")
def surveys_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, year: int = 0) -> Response:
    from sqlalchemy import select

    from zhifa.org.orm import Unit

    y = year or clock.now().astimezone(TZ).year
    units = {u.unit_code: u.name for u in s.execute(select(Unit)).scalars() if actor.can_see_unit(u.unit_code)}
    surveys = service.list_surveys(s, actor=actor, year=y)
    lang = get_lang(request)
    return render(request, "training/surveys.html", {
        "year": y, "results": service.survey_results(s, actor=actor, year=y),
        "surveys": surveys, "units": units,
        "titles": {sv.survey_id: _survey_title(lang, sv, units.get(sv.unit_code)) for sv in surveys},
        "rule": rules_on(date(y, 12, 31)),
    })


@router.post("/training/surveys")
def survey_create(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf, unit_code: Annotated[str, Form(max_length=6)],
                  year: Annotated[int, Form(ge=2000, le=2100)]) -> Response:
    service.create_survey(s, actor=actor, unit_code=unit_code, year=year, now=clock.now())
    return RedirectResponse(f"/training/surveys?year={year}", status_code=303)


def _respond_ctx(request: Request, s: DbSession, sv: Survey, done: bool) -> dict:
    from zhifa.org.orm import Unit

    lang = get_lang(request)
    unit = s.get(Unit, sv.unit_code)
    return {"sv": sv, "done": done, "title": _survey_title(lang, sv, unit.name if unit else None),
            "questions": [question(lang, q) for q in sv.questions]}


@router.get("/training/surveys/{survey_id}/respond")
def survey_form(request: Request, survey_id: str, s: DbSession) -> Response:
    sv = service.public_survey(s, survey_id)
    return render(request, "training/respond.html", _respond_ctx(request, s, sv, done=False))


@router.post("/training/surveys/{survey_id}/respond")
async def survey_respond(request: Request, survey_id: str, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    form = await request.form()
    sv = service.public_survey(s, survey_id)
    try:
        scores = [int(str(form.get(f"s{i}", ""))) for i in range(len(sv.questions))]
    except ValueError as exc:
        raise ValidationFailed(translate("training.score_each"), en=translate("training.score_each", "en")) from exc
    service.submit_response(s, survey_id=survey_id, scores=scores, comment=str(form.get("comment", ""))[:1000],
                            now=clock.now())
    return render(request, "training/respond.html", _respond_ctx(request, s, sv, done=True))
