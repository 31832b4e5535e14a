"""Versioned legal numbers for overload control (治超), each with source, effective date and verified flag.

Sources: ../shared/domain/rules.md §1–§3. UNVERIFIED numbers are configurable defaults: build a
`RuleSet` with `dataclasses.replace(...)` to change them; every determination stores `RuleSet.version`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

ORDER_62 = "《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号）"
REG_593 = "《公路安全保护条例》（国务院令第593号）"
CREDIT_2017 = "交通运输部办公厅《关于界定严重违法失信超限超载运输行为和相关责任主体有关事项的通知》（2017）"

# vehicle kinds as delivered by the WIM feed (schemas.md) → class in the Order 62 Art. 3 table
KIND_CLASS: dict[str, str] = {
    "rigid": "truck",  # 货车
    "tractor_semitrailer": "combination",  # 汽车列车（铰接）
    "full_trailer": "combination",  # 汽车列车（全挂）
}


@dataclass(frozen=True)
class Provenance:
    source: str
    effective_from: date
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class LimitsTable:
    """Order 62 Art. 3 ¶1 items 1–8 and ¶2 (VERIFIED, secondary copies)."""

    version: str
    # (axle key 2..6, class) → kg; axle key 6 means "6 or more"
    gross_kg: dict[tuple[int, str], int]
    # Art. 3 ¶1 item (项) number for each axle key
    item_no: dict[int, int]
    six_axle_single_drive_kg: int  # 46 t when the tractor has a single drive axle
    single_tyre_reduction_kg: int  # per non-drive axle with single tyres (Art. 3 ¶2)
    height_mm: int
    width_mm: int
    length_mm: int
    provenance: Provenance


@dataclass(frozen=True)
class FineSchedule:
    """Order 62 Art. 43 (2016 numbering; article numbers shifted later, rules.md §2.3)."""

    version: str
    warning_max_excess_kg: int  # ≤ this over: warning only
    yuan_per_step: int
    step_kg: int
    cap_yuan: int
    # part-tonnes: floor (only whole tonnes), ceil (every started tonne), exact (pro rata, fen) — UNVERIFIED
    rounding: Literal["floor", "ceil", "exact"]
    # dimension bands: (max height, max width, max length) → (min yuan, max yuan); beyond the last band: last range
    dimension_bands: tuple[tuple[int, int, int, int, int], ...]
    dimension_top_band: tuple[int, int]
    provenance: Provenance
    rounding_provenance: Provenance


@dataclass(frozen=True)
class Flags:
    version: str
    truck_100t_kg: int  # 百吨王: gross ≥ this (UNVERIFIED: campaign term)
    severe_rate_pct: int  # 严重超限: excess rate strictly above this percentage (UNVERIFIED, provincial)
    max_plausible_kg: int  # bad input: a record above this is impossible
    axle_sum_tolerance_pct: int  # bad input: axle weights must sum to within this % of gross
    provenance: Provenance


@dataclass(frozen=True)
class ToleranceDefaults:
    """JJG 907-2006: class X → in-service MPE ±X% (class 5 VERIFIED; general formula UNVERIFIED).

    Whether the MPE is deducted before deciding is not national law (UNVERIFIED): per site, with these
    defaults by record source when the site says nothing.
    """

    version: str
    default_class: dict[str, float]  # by source: wim | entry | static
    default_deduct: dict[str, bool]
    provenance: Provenance


@dataclass(frozen=True)
class CreditCriteria:
    """Serious-dishonesty list (rules.md §3); counts are strictly-more-than in a rolling window."""

    version: str
    truck_max_violations: int  # > 3 in a rolling year
    driver_max_violations: int
    enterprise_fleet_share_pct: int  # > 10 % of the fleet violating in a rolling year
    window_days: int
    listing_years: int  # leaves the public list 2 years after publication
    provenance: Provenance
    window_provenance: Provenance


@dataclass(frozen=True)
class RuleSet:
    limits: LimitsTable
    fines: FineSchedule
    flags: Flags
    tolerance: ToleranceDefaults
    credit: CreditCriteria
    effective_from: date

    @property
    def version(self) -> str:
        return "+".join(
            (self.limits.version, self.fines.version, self.flags.version, self.tolerance.version)
        )


_ORDER62_EFFECTIVE = date(2016, 9, 21)

LIMITS_2016 = LimitsTable(
    version="o62a3-2016",
    gross_kg={
        (2, "truck"): 18_000,
        (3, "truck"): 25_000,
        (3, "combination"): 27_000,
        (4, "truck"): 31_000,
        (4, "combination"): 36_000,
        (5, "combination"): 43_000,
        (6, "combination"): 49_000,
    },
    item_no={2: 4, 3: 5, 4: 6, 5: 7, 6: 8},
    six_axle_single_drive_kg=46_000,
    single_tyre_reduction_kg=3_000,
    height_mm=4_000,
    width_mm=2_550,
    length_mm=18_100,
    provenance=Provenance(ORDER_62 + "第三条", _ORDER62_EFFECTIVE, True, "secondary copies; check the gazette"),
)

FINES_2016 = FineSchedule(
    version="o62a43-2016-floor",
    warning_max_excess_kg=1_000,
    yuan_per_step=500,
    step_kg=1_000,
    cap_yuan=30_000,
    rounding="floor",
    dimension_bands=(
        (4_200, 3_000, 20_000, 0, 200),
        (4_500, 3_750, 28_000, 200, 1_000),
    ),
    dimension_top_band=(1_000, 3_000),
    provenance=Provenance(ORDER_62 + "第四十三条", _ORDER62_EFFECTIVE, True, "2016 numbering"),
    rounding_provenance=Provenance("省级裁量基准（未核实）", _ORDER62_EFFECTIVE, False, "part-tonne rounding"),
)

FLAGS_DEFAULT = Flags(
    version="flags-2021",
    truck_100t_kg=100_000,
    severe_rate_pct=100,
    max_plausible_kg=300_000,
    axle_sum_tolerance_pct=5,
    provenance=Provenance("河南省“消灭百吨王”专项行动（2021）；严重超限比例为省级口径", date(2021, 1, 1), False),
)

TOLERANCE_DEFAULT = ToleranceDefaults(
    version="jjg907-2006",
    default_class={"wim": 5.0, "entry": 5.0, "static": 0.5},
    default_deduct={"wim": True, "entry": False, "static": False},
    provenance=Provenance("JJG 907-2006《动态公路车辆自动衡器》", date(2006, 1, 1), False, "class 5 → ±5% verified"),
)

CREDIT_2017_CRITERIA = CreditCriteria(
    version="credit-2017",
    truck_max_violations=3,
    driver_max_violations=3,
    enterprise_fleet_share_pct=10,
    window_days=365,
    listing_years=2,
    provenance=Provenance(CREDIT_2017 + "；" + REG_593 + "第六十六条", date(2017, 1, 1), True, "文号未核实"),
    window_provenance=Provenance("滚动一年，可跨年（未核实）", date(2017, 1, 1), False),
)

RULESETS: tuple[RuleSet, ...] = (
    RuleSet(LIMITS_2016, FINES_2016, FLAGS_DEFAULT, TOLERANCE_DEFAULT, CREDIT_2017_CRITERIA, _ORDER62_EFFECTIVE),
)


def ruleset_for(day: date, rulesets: tuple[RuleSet, ...] = RULESETS) -> RuleSet:
    """The rule set in force on `day` (the latest one whose effective_from ≤ day)."""
    ordered = sorted(rulesets, key=lambda r: r.effective_from)
    chosen = None
    for rs in ordered:
        if rs.effective_from <= day:
            chosen = rs
    if chosen is None:
        raise LookupError(f"no overload rule set in force on {day.isoformat()}")
    return chosen


def with_overrides(
    rs: RuleSet,
    *,
    rounding: str | None = None,
    severe_rate_pct: int | None = None,
    truck_100t_kg: int | None = None,
) -> RuleSet:
    """Configure the UNVERIFIED defaults; the version id changes so decisions stay explainable."""
    fines, flags = rs.fines, rs.flags
    if rounding is not None and rounding != fines.rounding:
        if rounding not in ("floor", "ceil", "exact"):
            raise ValueError("rounding must be floor, ceil or exact")
        fines = replace(fines, rounding=rounding, version=f"o62a43-2016-{rounding}")  # type: ignore[arg-type]
    if severe_rate_pct is not None or truck_100t_kg is not None:
        sr = flags.severe_rate_pct if severe_rate_pct is None else severe_rate_pct
        ht = flags.truck_100t_kg if truck_100t_kg is None else truck_100t_kg
        flags = replace(flags, severe_rate_pct=sr, truck_100t_kg=ht, version=f"flags-s{sr}-h{ht}")
    return replace(rs, fines=fines, flags=flags)


# violation catalogue codes used when a case is opened (cases slice)
CATALOGUE_MASS = "OVL-MASS"
CATALOGUE_DIMENSION = "OVL-DIM"
