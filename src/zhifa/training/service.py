"""Verbs of training (courses, sessions, attendance, online tests) and satisfaction surveys, and the figures
and rankings read from them. Keyword-only `actor=`; audit in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhifa.org.orm import Unit, User
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, require_staff, scope
from zhifa.shared.clock import TZ
from zhifa.shared.errors import Conflict, NotFound, ValidationFailed
from zhifa.shared.ids import new_id
from zhifa.training import rules
from zhifa.training.orm import (
    Attempt,
    Attendance,
    Course,
    OnlineTest,
    Survey,
    SurveyResponse,
    TrainingSession,
)
from zhifa.training.ruledata import rules_on

CATEGORIES_ZH = {"law": "法律知识", "business": "业务知识", "skills": "执法技能", "ethics": "职业道德"}
MODES_ZH = {"offline": "线下面授", "online": "线上学习"}
TRAINER_ROLES = (Role.SUPERVISOR,)  # who organises training (admins always pass)


def _day(now: datetime) -> date:
    return now.astimezone(TZ).date()


# ---------------------------------------------------------------- courses and sessions


def create_course(session: Session, *, actor: Actor, title: str, category: str, hours: float, mode: str,
                  now: datetime) -> Course:
    require_role(actor, *TRAINER_ROLES)
    if not title.strip():
        raise ValidationFailed("须填写课程名称", en="The course title is required")
    if category not in CATEGORIES_ZH:
        raise ValidationFailed(f"课程类别不正确：{category}", en=f"Invalid course category: {category}")
    if mode not in MODES_ZH:
        raise ValidationFailed(f"培训方式不正确：{mode}", en=f"Invalid training mode: {mode}")
    if not 0 < hours <= 200:
        raise ValidationFailed("学时须在 0–200 之间", en="Training hours must be between 0 and 200")
    c = Course(course_id=new_id()[:24], title=title.strip(), category=category, hours=float(hours), mode=mode,
               unit_code=actor.unit_code, created_at=now)
    session.add(c)
    session.flush()
    audit.record(session, actor=actor, action="training.create_course", object_type="course", object_id=c.course_id,
                 after={"title": c.title, "hours": c.hours}, now=now)
    return c


def list_courses(session: Session, *, actor: Actor) -> list[Course]:
    require_staff(actor)
    return list(session.execute(select(Course).order_by(Course.created_at.desc())).scalars())


def schedule_session(session: Session, *, actor: Actor, course_id: str, starts_on: date, ends_on: date, place: str,
                     now: datetime, unit_code: str | None = None) -> TrainingSession:
    require_role(actor, *TRAINER_ROLES)
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("课程不存在", en="Course not found")
    unit = unit_code or actor.unit_code
    check_visible(actor, unit, "执法机构", what_en="Enforcement unit")
    if ends_on < starts_on:
        raise ValidationFailed("结束日期早于开始日期", en="The end date is earlier than the start date")
    ts = TrainingSession(session_id=new_id()[:24], course_id=course.course_id, unit_code=unit, starts_on=starts_on,
                         ends_on=ends_on, place=place.strip() or "—", created_at=now)
    session.add(ts)
    session.flush()
    audit.record(session, actor=actor, action="training.schedule_session", object_type="training_session",
                 object_id=ts.session_id, after={"course": course.title, "starts_on": starts_on}, unit_code=unit, now=now)
    return ts


def list_sessions(session: Session, *, actor: Actor, year: int | None = None) -> list[tuple[TrainingSession, Course]]:
    stmt = scope(select(TrainingSession, Course).join(Course, Course.course_id == TrainingSession.course_id),
                 actor, TrainingSession.unit_code)
    if year:
        stmt = stmt.where(TrainingSession.starts_on >= date(year, 1, 1), TrainingSession.starts_on <= date(year, 12, 31))
    return [(a, b) for a, b in session.execute(stmt.order_by(TrainingSession.starts_on.desc()))]


def record_attendance(session: Session, *, actor: Actor, session_id: str, usernames: Sequence[str], now: datetime,
                      hours: float | None = None) -> int:
    """Credit the session's hours (or `hours`) to each officer who completed it; repeats are ignored."""
    require_role(actor, *TRAINER_ROLES)
    ts = session.get(TrainingSession, session_id)
    if ts is None:
        raise NotFound("培训班次不存在", en="Training session not found")
    check_visible(actor, ts.unit_code, "培训班次", what_en="Training session")
    course = session.get(Course, ts.course_id)
    credit = float(hours if hours is not None else (course.hours if course else 0))
    if not 0 < credit <= 200:
        raise ValidationFailed("学时须在 0–200 之间", en="Training hours must be between 0 and 200")
    added = 0
    for name in dict.fromkeys(u.strip() for u in usernames if u.strip()):
        user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
        if user is None:
            raise ValidationFailed(f"用户不存在：{name}", en=f"User not found: {name}")
        check_visible(actor, user.unit_code, "人员", what_en="Staff member")
        if session.execute(select(Attendance.attendance_id).where(Attendance.session_id == session_id,
                                                                  Attendance.username == name)).first():
            continue
        session.add(Attendance(attendance_id=new_id()[:24], session_id=session_id, username=name,
                               unit_code=user.unit_code, hours=credit, completed_on=ts.ends_on, recorded_at=now))
        added += 1
    session.flush()
    audit.record(session, actor=actor, action="training.record_attendance", object_type="training_session",
                 object_id=session_id, after={"added": added, "hours": credit}, unit_code=ts.unit_code, now=now)
    return added


