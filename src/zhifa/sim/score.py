"""Score a detector's leads against the simulator's ground truth (precision and recall).

Matching: a lead matches a truth row when the truth kind equals the rule, the vehicle identity is
the same (normalised plate; plate colour too when the lead has one) and the intervals
[start, end] overlap after widening the truth interval by `window` on each side.

- precision = leads that match at least one truth row / all leads (`fp` = leads matching none)
- recall    = truth rows matched by at least one lead / all truth rows (`tp` = matched truth rows,
  `fn` = truth rows matched by no lead)
Several leads on one planted violation therefore do not lower precision, and one lead spanning two
planted violations finds both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

import polars as pl

TZ_NAME = "Asia/Shanghai"


@dataclass(frozen=True)
class Score:
    rule: str
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    leads: int
    truth: int

    def as_dict(self) -> dict:
        return asdict(self)


def _norm_plate(col: str) -> pl.Expr:
    try:
        from zhifa.shared.plates import normalise
    except ImportError:  # pragma: no cover
        normalise = None
    expr = pl.col(col).cast(pl.String).fill_null("")
    if normalise is not None:
        return expr.map_elements(normalise, return_dtype=pl.String)
    return expr.str.to_uppercase().str.replace_all(r"[\s\.\-·]", "")


def _aware(df: pl.DataFrame, cols: tuple[str, ...]) -> pl.DataFrame:
    """Timestamps to UTC microseconds; naive values are read as Asia/Shanghai (schemas.md)."""
    out = []
    for c in cols:
        dt = df.schema[c]
        e = pl.col(c)
        if dt == pl.String:
            e = e.str.to_datetime(time_zone=TZ_NAME, time_unit="us")
        elif isinstance(dt, pl.Datetime) and dt.time_zone is None:
            e = e.cast(pl.Datetime("us")).dt.replace_time_zone(TZ_NAME)
        out.append(e.dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC")).alias(c))
    return df.with_columns(out)


def score(truth: pl.DataFrame, leads: pl.DataFrame, rule: str, *, window: timedelta = timedelta(minutes=30)) -> Score:
    """Precision and recall of `leads` (columns rule, plate, plate_color, start, end) for `rule`."""
    t = truth.filter(pl.col("kind") == rule).select("plate", "plate_color", "start", "end")
    lcols = ["plate", "plate_color", "start", "end"]
    ld = leads.filter(pl.col("rule") == rule).select(lcols) if "rule" in leads.columns else leads.select(lcols)
    t = _aware(t, ("start", "end")).with_row_index("_t").with_columns(_p=_norm_plate("plate"))
    ld = _aware(ld, ("start", "end")).with_row_index("_l").with_columns(_p=_norm_plate("plate"))
    w = pl.duration(microseconds=int(window.total_seconds() * 1_000_000))
    pairs = (
        ld.join(t, on="_p", suffix="_t")
        .filter(
            (pl.col("plate_color").is_null() | (pl.col("plate_color") == "") | (pl.col("plate_color") == pl.col("plate_color_t")))
            & (pl.col("start") <= pl.col("end_t") + w)
            & (pl.col("end") >= pl.col("start_t") - w)
        )
        .select("_l", "_t")
    )
    matched_leads = pairs["_l"].n_unique()
    matched_truth = pairs["_t"].n_unique()
    n_l, n_t = ld.height, t.height
    return Score(
        rule=rule,
        precision=matched_leads / n_l if n_l else 0.0,
        recall=matched_truth / n_t if n_t else 0.0,
        tp=matched_truth,
        fp=n_l - matched_leads,
        fn=n_t - matched_truth,
        leads=n_l,
        truth=n_t,
    )


@dataclass(frozen=True)
class AttributionScore:
    """Loading-source trace-back against the truth: of the traced trucks whose planted overload names a
    registered source, the share whose top-1 inferred source is that source."""

    traced: int  # trace-back tasks matched to an overload truth row with a known source
    correct: int
    accuracy: float
    unmatched_tasks: int  # tasks with no overload truth row (false overload leads, or no known source)

    def as_dict(self) -> dict:
        return asdict(self)


def score_attribution(truth: pl.DataFrame, tasks: pl.DataFrame, *, window: timedelta = timedelta(minutes=30)) -> AttributionScore:
    """`tasks`: plate, plate_color, weighed_at, source_enterprise_id (one row per trace-back task).

    Each task is paired with the overload truth row of the same vehicle whose [start, end] ± window holds
    the weighing time; its detail's `loading_source_id` is the true source ("" when the truck loaded at no
    registered source — those rows are not scored)."""
    import json

    ov = truth.filter(pl.col("kind") == "overload").with_columns(
        pl.col("detail").map_elements(lambda d: json.loads(d).get("loading_source_id") or "", return_dtype=pl.String)
        .alias("true_source"),
        _norm_plate("plate").alias("_p"),
    ).filter(pl.col("true_source") != "")
    if tasks.height == 0 or ov.height == 0:
        return AttributionScore(0, 0, 0.0, tasks.height)
    tz = pl.Datetime("us", TZ_NAME)
    t = tasks.with_columns(_norm_plate("plate").alias("_p"), pl.col("weighed_at").cast(tz),
                           pl.int_range(pl.len()).alias("_task"))
    ov = ov.with_columns(pl.col("start").cast(tz), pl.col("end").cast(tz))
    j = t.join(ov.select("_p", "plate_color", "start", "end", "true_source"), on=["_p", "plate_color"], how="inner")
    j = j.filter((pl.col("weighed_at") >= pl.col("start") - window) & (pl.col("weighed_at") <= pl.col("end") + window))
    per_task = j.group_by("_task").agg(
        (pl.col("source_enterprise_id") == pl.col("true_source")).any().alias("ok"))
    traced = per_task.height
    correct = int(per_task["ok"].sum()) if traced else 0
    return AttributionScore(traced, correct, correct / traced if traced else 0.0, tasks.height - traced)
