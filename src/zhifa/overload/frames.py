"""The determination of `zhifa.overload.rules` as Polars expressions, for a day of records at once.

Same rule, same order of quarantine reasons, same integer arithmetic: `tests/unit/overload/
test_frames.py` checks with hypothesis that every row agrees with `rules.determine`.

Input columns (schemas.md; absent ones are treated as null): record_id, gross_weight_kg, axle_count,
vehicle_kind, single_drive_axle, single_tyre_axles, axle_weights_kg (JSON text), length_mm, width_mm,
height_mm, plate; and the site tolerance policy per row: tol_permille (class × 10), tol_deduct.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from zhifa.overload import rules as r
from zhifa.overload.ruledata import KIND_CLASS, FineSchedule, LimitsTable, RuleSet

_OPTIONAL: dict[str, pl.DataType] = {
    "vehicle_kind": pl.String(),
    "single_drive_axle": pl.Boolean(),
    "single_tyre_axles": pl.Int64(),
    "axle_weights_kg": pl.String(),
    "length_mm": pl.Int64(),
    "width_mm": pl.Int64(),
    "height_mm": pl.Int64(),
    "plate": pl.String(),
    "plate_color": pl.String(),
    "axle_count": pl.Int64(),
    "gross_weight_kg": pl.Int64(),
}

OUTPUT_COLUMNS = (
    "status",
    "reason",
    "limit_kg",
    "tolerance_kg",
    "judged_kg",
    "excess_kg",
    "excess_rate",
    "mass_violation",
    "over_height_mm",
    "over_width_mm",
    "over_length_mm",
    "is_100t",
    "is_severe",
    "limit_item",
)


def with_tolerance(
    df: pl.DataFrame | pl.LazyFrame,
    policies: Mapping[str, r.TolerancePolicy],
    default: r.TolerancePolicy,
    site_column: str = "site_id",
) -> pl.LazyFrame:
    """Attach each row's site tolerance policy (tol_permille, tol_deduct); unknown sites get `default`."""
    lf = df.lazy()
    pol = pl.DataFrame(
        {
            site_column: list(policies.keys()),
            "tol_permille": [p.permille for p in policies.values()],
            "tol_deduct": [p.deduct for p in policies.values()],
        },
        schema={site_column: pl.String, "tol_permille": pl.Int64, "tol_deduct": pl.Boolean},
    ).lazy()
    return lf.join(pol, on=site_column, how="left").with_columns(
        pl.col("tol_permille").fill_null(default.permille),
        pl.col("tol_deduct").fill_null(default.deduct),
    )


RECEIVED = ("vehicle_kind", "single_drive_axle", "single_tyre_axles")  # kept as received in received_<name>