# ---------------------------------------------------------------- online tests


def create_test(session: Session, *, actor: Actor, course_id: str, title: str, questions: list[dict[str, Any]],
                now: datetime, pass_mark: float | None = None, hours_on_pass: float | None = None) -> OnlineTest:
    require_role(actor, *TRAINER_ROLES)
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("课程不存在", en="Course not found")
    try:
        rules.check_questions(questions)
    except rules.QuestionError as exc:
        raise ValidationFailed(str(exc), en=exc.en) from exc
    if not questions:
        raise ValidationFailed("试卷至少需要一道题", en="A test needs at least one question")
    r = rules_on(_day(now))
    t = OnlineTest(test_id=new_id()[:24], course_id=course_id, title=title.strip() or course.title, questions=questions,
                   pass_mark=float(pass_mark if pass_mark is not None else r.test_pass_mark),
                   hours_on_pass=float(hours_on_pass if hours_on_pass is not None else course.hours),
                   unit_code=actor.unit_code, rule_version=r.version, created_at=now)
    session.add(t)
    session.flush()
    audit.record(session, actor=actor, action="training.create_test", object_type="online_test", object_id=t.test_id,
                 after={"title": t.title, "questions": len(questions), "pass_mark": t.pass_mark}, now=now)
    return t


def list_tests(session: Session, *, actor: Actor) -> list[OnlineTest]:
    require_staff(actor)
    return list(session.execute(select(OnlineTest).order_by(OnlineTest.created_at.desc())).scalars())


def access_test(session: Session, actor: Actor, test_id: str) -> OnlineTest:
    require_staff(actor)
    t = session.get(OnlineTest, test_id)
    if t is None:
        raise NotFound("试卷不存在", en="Test not found")
    return t


def submit_attempt(session: Session, *, actor: Actor, test_id: str, answers: Sequence[int | None],
                   now: datetime) -> Attempt:
    """An officer answers a test; the first pass credits the test's hours to that officer."""
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.LEGAL_REVIEWER)
    t = access_test(session, actor, test_id)
    if len(answers) > len(t.questions):
        raise ValidationFailed("答案数多于题目数", en="More answers than questions")
    score = rules.grade(t.questions, list(answers))
    passed = score >= t.pass_mark
    passed_before = session.execute(select(Attempt.attempt_id).where(
        Attempt.test_id == test_id, Attempt.username == actor.username, Attempt.passed.is_(True))).first() is not None
    a = Attempt(attempt_id=new_id()[:24], test_id=test_id, username=actor.username, unit_code=actor.unit_code,
                answers=list(answers), score=score, passed=passed,
                hours_credited=t.hours_on_pass if passed and not passed_before else 0.0, submitted_at=now)
    session.add(a)
    session.flush()
    audit.record(session, actor=actor, action="training.submit_attempt", object_type="online_test", object_id=test_id,
                 after={"score": score, "passed": passed, "hours": a.hours_credited}, now=now)
    return a


# ---------------------------------------------------------------- hours, rankings, figures


