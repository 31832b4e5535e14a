"""Overload determination (超限认定) and the proposed penalty: pure functions, no I/O, no clock.

- Limits: Order 62 Art. 3 ¶1 items 1–8 and ¶2 (strictly greater than the limit is over; 46 t / 49 t;
  −3 t per non-drive axle with single tyres).
- Measurement tolerance: JJG 907-2006 class X → in-service MPE ±X % of the weight; deducted per site
  policy before deciding (UNVERIFIED practice, configurable).
- Fines: Order 62 Art. 43 (≤ 1000 kg over: warning; 500 yuan per 1000 kg over, cap 30 000 yuan;
  dimension bands; several violations added, still capped).
`zhifa.overload.frames` is the same rule over a Polars frame; a property test keeps them equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from zhifa.overload.ruledata import KIND_CLASS, ORDER_62, FineSchedule, Flags, LimitsTable, RuleSet

# quarantine reasons (bad input is never determined, always counted)
WEIGHT_MISSING = "weight_missing"
WEIGHT_NONPOSITIVE = "weight_nonpositive"
WEIGHT_OVER_MAX = "weight_over_max"
UNKNOWN_AXLE_CONFIG = "unknown_axle_config"
AXLE_WEIGHTS_MISMATCH = "axle_weights_mismatch"
PLATE_MISSING = "plate_missing"

REASON_LABELS_ZH = {
    WEIGHT_MISSING: "缺少总重",
    WEIGHT_NONPOSITIVE: "总重为零或负数",
    WEIGHT_OVER_MAX: "总重超过300吨，不可能",
    UNKNOWN_AXLE_CONFIG: "轴型无法识别",
    AXLE_WEIGHTS_MISMATCH: "轴重之和与总重相差超过5%",
    PLATE_MISSING: "号牌无法识别",
}

VIOLATION = "violation"
LEGAL = "legal"
NOT_DETERMINED = "not_determined"
# over the limit but holding an oversize permit valid at the time (Order 62 Art. 39: permitted vehicles
# pass; compliance with the permit is checked by the permits slice)
PERMITTED = "permitted"

STATUS_LABELS_ZH = {VIOLATION: "超限", LEGAL: "未超限", NOT_DETERMINED: "未认定", PERMITTED: "持大件运输许可"}


@dataclass(frozen=True)
class Measurement:
    """One weighing: WIM (`wim`), toll entry weighing (`entry`) or check-station static weighing (`static`)."""

    record_id: str
    source: str
    gross_weight_kg: int | None
    axle_count: int | None
    vehicle_kind: str | None = None  # None: unknown (entry weighing) → the most lenient limit for the axles
    single_drive_axle: bool | None = None
    single_tyre_axles: int | None = None
    axle_weights_kg: tuple[int, ...] | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    plate: str | None = None
    plate_color: str | None = None


@dataclass(frozen=True)
class TolerancePolicy:
    """Per site: JJG 907 accuracy class (MPE ±class %) and whether it is deducted before deciding."""

    device_class: float
    deduct: bool

    @property
    def permille(self) -> int:
        return int(round(self.device_class * 10))

    def tolerance_kg(self, gross_kg: int) -> int:
        return gross_kg * self.permille // 1000 if self.deduct else 0


@dataclass(frozen=True)
class Determination:
    record_id: str
    status: str  # violation | legal | not_determined
    reason: str | None  # quarantine reason when not determined
    rule_version: str
    limit_kg: int | None = None
    measured_kg: int | None = None
    tolerance_kg: int = 0
    judged_kg: int | None = None  # measured − tolerance
    excess_kg: int = 0  # judged − limit when over, else 0
    excess_rate: float = 0.0  # excess / limit
    mass_violation: bool = False
    dimension_excess_mm: dict[str, int] = field(default_factory=dict)
    is_100t: bool = False
    is_severe: bool = False
    legal_basis: str = ""

    @property
    def dimension_violation(self) -> bool:
        return bool(self.dimension_excess_mm)


def parse_axle_weights(raw: Any) -> tuple[int, ...] | None:
    """The WIM `axle_weights_kg` JSON list; None when absent, () when unreadable."""
    if raw is None:
        return None
    if isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            items = json.loads(text)
        except ValueError:
            return ()
        if not isinstance(items, list):
            return ()
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in items):
        return ()
    return tuple(items)


def base_limit(
    axle_count: int | None,
    vehicle_kind: str | None,
    single_drive_axle: bool | None,
    single_tyre_axles: int | None,
    limits: LimitsTable,
) -> tuple[int, int] | None:
    """(limit kg, Art. 3 ¶1 item) or None for an axle configuration the table does not know.

    Unknown kind (entry weighing has no kind) takes the most lenient limit for the axle count.
    Single-tyre axles lower the limit by 3 t each (Art. 3 ¶2; wide tyres are not in the feed).
    """
    if axle_count is None or axle_count < 2:
        return None
    key = min(axle_count, 6)
    if vehicle_kind is None:
        classes = ("truck", "combination")
    elif vehicle_kind in KIND_CLASS:
        classes = (KIND_CLASS[vehicle_kind],)
    else:
        return None
    found = [limits.gross_kg[(key, c)] for c in classes if (key, c) in limits.gross_kg]
    if not found:
        return None
    limit = max(found)
    if key == 6 and single_drive_axle:
        limit = limits.six_axle_single_drive_kg
    tyres = single_tyre_axles or 0
    if tyres < 0 or tyres >= axle_count:  # the drive axle is never counted; more is impossible
        return None
    limit -= tyres * limits.single_tyre_reduction_kg
    return limit, limits.item_no[key]


def _dimension_excess(m: Measurement, limits: LimitsTable) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, value, lim in (
        ("height", m.height_mm, limits.height_mm),
        ("width", m.width_mm, limits.width_mm),
        ("length", m.length_mm, limits.length_mm),
    ):
        if value is not None and value > lim:
            out[name] = int(value) - lim
    return out


def validate(m: Measurement, limits: LimitsTable, flags: Flags) -> str | None:
    """The first reason the record cannot be determined, in a fixed order, or None."""
    g = m.gross_weight_kg
    if g is None:
        return WEIGHT_MISSING
    if g <= 0:
        return WEIGHT_NONPOSITIVE
    if g > flags.max_plausible_kg:
        return WEIGHT_OVER_MAX
    if base_limit(m.axle_count, m.vehicle_kind, m.single_drive_axle, m.single_tyre_axles, limits) is None:
        return UNKNOWN_AXLE_CONFIG
    aw = m.axle_weights_kg
    if aw is not None:
        if len(aw) != m.axle_count or any(w < 0 for w in aw):
            return AXLE_WEIGHTS_MISMATCH
        if abs(sum(aw) - g) * 100 > g * flags.axle_sum_tolerance_pct:
            return AXLE_WEIGHTS_MISMATCH
    if not (m.plate or "").strip():
        return PLATE_MISSING
    return None


def legal_basis(item: int | None, dims: dict[str, int]) -> str:
    parts = []
    dim_items = {"height": 1, "width": 2, "length": 3}
    items = sorted({dim_items[d] for d in dims} | ({item} if item else set()))
    if items:
        parts.append(ORDER_62 + "第三条第一款" + "、".join(f"第（{_cn(i)}）项" for i in items))
    return "；".join(parts)


def _cn(i: int) -> str:
    return "零一二三四五六七八九十"[i]


def determine(m: Measurement, rules: RuleSet, tolerance: TolerancePolicy) -> Determination:
    """Order 62 Art. 3: over the limit only when strictly greater, after the site's tolerance.

    A record with a missing plate is still weighed (so an unidentified-vehicle lead can be raised),
    but its status is `not_determined` with reason `plate_missing`.
    """
    limits, flags = rules.limits, rules.flags
    reason = validate(m, limits, flags)
    if reason is not None and reason != PLATE_MISSING:
        return Determination(m.record_id, NOT_DETERMINED, reason, rules.version, measured_kg=m.gross_weight_kg)
    assert m.gross_weight_kg is not None
    lim = base_limit(m.axle_count, m.vehicle_kind, m.single_drive_axle, m.single_tyre_axles, limits)
    assert lim is not None
    limit, item = lim
    gross = int(m.gross_weight_kg)
    tol = tolerance.tolerance_kg(gross)
    judged = gross - tol
    over = judged > limit
    excess = judged - limit if over else 0
    dims = _dimension_excess(m, limits)
    status = VIOLATION if (over or dims) else LEGAL
    if reason == PLATE_MISSING:
        status = NOT_DETERMINED
    return Determination(
        record_id=m.record_id,
        status=status,
        reason=reason,
        rule_version=rules.version,
        limit_kg=limit,
        measured_kg=gross,
        tolerance_kg=tol,
        judged_kg=judged,
        excess_kg=excess,
        excess_rate=excess / limit,
        mass_violation=over,
        dimension_excess_mm=dims,
        is_100t=gross >= flags.truck_100t_kg,
        is_severe=over and excess * 100 > limit * flags.severe_rate_pct,
        legal_basis=legal_basis(item if over else None, dims),
    )


@dataclass(frozen=True)
class PenaltyLine:
    what: str  # mass | dimension
    min_yuan: int
    max_yuan: int
    proposed_fen: int
    text: str


@dataclass(frozen=True)
class ProposedPenalty:
    """Order 62 Art. 43: the amount proposed to the case officer (discretion happens in the case)."""

    warning_only: bool
    proposed_yuan: int
    proposed_fen: int
    lines: tuple[PenaltyLine, ...]
    basis: str
    rule_version: str


def mass_fine_fen(excess_kg: int, fines: FineSchedule) -> int:
    """Art. 43 (b): ≤ 1000 kg over → 0 (warning); else 500 yuan per 1000 kg, part-tonnes per `rounding`."""
    if excess_kg <= fines.warning_max_excess_kg:
        return 0
    per = fines.yuan_per_step * 100
    if fines.rounding == "floor":
        fen = (excess_kg // fines.step_kg) * per
    elif fines.rounding == "ceil":
        fen = -(-excess_kg // fines.step_kg) * per
    else:
        fen = excess_kg * per // fines.step_kg
    return min(fen, fines.cap_yuan * 100)


def dimension_band(dims_mm: dict[str, int | None], fines: FineSchedule) -> tuple[int, int]:
    """Art. 43 (a): the band of the vehicle's actual height, width, length (mm)."""
    h, w, length = (dims_mm.get(k) or 0 for k in ("height", "width", "length"))
    for max_h, max_w, max_l, lo, hi in fines.dimension_bands:
        if h <= max_h and w <= max_w and length <= max_l:
            return lo, hi
    return fines.dimension_top_band