def with_registered_kind(
    lf: pl.DataFrame | pl.LazyFrame, kinds: pl.DataFrame | None, limits: LimitsTable
) -> pl.LazyFrame:
    """Fill what the weighing device did not report from the vehicle registry: the kind, and for a
    combination the single drive axle, and the single-tyre axles (`kinds`: plate, plate_color,
    registered_kind, optional registered_axles, registered_single_drive, registered_single_tyres).

    The registry is used only where it fits the measurement: a known kind with a limit for the measured
    axle count, the registered axle count (when on record) equal to the measured one — a registered
    2-axle truck measured with 4 axles is towing a trailer, so it is left to the lenient limit — and
    fewer single-tyre axles than axles. The values as received stay in `received_<name>` (the evidence
    is what the device sent). `kind_source` says where the vehicle's description came from: device,
    registry (something was filled from it) or unknown (the most lenient limit for the axle count)."""
    lf = lf.lazy()
    names = lf.collect_schema().names()
    for col, dtype in (("vehicle_kind", pl.String), ("single_drive_axle", pl.Boolean), ("single_tyre_axles", pl.Int64)):
        if col not in names:
            lf = lf.with_columns(pl.lit(None, dtype=dtype).alias(col))
    lf = lf.with_columns(pl.col(c).alias(f"received_{c}") for c in RECEIVED)
    lf = lf.with_columns(pl.when(pl.col("vehicle_kind") != "").then(pl.col("vehicle_kind")).alias("vehicle_kind"))
    device = pl.col("vehicle_kind").is_not_null()
    if kinds is None or kinds.height == 0 or "plate" not in names or "plate_color" not in names:
        return lf.with_columns(pl.when(device).then(pl.lit("device")).otherwise(pl.lit("unknown")).alias("kind_source"))
    reg = kinds.lazy()
    reg_names = reg.collect_schema().names()
    for col, dtype in (("registered_axles", pl.Int64), ("registered_single_drive", pl.Boolean),
                       ("registered_single_tyres", pl.Int64)):
        if col not in reg_names:
            reg = reg.with_columns(pl.lit(None, dtype=dtype).alias(col))
    reg = reg.select(
        "plate", "plate_color", "registered_kind", "registered_axles", "registered_single_drive",
        "registered_single_tyres",
    ).unique(["plate", "plate_color"], keep="first")
    axles = pl.col("axle_count").cast(pl.Int64, strict=False)
    key = pl.min_horizontal(axles, pl.lit(6))
    reg_class = pl.col("registered_kind").replace_strict(KIND_CLASS, default=None, return_dtype=pl.String)
    has_limit = pl.lit(False)
    for (k, cls) in limits.gross_kg:
        has_limit = has_limit | ((key == k) & (reg_class == cls))
    fits = (
        axles.is_not_null()
        & (pl.col("registered_axles").is_null() | (pl.col("registered_axles") == axles))
    )
    fill_kind = (~device & reg_class.is_not_null() & has_limit & fits).fill_null(False)
    kind = pl.when(fill_kind).then(pl.col("registered_kind")).otherwise(pl.col("vehicle_kind"))
    combination = kind.replace_strict(KIND_CLASS, default=None, return_dtype=pl.String) == "combination"
    fill_drive = (pl.col("single_drive_axle").is_null() & pl.col("registered_single_drive").is_not_null()
                  & combination & fits).fill_null(False)
    tyres = pl.col("registered_single_tyres")
    fill_tyres = (pl.col("single_tyre_axles").is_null() & tyres.is_not_null() & (tyres >= 0) & (tyres < axles)
                  & fits).fill_null(False)
    return (
        lf.join(reg, on=["plate", "plate_color"], how="left", maintain_order="left")
        .with_columns(
            pl.when(fill_kind | fill_drive | fill_tyres)
            .then(pl.lit("registry"))
            .when(device)
            .then(pl.lit("device"))
            .otherwise(pl.lit("unknown"))
            .alias("kind_source"),
            kind.alias("vehicle_kind"),
            pl.when(fill_drive).then(pl.col("registered_single_drive")).otherwise(pl.col("single_drive_axle"))
            .alias("single_drive_axle"),
            pl.when(fill_tyres).then(tyres).otherwise(pl.col("single_tyre_axles")).alias("single_tyre_axles"),
        )
        .drop("registered_kind", "registered_axles", "registered_single_drive", "registered_single_tyres")
    )


def _ensure_columns(lf: pl.LazyFrame) -> pl.LazyFrame:
    names = lf.collect_schema().names()
    add = [pl.lit(None, dtype=t).alias(c) for c, t in _OPTIONAL.items() if c not in names]
    lf = lf.with_columns(add) if add else lf
    return lf.with_columns(
        pl.col("gross_weight_kg").cast(pl.Int64, strict=False),
        pl.col("axle_count").cast(pl.Int64, strict=False),
        pl.col("single_tyre_axles").cast(pl.Int64, strict=False),
        pl.col("single_drive_axle").cast(pl.Boolean, strict=False),
        pl.col("axle_weights_kg").cast(pl.String),
        *(pl.col(c).cast(pl.Int64, strict=False) for c in ("length_mm", "width_mm", "height_mm")),
    )