def hours_in_year(session: Session, *, actor: Actor, year: int) -> dict[str, float]:
    """officer → hours credited in the year (attendance + first passes of online tests)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: dict[str, float] = defaultdict(float)
    q1 = scope(select(Attendance.username, func.sum(Attendance.hours)), actor, Attendance.unit_code).where(
        Attendance.completed_on >= start, Attendance.completed_on <= end).group_by(Attendance.username)
    for u, h in session.execute(q1):
        out[u] += float(h or 0)
    t0 = datetime(year, 1, 1, tzinfo=TZ)
    t1 = datetime(year + 1, 1, 1, tzinfo=TZ)
    q2 = scope(select(Attempt.username, func.sum(Attempt.hours_credited)), actor, Attempt.unit_code).where(
        Attempt.submitted_at >= t0, Attempt.submitted_at < t1).group_by(Attempt.username)
    for u, h in session.execute(q2):
        out[u] += float(h or 0)
    return dict(out)


def officers(session: Session, *, actor: Actor) -> dict[str, str]:
    """Active officers (执法人员) in the actor's jurisdiction: username → unit."""
    stmt = scope(select(User.username, User.unit_code), actor, User.unit_code).where(
        User.role == Role.OFFICER.value, User.active.is_(True))
    return dict(session.execute(stmt).all())


@dataclass(frozen=True)
class Ranking:
    year: int
    required_hours: float
    rule_version: str
    source: str
    rows: list[rules.UnitCompletion]
    names: dict[str, str]


def ranking(session: Session, *, actor: Actor, year: int, by: str = "unit") -> Ranking:
    """Units (or cities, `by="city"`) ranked by the share of officers who reached the yearly hours."""
    r = rules_on(date(year, 12, 31))
    offs = officers(session, actor=actor)
    units = {u.unit_code: u for u in session.execute(select(Unit)).scalars()}
    if by == "city":
        offs = {o: (units[u].city_code or u) if u in units else u for o, u in offs.items()}
    rows = rules.completion_ranking(offs, hours_in_year(session, actor=actor, year=year), r.required_hours_per_year)
    return Ranking(year, r.required_hours_per_year, r.version, r.source, rows,
                   {c: u.name for c, u in units.items()})


