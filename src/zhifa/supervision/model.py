"""Supervision work orders (督办/交办): states, transitions, sources."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    ASSIGNED = "assigned"  # 交办
    ACCEPTED = "accepted"  # 承办
    COMPLETED = "completed"  # 办结
    CLOSED = "closed"  # 回访满意，关闭


class OrderAction(StrEnum):
    ACCEPT = "accept"
    URGE = "urge"  # 督办: a reminder, the state does not change
    COMPLETE = "complete"
    CALLBACK_SATISFIED = "callback_satisfied"
    CALLBACK_DISSATISFIED = "callback_dissatisfied"  # reopens the order


class OrderSource(StrEnum):
    COMPLAINT = "complaint"
    INSPECTION = "inspection"
    OPINION_INCIDENT = "opinion_incident"  # 舆情
    INSTRUCTION = "instruction"  # 上级交办
    OVERDUE_CASE = "overdue_case"


# (state, action) -> next state; anything else is an illegal transition
TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (OrderStatus.ASSIGNED, OrderAction.ACCEPT): OrderStatus.ACCEPTED,
    (OrderStatus.ASSIGNED, OrderAction.URGE): OrderStatus.ASSIGNED,
    (OrderStatus.ACCEPTED, OrderAction.URGE): OrderStatus.ACCEPTED,
    (OrderStatus.ACCEPTED, OrderAction.COMPLETE): OrderStatus.COMPLETED,
    (OrderStatus.COMPLETED, OrderAction.CALLBACK_SATISFIED): OrderStatus.CLOSED,
    (OrderStatus.COMPLETED, OrderAction.CALLBACK_DISSATISFIED): OrderStatus.ACCEPTED,
}

STATUS_LABELS_ZH = {
    OrderStatus.ASSIGNED: "已交办",
    OrderStatus.ACCEPTED: "承办中",
    OrderStatus.COMPLETED: "已办结",
    OrderStatus.CLOSED: "已回访关闭",
}

SOURCE_LABELS_ZH = {
    OrderSource.COMPLAINT: "投诉举报",
    OrderSource.INSPECTION: "明查暗访",
    OrderSource.OPINION_INCIDENT: "舆情",
    OrderSource.INSTRUCTION: "上级交办",
    OrderSource.OVERDUE_CASE: "超期案件",
}