def _limit_expr(rules: RuleSet) -> tuple[pl.Expr, pl.Expr]:
    lim = rules.limits
    key = pl.min_horizontal(pl.col("axle_count"), pl.lit(6))

    def by_class(cls: str) -> pl.Expr:
        e: pl.Expr = pl.lit(None, dtype=pl.Int64)
        for (k, c), kg in sorted(lim.gross_kg.items()):
            if c == cls:
                e = pl.when(key == k).then(pl.lit(kg, dtype=pl.Int64)).otherwise(e)
        return e

    truck, comb = by_class("truck"), by_class("combination")
    kind = pl.col("vehicle_kind")
    cls = kind.replace_strict(KIND_CLASS, default="invalid", return_dtype=pl.String)
    base = (
        pl.when(kind.is_null())
        .then(pl.max_horizontal(truck, comb))
        .when(cls == "truck")
        .then(truck)
        .when(cls == "combination")
        .then(comb)
        .otherwise(pl.lit(None, dtype=pl.Int64))
    )
    base = (
        pl.when(base.is_not_null() & (key == 6) & pl.col("single_drive_axle").fill_null(False))
        .then(pl.lit(lim.six_axle_single_drive_kg, dtype=pl.Int64))
        .otherwise(base)
    )
    tyres = pl.col("single_tyre_axles").fill_null(0)
    ok = pl.col("axle_count").is_not_null() & (pl.col("axle_count") >= 2) & (tyres >= 0) & (tyres < pl.col("axle_count"))
    limit = pl.when(ok).then(base - tyres * lim.single_tyre_reduction_kg).otherwise(pl.lit(None, dtype=pl.Int64))
    item = pl.lit(None, dtype=pl.Int64)
    for k, no in sorted(lim.item_no.items()):
        item = pl.when(key == k).then(pl.lit(no, dtype=pl.Int64)).otherwise(item)
    return limit, item