def figures(session: Session, *, actor: Actor, year: int) -> dict[str, Any]:
    """Training sessions held (starting in the year), trainees (distinct officers who completed one),
    hours credited, test attempts and pass rate."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    held = session.execute(scope(select(func.count()).select_from(TrainingSession), actor, TrainingSession.unit_code)
                           .where(TrainingSession.starts_on >= start, TrainingSession.starts_on <= end)).scalar_one()
    trainees = session.execute(scope(select(func.count(func.distinct(Attendance.username))), actor,
                                     Attendance.unit_code).where(Attendance.completed_on >= start,
                                                                 Attendance.completed_on <= end)).scalar_one()
    t0, t1 = datetime(year, 1, 1, tzinfo=TZ), datetime(year + 1, 1, 1, tzinfo=TZ)
    att = session.execute(scope(select(func.count(), func.sum(case((Attempt.passed.is_(True), 1), else_=0))), actor,
                                Attempt.unit_code).where(Attempt.submitted_at >= t0, Attempt.submitted_at < t1)).one()
    hours = hours_in_year(session, actor=actor, year=year)
    return {"year": year, "sessions_held": int(held), "trainees": int(trainees),
            "hours_total": round(sum(hours.values()), 1), "test_attempts": int(att[0] or 0),
            "test_pass_rate": None if not att[0] else round(int(att[1] or 0) / int(att[0]), 4)}


# ---------------------------------------------------------------- satisfaction surveys


DEFAULT_QUESTIONS = ["执法人员文明规范、态度良好", "执法程序公开透明、依法依规", "办事效率高、不推诿",
                     "廉洁自律、无吃拿卡要", "对本单位执法工作的总体评价"]


def create_survey(session: Session, *, actor: Actor, unit_code: str, year: int, now: datetime, title: str = "",
                  questions: list[str] | None = None) -> Survey:
    require_role(actor, Role.SUPERVISOR)
    check_visible(actor, unit_code, "执法机构", what_en="Enforcement unit")
    unit = session.get(Unit, unit_code)
    if unit is None:
        raise NotFound("执法机构不存在", en="Enforcement unit not found")
    qs = [q.strip() for q in (questions or DEFAULT_QUESTIONS) if q.strip()]
    if not qs:
        raise ValidationFailed("至少需要一个测评项目", en="A survey needs at least one item")
    sv = Survey(survey_id=new_id()[:24], unit_code=unit_code, year=year, title=title.strip() or f"{year}年度{unit.name}执法满意度测评",
                questions=qs, open=True, created_at=now)
    session.add(sv)
    session.flush()
    audit.record(session, actor=actor, action="training.create_survey", object_type="survey", object_id=sv.survey_id,
                 after={"unit": unit_code, "year": year}, unit_code=unit_code, now=now)
    return sv


def public_survey(session: Session, survey_id: str) -> Survey:
    """A survey as the public sees it through its link (no login): only open surveys."""
    sv = session.get(Survey, survey_id)
    if sv is None or not sv.open:
        raise NotFound("测评不存在或已结束", en="Survey not found or already closed")
    return sv


def submit_response(session: Session, *, survey_id: str, scores: Sequence[int], comment: str, now: datetime,
                    respondent: str = "public") -> SurveyResponse:
    sv = public_survey(session, survey_id)
    if len(scores) != len(sv.questions):
        raise ValidationFailed("请对每一项打分", en="Please rate every item")
    if any(not isinstance(x, int) or not 1 <= x <= 5 for x in scores):
        raise ValidationFailed("评分须为 1–5 分", en="Scores must be from 1 to 5")
    if respondent not in ("public", "party", "staff"):
        raise ValidationFailed("评价人类型不正确", en="Invalid respondent type")
    r = SurveyResponse(response_id=new_id()[:24], survey_id=survey_id, unit_code=sv.unit_code, scores=list(scores),
                       comment=(comment or "").strip()[:1000], respondent=respondent, submitted_at=now)
    session.add(r)
    session.flush()
    from zhifa.shared.access import Actor as _A

    public = _A(username="public", role=Role.PUBLIC, unit_code=sv.unit_code, unit_codes=frozenset({sv.unit_code}))
    audit.record(session, actor=public, action="training.survey_response", object_type="survey", object_id=survey_id,
                 after={"mean": round(sum(scores) / len(scores), 2)}, unit_code=sv.unit_code, now=now)
    return r


def close_survey(session: Session, *, actor: Actor, survey_id: str, now: datetime) -> Survey:
    require_role(actor, Role.SUPERVISOR)
    sv = session.get(Survey, survey_id)
    if sv is None:
        raise NotFound("测评不存在", en="Survey not found")
    check_visible(actor, sv.unit_code, "测评", what_en="Survey")
    if not sv.open:
        raise Conflict("测评已结束", en="The survey has already closed")
    sv.open = False
    audit.record(session, actor=actor, action="training.close_survey", object_type="survey", object_id=survey_id,
                 before={"open": True}, after={"open": False}, unit_code=sv.unit_code, now=now)
    return sv


def list_surveys(session: Session, *, actor: Actor, year: int | None = None) -> list[Survey]:
    stmt = scope(select(Survey), actor, Survey.unit_code)
    if year:
        stmt = stmt.where(Survey.year == year)
    return list(session.execute(stmt.order_by(Survey.year.desc(), Survey.unit_code)).scalars())


def survey_results(session: Session, *, actor: Actor, year: int | None = None) -> list[dict[str, Any]]:
    """Results by unit and year: responses, mean score, satisfaction rate (mean ≥ the versioned threshold)."""
    stmt = scope(select(Survey.unit_code, Survey.year, SurveyResponse.scores)
                 .join(SurveyResponse, SurveyResponse.survey_id == Survey.survey_id), actor, Survey.unit_code)
    if year:
        stmt = stmt.where(Survey.year == year)
    groups: dict[tuple[str, int], list[list[int]]] = defaultdict(list)
    for unit, yr, scores in session.execute(stmt):
        groups[(unit, yr)].append(list(scores))
    names = dict(session.execute(select(Unit.unit_code, Unit.name)).all())
    out = []
    for (unit, yr), resp in sorted(groups.items(), key=lambda x: (-x[0][1], x[0][0])):
        r = rules_on(date(yr, 12, 31))
        res = rules.survey_result(resp, r.satisfied_min_mean)
        out.append({"unit_code": unit, "name": names.get(unit, unit), "year": yr, "responses": res.responses,
                    "mean": res.mean, "satisfaction_rate": res.satisfaction_rate, "rule_version": r.version})
    return out