def mass_line_text(excess_kg: int, fen: int, fines: FineSchedule) -> str:
    if fen == 0:
        return f"超限{excess_kg}千克，不超过{fines.warning_max_excess_kg}千克，予以警告"
    return f"超限{excess_kg}千克，每超{fines.step_kg}千克罚款{fines.yuan_per_step}元"


def dimension_line_text(lo_yuan: int, hi_yuan: int) -> str:
    return f"外廓尺寸超限，罚款{lo_yuan}至{hi_yuan}元"


def proposed_penalty(d: Determination, m: Measurement, fines: FineSchedule) -> ProposedPenalty:
    """Add the mass fine and the dimension band (its lower bound), capped at 30 000 yuan."""
    lines: list[PenaltyLine] = []
    if d.mass_violation:
        fen = mass_fine_fen(d.excess_kg, fines)
        lines.append(PenaltyLine("mass", fen // 100, fen // 100, fen, mass_line_text(d.excess_kg, fen, fines)))
    if d.dimension_excess_mm:
        lo, hi = dimension_band({"height": m.height_mm, "width": m.width_mm, "length": m.length_mm}, fines)
        lines.append(PenaltyLine("dimension", lo, hi, lo * 100, dimension_line_text(lo, hi)))
    total = min(sum(line.proposed_fen for line in lines), fines.cap_yuan * 100)
    return ProposedPenalty(
        warning_only=bool(lines) and total == 0,
        proposed_yuan=total // 100,
        proposed_fen=total,
        lines=tuple(lines),
        basis=ORDER_62 + "第四十三条",
        rule_version=fines.version,
    )


def measurement_from_row(row: dict[str, Any], source: str) -> Measurement:
    """A lake row (schemas.md columns) as a Measurement; missing columns are None."""

    def _int(v: Any) -> int | None:
        if v is None:
            return None
        try:
            return int(v)
        except (TypeError, ValueError):
            return None

    sd = row.get("single_drive_axle")
    return Measurement(
        record_id=str(row.get("record_id")),
        source=source,
        gross_weight_kg=_int(row.get("gross_weight_kg")),
        axle_count=_int(row.get("axle_count")),
        vehicle_kind=row.get("vehicle_kind") or None,
        single_drive_axle=None if sd is None else bool(sd),
        single_tyre_axles=_int(row.get("single_tyre_axles")),
        axle_weights_kg=parse_axle_weights(row.get("axle_weights_kg")),
        length_mm=_int(row.get("length_mm")),
        width_mm=_int(row.get("width_mm")),
        height_mm=_int(row.get("height_mm")),
        plate=(row.get("plate") or None),
        plate_color=row.get("plate_color") or None,
    )
