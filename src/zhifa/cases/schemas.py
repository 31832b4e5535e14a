"""API shapes of cases."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class CaseCreate(BaseModel):
    catalogue_code: str
    proposed_fine_yuan: int = Field(ge=0)
    facts: str
    party_name: str
    party_kind: str = "person"
    act_on: date | None = None
    plate: str | None = None
    band_code: str | None = None
    procedure: str = "ordinary"
    lead_id: str | None = None
    e_service_consent: bool = False
    complex_case: bool = False


class RideHailingIn(BaseModel):
    """One illegal ride-hailing trip → two linked cases (一案双罚)."""

    plate: str
    driver_name: str
    platform_name: str
    act_on: date
    facts: str
    missing: str = "vehicle"  # vehicle | driver
    party_fine_yuan: int = Field(ge=0)
    platform_fine_yuan: int = Field(ge=0)
    lead_id: str | None = None


class AdvanceIn(BaseModel):
    target: str
    reason: str | None = None
    fine_yuan: int | None = Field(default=None, ge=0)
    service_channel: str = "electronic"


class ExemptionIn(BaseModel):
    item_code: str
    answers: dict[str, bool]
    reason: str


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    case_id: str
    case_code: str
    unit_code: str
    procedure: str
    status: str
    catalogue_code: str
    catalogue_version: str
    legal_basis: str
    band_code: str | None
    proposed_fine_yuan: int
    fine_yuan: int | None
    party_name: str
    party_kind: str
    plate: str | None
    act_on: date
    lead_id: str | None
    linked_group: str | None
    officer: str
    hearing_requested: bool
    exemption_code: str | None
    decision_due: date | None
    defence_due: date | None
    payment_due: date | None
    paid_fen: int
    surcharge_fen: int
    overdue: bool
    registered_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None


class CasePage(BaseModel):
    data: list[CaseRead]
    count: int


class TimelineEvent(BaseModel):
    seq: int
    ts: datetime
    actor: str
    action: str
    before: object | None
    after: object | None
    reason: str | None
