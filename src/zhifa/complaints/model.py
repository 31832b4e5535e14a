"""Complaints and tip-offs (投诉举报) and height/width barriers (限高限宽设施)."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    BARRIER = "barrier"  # 限高限宽设施
    ILLEGAL_OPERATION = "illegal_operation"  # 非法营运、黑车
    OVERLOAD = "overload"  # 超限超载
    ENFORCEMENT_CONDUCT = "enforcement_conduct"  # 执法人员行为
    ROAD_ENVIRONMENT = "road_environment"  # 路域环境（占道、打场晒粮等）
    OTHER = "other"


CATEGORY_LABELS = {
    Category.BARRIER: ("限高限宽设施", "Height/width barrier"),
    Category.ILLEGAL_OPERATION: ("非法营运", "Illegal passenger/freight operation"),
    Category.OVERLOAD: ("超限超载", "Overloaded truck"),
    Category.ENFORCEMENT_CONDUCT: ("执法行为", "Conduct of enforcement officers"),
    Category.ROAD_ENVIRONMENT: ("路域环境", "Road environment"),
    Category.OTHER: ("其他", "Other"),
}


class ComplaintStatus(StrEnum):
    RECEIVED = "received"  # 已接收
    ACCEPTED = "accepted"  # 已受理（转办责任单位）
    RESOLVED = "resolved"  # 已处理
    CLOSED = "closed"  # 已评价
    MERGED = "merged"  # 与同一地点同一类别的举报合并
    REJECTED = "rejected"  # 不予受理（附理由）


STATUS_LABELS = {
    ComplaintStatus.RECEIVED: ("已接收", "Received"),
    ComplaintStatus.ACCEPTED: ("已受理", "Accepted"),
    ComplaintStatus.RESOLVED: ("已处理", "Resolved"),
    ComplaintStatus.CLOSED: ("已评价", "Closed"),
    ComplaintStatus.MERGED: ("已合并", "Merged"),
    ComplaintStatus.REJECTED: ("不予受理", "Rejected"),
}

OPEN_STATUSES = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED})

TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.ACCEPTED, ComplaintStatus.REJECTED, ComplaintStatus.MERGED}),
    ComplaintStatus.ACCEPTED: frozenset({ComplaintStatus.RESOLVED}),
    ComplaintStatus.RESOLVED: frozenset({ComplaintStatus.CLOSED, ComplaintStatus.ACCEPTED}),
    ComplaintStatus.CLOSED: frozenset(),
    ComplaintStatus.MERGED: frozenset({ComplaintStatus.RESOLVED}),
    ComplaintStatus.REJECTED: frozenset(),
}


class BarrierStatus(StrEnum):
    APPROVED = "approved"  # 依法保留，已审批备案
    PENDING = "pending"  # 待核查
    ILLEGAL = "illegal"  # 违法设置，待拆除
    REMOVED = "removed"  # 已清理拆除


BARRIER_STATUS_LABELS = {
    BarrierStatus.APPROVED: ("依法保留", "Kept with approval"),
    BarrierStatus.PENDING: ("待核查", "To be checked"),
    BarrierStatus.ILLEGAL: ("违法设置", "Illegal"),
    BarrierStatus.REMOVED: ("已清理", "Removed"),
}

BARRIER_TRANSITIONS: dict[BarrierStatus, frozenset[BarrierStatus]] = {
    BarrierStatus.PENDING: frozenset({BarrierStatus.APPROVED, BarrierStatus.ILLEGAL}),
    BarrierStatus.ILLEGAL: frozenset({BarrierStatus.REMOVED, BarrierStatus.APPROVED}),
    BarrierStatus.APPROVED: frozenset({BarrierStatus.ILLEGAL, BarrierStatus.REMOVED}),
    BarrierStatus.REMOVED: frozenset(),
}