def determine_frame(df: pl.DataFrame | pl.LazyFrame, rules: RuleSet) -> pl.LazyFrame:
    """Add the determination columns (OUTPUT_COLUMNS) to every row; bad rows get status not_determined."""
    lim, flags = rules.limits, rules.flags
    lf = _ensure_columns(df.lazy())
    limit, item = _limit_expr(rules)
    aw_text = pl.col("axle_weights_kg").str.strip_chars(" ")
    parts = (
        aw_text.str.strip_chars("[] ")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars(" ").cast(pl.Int64, strict=False))
    )
    lf = lf.with_columns(
        limit.alias("limit_kg"),
        item.alias("limit_item"),
        pl.when(aw_text.is_null() | (aw_text == "")).then(pl.lit(None)).otherwise(parts).alias("_aw"),
    )
    g = pl.col("gross_weight_kg")
    aw = pl.col("_aw")
    aw_bad = aw.is_not_null() & (
        (aw.list.len() != pl.col("axle_count"))
        | (aw.list.eval(pl.element().is_null() | (pl.element() < 0)).list.any())
        | ((aw.list.sum() - g).abs() * 100 > g * flags.axle_sum_tolerance_pct)
    )
    plate_missing = pl.col("plate").is_null() | (pl.col("plate").str.strip_chars() == "")
    reason = (
        pl.when(g.is_null())
        .then(pl.lit(r.WEIGHT_MISSING))
        .when(g <= 0)
        .then(pl.lit(r.WEIGHT_NONPOSITIVE))
        .when(g > flags.max_plausible_kg)
        .then(pl.lit(r.WEIGHT_OVER_MAX))
        .when(pl.col("limit_kg").is_null())
        .then(pl.lit(r.UNKNOWN_AXLE_CONFIG))
        .when(aw_bad)
        .then(pl.lit(r.AXLE_WEIGHTS_MISMATCH))
        .when(plate_missing)
        .then(pl.lit(r.PLATE_MISSING))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    lf = lf.with_columns(reason.alias("reason")).drop("_aw")
    weighed = pl.col("reason").is_null() | (pl.col("reason") == r.PLATE_MISSING)
    tol = pl.when(pl.col("tol_deduct")).then(g * pl.col("tol_permille") // 1000).otherwise(0)
    lf = lf.with_columns(
        pl.when(weighed).then(tol).otherwise(0).alias("tolerance_kg"),
    ).with_columns(
        pl.when(weighed).then(g - pl.col("tolerance_kg")).otherwise(pl.lit(None, dtype=pl.Int64)).alias("judged_kg"),
    )
    over = weighed & (pl.col("judged_kg") > pl.col("limit_kg"))

    def dim(col: str, limit_mm: int) -> pl.Expr:
        v = pl.col(col)
        return pl.when(weighed & v.is_not_null() & (v > limit_mm)).then(v - limit_mm).otherwise(0)

    lf = lf.with_columns(
        over.alias("mass_violation"),
        pl.when(over).then(pl.col("judged_kg") - pl.col("limit_kg")).otherwise(0).alias("excess_kg"),
        dim("height_mm", lim.height_mm).alias("over_height_mm"),
        dim("width_mm", lim.width_mm).alias("over_width_mm"),
        dim("length_mm", lim.length_mm).alias("over_length_mm"),
        (weighed & (g >= flags.truck_100t_kg)).alias("is_100t"),
    )
    dims_over = (pl.col("over_height_mm") > 0) | (pl.col("over_width_mm") > 0) | (pl.col("over_length_mm") > 0)
    return lf.with_columns(
        pl.when(weighed)
        .then(pl.col("excess_kg") / pl.col("limit_kg"))
        .otherwise(0.0)
        .alias("excess_rate"),
        (pl.col("mass_violation") & (pl.col("excess_kg") * 100 > pl.col("limit_kg") * flags.severe_rate_pct)).alias(
            "is_severe"
        ),
        pl.when(pl.col("reason").is_not_null())
        .then(pl.lit(r.NOT_DETERMINED))
        .when(pl.col("mass_violation") | dims_over)
        .then(pl.lit(r.VIOLATION))
        .otherwise(pl.lit(r.LEGAL))
        .alias("status"),
        pl.when(weighed).then(pl.col("limit_kg")).otherwise(pl.lit(None, dtype=pl.Int64)).alias("limit_kg"),
    )


def penalty_columns(fines: FineSchedule) -> list[pl.Expr]:
    """`rules.proposed_penalty` as columns over determined rows: pen_mass_fen (Art. 43 (b); 0 = warning),
    pen_dim_lo / pen_dim_hi (the Art. 43 (a) band of the actual dimensions, yuan; null without a dimension
    excess) and pen_total_fen (the sum, capped). `tests/unit/overload/test_frames.py` checks they agree."""
    ex = pl.col("excess_kg")
    per = fines.yuan_per_step * 100
    if fines.rounding == "floor":
        fen = (ex // fines.step_kg) * per
    elif fines.rounding == "ceil":
        fen = -((-ex) // fines.step_kg) * per
    else:
        fen = ex * per // fines.step_kg
    mass = (
        pl.when(~pl.col("mass_violation"))
        .then(pl.lit(None, dtype=pl.Int64))
        .when(ex <= fines.warning_max_excess_kg)
        .then(pl.lit(0, dtype=pl.Int64))
        .otherwise(pl.min_horizontal(fen, pl.lit(fines.cap_yuan * 100)))
    )
    h, w, length = (pl.col(c).fill_null(0) for c in ("height_mm", "width_mm", "length_mm"))
    lo: pl.Expr = pl.lit(fines.dimension_top_band[0], dtype=pl.Int64)
    hi: pl.Expr = pl.lit(fines.dimension_top_band[1], dtype=pl.Int64)
    for max_h, max_w, max_l, b_lo, b_hi in reversed(fines.dimension_bands):  # the first band that holds wins
        inside = (h <= max_h) & (w <= max_w) & (length <= max_l)
        lo = pl.when(inside).then(pl.lit(b_lo, dtype=pl.Int64)).otherwise(lo)
        hi = pl.when(inside).then(pl.lit(b_hi, dtype=pl.Int64)).otherwise(hi)
    dims = (pl.col("over_height_mm") > 0) | (pl.col("over_width_mm") > 0) | (pl.col("over_length_mm") > 0)
    none = pl.lit(None, dtype=pl.Int64)
    return [
        mass.alias("pen_mass_fen"),
        pl.when(dims).then(lo).otherwise(none).alias("pen_dim_lo"),
        pl.when(dims).then(hi).otherwise(none).alias("pen_dim_hi"),
        pl.min_horizontal(
            mass.fill_null(0) + pl.when(dims).then(lo * 100).otherwise(0), pl.lit(fines.cap_yuan * 100)
        ).alias("pen_total_fen"),
    ]
