"""Tables of case handling: cases, statements, evidence, documents and their counters, exemptions,
payments and callbacks, deadline alerts, admin-published rule versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_unit_status", "unit_code", "status"),
        Index("ix_cases_officer_status", "officer", "status"),
        Index("ix_cases_plate_code", "plate", "case_code"),
        # the case list (newest first): an officer's own cases, and the unit/province views
        Index("ix_cases_officer_unit_created", "officer", "unit_code", "created_at"),
        Index("ix_cases_created", "created_at"),
    )

    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_code: Mapped[str] = mapped_column(String(16), unique=True)  # read out to the party (portal)
    unit_code: Mapped[str] = mapped_column(String(6))
    procedure: Mapped[str] = mapped_column(String(16))  # summary | ordinary
    status: Mapped[str] = mapped_column(String(16), index=True)
    catalogue_code: Mapped[str] = mapped_column(String(32), index=True)
    catalogue_version: Mapped[str] = mapped_column(String(32))
    procedure_version: Mapped[str] = mapped_column(String(32))
    calendar_version: Mapped[str] = mapped_column(String(32))
    band_code: Mapped[str | None] = mapped_column(String(8))
    legal_basis: Mapped[str] = mapped_column(Text)
    proposed_fine_yuan: Mapped[int] = mapped_column(Integer)
    fine_yuan: Mapped[int | None] = mapped_column(Integer)  # decided
    party_name: Mapped[str] = mapped_column(String(128))
    party_kind: Mapped[str] = mapped_column(String(16))
    plate: Mapped[str | None] = mapped_column(String(16))
    facts: Mapped[str] = mapped_column(Text)
    act_on: Mapped[date] = mapped_column(Date)
    lead_id: Mapped[str | None] = mapped_column(String(32), index=True)
    linked_group: Mapped[str | None] = mapped_column(String(32), index=True)  # 一案双罚
    officer: Mapped[str] = mapped_column(String(64))
    complex_case: Mapped[bool] = mapped_column(Boolean, default=False)
    public_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_review_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    e_service_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    exemption_code: Mapped[str | None] = mapped_column(String(32))
    decision_due: Mapped[date | None] = mapped_column(Date)
    defence_due: Mapped[date | None] = mapped_column(Date)
    payment_due: Mapped[date | None] = mapped_column(Date)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)
    surcharge_fen: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime | None]
    investigating_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]
    legal_review_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    served_at: Mapped[datetime | None]
    enforcing_at: Mapped[datetime | None]
    not_penalised_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CaseStatement(Base):
    """A party's statement, defence or hearing request (陈述、申辩、听证申请)."""

    __tablename__ = "case_statements"

    statement_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # statement | defence | hearing_request
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))  # portal | officer
    submitted_at: Mapped[datetime]


class CaseEvidence(Base):
    __tablename__ = "case_evidence"

    evidence_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(256))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime]


class CaseDocument(Base):
    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("number", name="uq_case_documents_number"),)

    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ExemptionApplication(Base):
    __tablename__ = "case_exemptions"

    application_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    item_code: Mapped[str] = mapped_column(String(32))
    list_version: Mapped[str] = mapped_column(String(32))
    effect: Mapped[str] = mapped_column(String(16))  # no_penalty | reduced
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    fine_before: Mapped[int] = mapped_column(Integer)
    fine_after: Mapped[int] = mapped_column(Integer)
    applied_by: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime]


class Payment(Base):
    __tablename__ = "case_payments"

    order_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # pending | paid
    qr_payload: Mapped[str] = mapped_column(Text)
    txn_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]


class PaymentCallback(Base):
    """Every callback received, accepted or refused, with the reason."""

    __tablename__ = "case_payment_callbacks"

    callback_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_no: Mapped[str | None] = mapped_column(String(40), index=True)
    txn_id: Mapped[str | None] = mapped_column(String(64))
    nonce: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # accepted | refused
    reason: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]


class AcceptedNonce(Base):
    """Nonces of accepted callbacks: a second use is a replay."""

    __tablename__ = "case_payment_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class DeadlineAlert(Base):
    __tablename__ = "case_deadline_alerts"
    __table_args__ = (UniqueConstraint("case_id", "deadline", "kind", "due", name="uq_case_deadline_alerts_key"),)

    alert_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    deadline: Mapped[str] = mapped_column(String(16))  # decision | defence | payment
    kind: Mapped[str] = mapped_column(String(16))  # reminder | overdue
    due: Mapped[date] = mapped_column(Date)
    raised_at: Mapped[datetime]


class RuleVersion(Base):
    """A catalogue or exemption-list version published by an admin (built-in versions live in ruledata/)."""

    __tablename__ = "case_rule_versions"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_case_rule_versions_kind"),)

    rule_version_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # catalogue | exemptions | procedure
    version: Mapped[str] = mapped_column(String(32))
    effective_from: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
