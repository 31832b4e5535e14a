"""Tables of training (培训, 学时, 在线考试) and satisfaction surveys (满意度测评)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Course(Base):
    __tablename__ = "training_courses"

    course_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(24))  # law | business | skills | ethics
    hours: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(16))  # offline | online
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # organiser
    created_at: Mapped[datetime]


class TrainingSession(Base):
    """A held session (期/班) of a course."""

    __tablename__ = "training_sessions"

    session_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("training_courses.course_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class Attendance(Base):
    """An officer's completed attendance of a session, with the hours credited (学时)."""

    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "username", name="session_user"),)

    attendance_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("training_sessions.session_id"), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    hours: Mapped[float] = mapped_column(Float)
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime]


class OnlineTest(Base):
    __tablename__ = "training_tests"

    test_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("training_courses.course_id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    questions: Mapped[list[Any]] = mapped_column(JSON)  # [{"q", "options": [...], "answer": i}]
    pass_mark: Mapped[float] = mapped_column(Float)
    hours_on_pass: Mapped[float] = mapped_column(Float)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    rule_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class Attempt(Base):
    __tablename__ = "training_attempts"

    attempt_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    test_id: Mapped[str] = mapped_column(ForeignKey("training_tests.test_id"), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    answers: Mapped[list[Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    hours_credited: Mapped[float] = mapped_column(Float)  # hours only for the first pass
    submitted_at: Mapped[datetime]


class Survey(Base):
    """A satisfaction survey of one unit in one year (满意度测评)."""

    __tablename__ = "training_surveys"

    survey_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(128))
    questions: Mapped[list[Any]] = mapped_column(JSON)  # list of statements rated 1–5
    open: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]


class SurveyResponse(Base):
    __tablename__ = "training_survey_responses"

    response_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("training_surveys.survey_id"), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    scores: Mapped[list[Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    respondent: Mapped[str] = mapped_column(String(16))  # public | party | staff
    submitted_at: Mapped[datetime]
