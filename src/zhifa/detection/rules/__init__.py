"""Detectors: each a rule code, a query over the record tables and a scorer. `DETECTORS` maps code → run."""

from __future__ import annotations

from collections.abc import Callable

from zhifa.detection.context import DetectContext
from zhifa.leads.model import RULE_LABELS, LeadDraft

Detector = Callable[[DetectContext], list[LeadDraft]]


def detectors() -> dict[str, Detector]:
    from zhifa.detection.rules import gps_off, illegal_passenger, oversize

    return {
        "illegal_passenger": illegal_passenger.detect,  # also emits gathering_point leads
        "gps_off": gps_off.detect,
        "oversize": oversize.detect,  # oversize_off_route / beyond_route / off_window / exceeds / no_permit
    }


RULE_CODES = (
    "illegal_passenger",
    "gathering_point",
    "gps_off",
    "oversize_off_route",
    "oversize_beyond_route",
    "oversize_off_window",
    "oversize_exceeds_permit",
    "oversize_no_permit",
)

RULE_LABELS_ZH = {code: zh for code, (zh, _en) in RULE_LABELS.items()}


def detector_for_rule(rule: str) -> str:
    """The detector that produces a rule code."""
    if rule.startswith("oversize"):
        return "oversize"
    if rule == "gathering_point":
        return "illegal_passenger"
    return rule
