"""Vectorised validation of record (and registry) frames: typed good rows, bad rows with reasons.

Everything is a Polars expression over whole columns; the only Python loop runs over the distinct
(plate, colour) pairs, which a batch repeats many times. `validate` never raises on any cell text:
a cell that cannot be read becomes a reason on its row (schemas.md, "bad input never crashes").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import polars as pl

from zhifa.records.schemas import PLATE_UNRECOGNISED, SITE_COLUMNS, TZ_NAME, TableSpec
from zhifa.shared import plates
from zhifa.shared.clock import TZ

ROW_NO = "_row_no"
REASON = "reason"

# JT/T 489-2019 toll classes (rules.md §6.1): 1–4 passenger, 11–16 goods, 21–26 special-purpose
VEHICLE_CLASSES = (1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26)
# Axles per goods/special class (rules.md §6.1: 货1/货2 two axles, 货3–货6 three to six over the
# whole combination; 专1–专6 split the same way). 16 and 26 mean six or more.
EXACT_AXLES = {11: 2, 12: 2, 13: 3, 14: 4, 15: 5, 21: 2, 22: 2, 23: 3, 24: 4, 25: 5}
SIX_PLUS = (16, 26)
PASSENGER = (1, 2, 3, 4)
PASSENGER_MAX_AXLES = 3  # a car with a trailer is still 客1; no coach has more than three axles

VEHICLE_KINDS = ("rigid", "tractor_semitrailer", "full_trailer")
EVENTS = ("entry", "exit")
MEDIA = ("obu", "cpc")
DIRECTIONS = (1, 2)

EARLIEST = datetime(2015, 1, 1, tzinfo=TZ)
FUTURE_TOLERANCE = timedelta(minutes=15)
MAX_GROSS_KG = 300_000
AXLE_SUM_TOLERANCE = 0.05
MAX_AXLES = 20
MAX_SPEED_KMH = 250.0
# Henan and a margin (the province spans about 110.35–116.65 E, 31.38–36.37 N)
HENAN_BBOX = (110.0, 31.0, 117.0, 36.7)

_TRUE = ("true", "t", "1", "yes", "y", "是")
_FALSE = ("false", "f", "0", "no", "n", "否")
_JSON_NUM_LIST = r"^\s*\[\s*(?:-?\d+(?:\.\d+)?\s*(?:,\s*-?\d+(?:\.\d+)?\s*)*)?\]\s*$"
_JSON_LIST = r"(?s)^\s*\[.*\]\s*$"


@dataclass(frozen=True)
class Context:
    """What validation compares against: the clock and the known sites (site_id → kind)."""

    now: datetime
    sites: Mapping[str, str] | None = None
    future_tolerance: timedelta = FUTURE_TOLERANCE
    earliest: datetime = EARLIEST
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Result:
    good: pl.DataFrame  # typed, lake columns (contract + platform columns), plus ROW_NO
    bad: pl.DataFrame  # ROW_NO, REASON and the original columns as text


def _quote(col: str) -> pl.Expr:
    return pl.concat_str([pl.lit("（“"), pl.col(col).cast(pl.String).str.slice(0, 40), pl.lit("”）")])


def reason_if(cond: pl.Expr, text: str | pl.Expr) -> pl.Expr:
    """The reason where cond is true, else null (a null condition counts as false)."""
    msg = pl.lit(text) if isinstance(text, str) else text
    return pl.when(cond.fill_null(False)).then(msg).otherwise(pl.lit(None, pl.String))


# --- parsing --------------------------------------------------------------------------------------


def _text(col: str) -> pl.Expr:
    """The cell as stripped text, empty → null."""
    s = pl.col(col).cast(pl.String).str.strip_chars()
    return pl.when(s.str.len_bytes() == 0).then(pl.lit(None, pl.String)).otherwise(s)


def parse_timestamp(s: pl.Expr) -> pl.Expr:
    """ISO 8601 text → Datetime(us, Asia/Shanghai). Offsets are honoured, naive times are Shanghai.

    Accepts 'T' or a space between date and time, fractional seconds, 'Z', '+08:00' and '+0800';
    a bare date is midnight. Anything else is null.
    """
    s = s.str.replace(r"^(\d{4}-\d{2}-\d{2})[ ](\d)", "${1}T${2}").str.replace(r"[zZ]$", "+00:00")
    aware = s.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us").dt.convert_time_zone(
        TZ_NAME
    )
    naive = [
        s.str.to_datetime(fmt, strict=False, time_unit="us")
        for fmt in ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M")
    ]
    day = s.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us"))
    local = pl.coalesce([*naive, day]).dt.replace_time_zone(TZ_NAME, ambiguous="null", non_existent="null")
    return pl.coalesce([aware, local])


def _typed(col: str, kind: str, dtype: pl.DataType) -> pl.Expr:
    """Expression turning a column of any source dtype into `kind` (null where unreadable)."""
    c = pl.col(col)
    if kind == "ts":
        if isinstance(dtype, pl.Datetime):
            return (
                c.dt.replace_time_zone(TZ_NAME)
                if dtype.time_zone is None
                else c.dt.convert_time_zone(TZ_NAME)
            ).dt.cast_time_unit("us")
        if dtype == pl.Date:
            return c.cast(pl.Datetime("us")).dt.replace_time_zone(TZ_NAME)
        return parse_timestamp(_text(col))
    if kind == "int":
        if dtype.is_integer():
            return c.cast(pl.Int64, strict=False)
        if dtype.is_float():
            return (
                pl.when(c.is_finite() & (c == c.round(0)) & (c.abs() < 9e15))
                .then(c)
                .cast(pl.Int64, strict=False)
            )
        if dtype == pl.Boolean:
            return c.cast(pl.Int64)
        t = _text(col)
        f = t.cast(pl.Float64, strict=False)
        from_float = (
            pl.when(f.is_finite() & (f == f.round(0)) & (f.abs() < 9e15)).then(f).cast(pl.Int64, strict=False)
        )
        return pl.coalesce([t.cast(pl.Int64, strict=False), from_float])
    if kind == "float":
        if dtype.is_numeric():
            f = c.cast(pl.Float64)
        else:
            f = _text(col).cast(pl.Float64, strict=False)
        return pl.when(f.is_finite()).then(f).otherwise(pl.lit(None, pl.Float64))
    if kind == "bool":
        if dtype == pl.Boolean:
            return c
        if dtype.is_numeric():
            return pl.when(c == 1).then(True).when(c == 0).then(False).otherwise(pl.lit(None, pl.Boolean))
        t = _text(col).str.to_lowercase()
        return (
            pl.when(t.is_in(_TRUE))
            .then(True)
            .when(t.is_in(_FALSE))
            .then(False)
            .otherwise(pl.lit(None, pl.Boolean))
        )
    # str, json_list
    return _text(col)


def _fill_from(fast: pl.Series, raw: pl.Series, slow: pl.Expr) -> pl.Series:
    """Where the fast parse gave null on a non-empty cell, try the slow parse on those cells only."""
    present = raw.str.strip_chars().str.len_bytes().fill_null(0) > 0
    retry = fast.is_null() & present
    if not retry.any():
        return fast
    idx = retry.arg_true()
    again = pl.DataFrame({"v": raw.filter(retry)}).select(slow.alias("v"))["v"].cast(fast.dtype)
    return fast.scatter(idx, again)


def parse_text_column(raw: pl.Series, kind: str) -> pl.Series | None:
    """Two-stage parse of a text column: a fast fixed-format cast for all rows, the lenient parse for
    the rows it missed. None for kinds that have no fast path (they stay expressions)."""
    if kind == "ts":
        fast = pl.DataFrame({"v": raw}).select(
            pl.col("v")
            .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us")
            .dt.convert_time_zone(TZ_NAME)
        )["v"]
        return _fill_from(fast, raw, parse_timestamp(_text("v")))
    if kind == "int":
        fast = raw.cast(pl.Int64, strict=False)
        return _fill_from(fast, raw, _typed("v", "int", pl.String()))
    if kind == "float":
        fast = raw.cast(pl.Float64, strict=False)
        fast = pl.DataFrame({"v": fast}).select(pl.when(pl.col("v").is_finite()).then(pl.col("v")))["v"]
        return _fill_from(fast, raw, _typed("v", "float", pl.String()))
    return None


_KIND_ZH = {
    "int": "整数",
    "float": "数值",
    "bool": "布尔值（true/false）",
    "ts": "ISO 8601 时间",
    "json_list": "JSON 列表",
    "str": "文本",
}


# --- plates ---------------------------------------------------------------------------------------


def _plate_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Per distinct (raw plate, raw colour): normalised plate, colour name and the plate reason."""
    pairs = frame.select("__plate_raw", "__color_raw").unique()
    norm: list[str | None] = []
    colors: list[str | None] = []
    reasons: list[str | None] = []
    for raw, craw in pairs.iter_rows():
        p = plates.normalise(raw) if raw else ""
        col = plates.color_name(craw) if craw else None
        norm.append(p or None)
        colors.append(col)
        if not p:
            reasons.append(None)
            continue
        try:
            r = plates.validate(p, col)
        except Exception:  # never let a helper's bug lose a row: quarantine it with a reason
            r = "号牌无法校验"
        reasons.append(r)
    return pairs.with_columns(
        pl.Series("__plate", norm, dtype=pl.String),
        pl.Series("__color", colors, dtype=pl.String),
        pl.Series("__plate_reason", reasons, dtype=pl.String),
    )


def _class(chars: str | frozenset[str]) -> str:
    return "[" + "".join(sorted(chars)).replace("-", r"\-") + "]"


def plate_fast_path() -> pl.Expr:
    """True where (plate, colour) is already canonical and valid by GA 36, decided without Python.

    A strict subset of what `plates.validate(plates.normalise(p), c) is None` accepts (unit-tested
    against it): plain ordinary plates of a non-new-energy colour, and small/large new-energy plates
    of a new-energy colour, colour given by its schemas.md name. Everything else (suffix plates,
    text needing normalisation, codes as colours, errors) takes the per-distinct-value path.
    """
    special = "|".join(f"{p}{_class(letters)}" for p, letters in plates.OFFICE_LETTERS.items())
    others = "".join(c for c in plates.PROVINCES if c not in plates.OFFICE_LETTERS)
    office = f"(?:{special + '|' if special else ''}[{others}]{_class(plates.OFFICE_LETTERS_DEFAULT)})"
    serial = _class(plates.SERIAL_CHARS)
    nev = _class(set(plates.NEV_LETTERS))
    ordinary = f"^{office}{serial}{{5}}$"
    nev_plate = f"^{office}(?:{nev}{serial}[0-9]{{4}}|[0-9]{{5}}{nev})$"
    plate, color = pl.col("plate"), pl.col("plate_color")
    nev_colors = sorted(plates.NEV_COLORS)
    other_colors = sorted(set(plates.PLATE_COLORS) - plates.NEV_COLORS)
    return (
        (plate.is_null() & color.is_null())
        | (color.is_in(other_colors) & plate.str.contains(ordinary))
        | (color.is_in(nev_colors) & plate.str.contains(nev_plate))
    ).fill_null(False)


def _check_plates(work: pl.DataFrame) -> pl.DataFrame:
    """Adds __plate, __color (canonical) and __plate_reason; Python runs only off the fast path."""
    work = work.with_columns(plate_fast_path().alias("__fast"))
    fast = work.filter(pl.col("__fast")).with_columns(
        pl.col("plate").alias("__plate"),
        pl.col("plate_color").alias("__color"),
        pl.lit(None, pl.String).alias("__plate_reason"),
    )
    if fast.height == work.height:
        return fast.drop("__fast")
    slow = work.filter(~pl.col("__fast")).with_columns(
        pl.col("plate").alias("__plate_raw"), pl.col("plate_color").alias("__color_raw")
    )
    table = _plate_table(slow)
    slow = slow.join(table, on=["__plate_raw", "__color_raw"], how="left", nulls_equal=True)
    slow = slow.select(fast.columns)
    return pl.concat([fast, slow]).sort(ROW_NO).drop("__fast")


# --- the rules ------------------------------------------------------------------------------------


def _time_rules(col: str, ctx: Context) -> list[pl.Expr]:
    now = ctx.now if ctx.now.tzinfo else ctx.now.replace(tzinfo=TZ)
    latest = (now + ctx.future_tolerance).astimezone(UTC)
    earliest = ctx.earliest.astimezone(UTC)
    c = pl.col(col).dt.convert_time_zone("UTC")
    return [
        reason_if(
            c > pl.lit(latest),
            f"{col}: 时间晚于当前时间超过{int(ctx.future_tolerance.total_seconds() // 60)}分钟",
        ),
        reason_if(c < pl.lit(earliest), f"{col}: 时间早于{ctx.earliest.date().isoformat()}"),
    ]


def _axle_class_rule() -> pl.Expr:
    vc, ax = pl.col("vehicle_class"), pl.col("axle_count")
    expected = vc.replace_strict(EXACT_AXLES, default=None, return_dtype=pl.Int64)
    bad = (
        (expected.is_not_null() & (ax != expected))
        | (vc.is_in(SIX_PLUS) & (ax < 6))
        | (vc.is_in(PASSENGER) & ((ax > PASSENGER_MAX_AXLES) | (ax < 2)))
    )
    msg = pl.concat_str(
        [
            pl.lit("axle_count: 轴数与车型不符（车型 "),
            vc.cast(pl.String),
            pl.lit("，轴数 "),
            ax.cast(pl.String),
            pl.lit("）"),
        ]
    )
    return reason_if(bad, msg)


def enum_rule(col: str, allowed: tuple, what: str) -> pl.Expr:
    return reason_if(
        pl.col(col).is_not_null() & ~pl.col(col).is_in(allowed),
        pl.concat_str([pl.lit(f"{col}: {what}不在允许范围 {list(allowed)}"), _quote(col)]),
    )


def _rules(spec: TableSpec, ctx: Context, names: set[str]) -> list[pl.Expr]:
    t = spec.name
    out: list[pl.Expr] = []
    if "vehicle_class" in names:
        out.append(enum_rule("vehicle_class", VEHICLE_CLASSES, "车型代码（JT/T 489）"))
        if "axle_count" in names:
            out.append(_axle_class_rule())
    if "axle_count" in names:
        out.append(
            reason_if(
                (pl.col("axle_count") < 1) | (pl.col("axle_count") > MAX_AXLES),
                f"axle_count: 轴数应在 1–{MAX_AXLES} 之间",
            )
        )
    for col in ("pass_time", "event_time", "entry_time", "measured_at", "ts"):
        if col in names and spec.column(col).kind == "ts":
            out.extend(_time_rules(col, ctx))
    if "gross_weight_kg" in names:
        g = pl.col("gross_weight_kg")
        out.append(reason_if(g < 0, "gross_weight_kg: 重量不能为负"))
        out.append(reason_if(g > MAX_GROSS_KG, "gross_weight_kg: 总重超过300吨，不合常理"))
    for col in ("length_mm", "width_mm", "height_mm", "single_tyre_axles"):
        if col in names:
            out.append(reason_if(pl.col(col) < 0, f"{col}: 不能为负"))
    if "speed_kmh" in names:
        s = pl.col("speed_kmh")
        out.append(
            reason_if((s < 0) | (s > MAX_SPEED_KMH), f"speed_kmh: 速度应在 0–{MAX_SPEED_KMH:.0f} km/h 之间")
        )
    if "event" in names:
        out.append(enum_rule("event", EVENTS, "事件"))
    if "media" in names:
        out.append(enum_rule("media", MEDIA, "通行介质"))
    if "direction" in names:
        out.append(enum_rule("direction", DIRECTIONS, "方向"))
    if "vehicle_kind" in names:
        out.append(enum_rule("vehicle_kind", VEHICLE_KINDS, "车辆类型"))
    if "axle_weights_kg" in names:
        raw = pl.col("axle_weights_kg")
        ok = raw.str.contains(_JSON_NUM_LIST)
        out.append(reason_if(raw.is_not_null() & ~ok, "axle_weights_kg: 轴重应为数字组成的 JSON 列表"))
        lst = (
            pl.when(ok)
            .then(raw)
            .str.strip_chars("[] \t\r\n")
            .str.split(",")
            .list.eval(pl.element().str.strip_chars().cast(pl.Float64, strict=False))
        )
        n = lst.list.len()
        total = lst.list.sum()
        out.append(reason_if(ok & (lst.list.min() < 0), "axle_weights_kg: 轴重不能为负"))
        if "axle_count" in names:
            out.append(reason_if(ok & (n != pl.col("axle_count")), "axle_weights_kg: 轴重个数与轴数不符"))
        g = pl.col("gross_weight_kg").cast(pl.Float64)
        out.append(
            reason_if(
                ok & (n > 0) & ((total - g).abs() > AXLE_SUM_TOLERANCE * g.abs()),
                "axle_weights_kg: 各轴重之和与总重相差超过5%",
            )
        )
    if "evidence" in names:
        ev = pl.col("evidence")
        out.append(reason_if(ev.is_not_null() & ~ev.str.contains(_JSON_LIST), "evidence: 应为 JSON 列表"))
    if t == "gps_point":
        lon_min, lat_min, lon_max, lat_max = HENAN_BBOX
        lon, lat = pl.col("lon"), pl.col("lat")
        out.append(
            reason_if(
                (lon < lon_min) | (lon > lon_max) | (lat < lat_min) | (lat > lat_max),
                "lon/lat: 坐标不在河南省范围内",
            )
        )
    if ctx.sites is not None:
        kinds = dict(ctx.sites)
        for col, kind in SITE_COLUMNS.get(t, ()):
            if col not in names:
                continue
            c = pl.col(col)
            known = c.is_in(list(kinds))
            actual = c.replace_strict(kinds, default=None, return_dtype=pl.String)
            out.append(
                reason_if(
                    c.is_not_null() & ~known, pl.concat_str([pl.lit(f"{col}: 站点不存在"), _quote(col)])
                )
            )
            out.append(
                reason_if(
                    known & (actual != kind),
                    pl.concat_str([pl.lit(f"{col}: 站点类型应为 {kind}，实际为 "), actual]),
                )
            )
    return out


# --- entry point ----------------------------------------------------------------------------------


def validate(
    frame: pl.DataFrame, spec: TableSpec, ctx: Context, extra_rules: Sequence[pl.Expr] = ()
) -> Result:
    """Split a frame holding the spec's columns (any dtypes) into typed good rows and bad rows.

    Bad rows carry every reason found, joined by '; ' (e.g. "vehicle_class: 车型代码…; pass_time: …").
    `extra_rules` are reason expressions over the typed columns (registries add their own).
    """
    if ROW_NO not in frame.columns:
        frame = frame.with_row_index(ROW_NO, offset=1)
    frame = frame.with_columns(pl.col(ROW_NO).cast(pl.Int64))
    names = set(spec.column_names)
    derived = {PLATE_UNRECOGNISED.name, "batch_id"}  # recomputed by ingest, never taken from a file
    cols = [
        c for c in spec.columns + spec.platform_columns if c.name in frame.columns and c.name not in derived
    ]
    typed_exprs: list[pl.Expr] = []
    type_errors: list[pl.Expr] = []
    for c in cols:
        dtype = frame.schema[c.name]
        if dtype == pl.Null:
            frame = frame.with_columns(pl.col(c.name).cast(pl.String))
            dtype = pl.String()
        parsed = parse_text_column(frame[c.name], c.kind) if dtype == pl.String else None
        if parsed is not None:
            frame = frame.with_columns(parsed.alias(f"__typed_{c.name}"))
            typed_exprs.append(pl.col(f"__typed_{c.name}").alias(c.name))
        else:
            typed_exprs.append(_typed(c.name, c.kind, dtype).alias(c.name))
        if dtype.is_numeric() or dtype == pl.Boolean or isinstance(dtype, pl.Datetime | pl.Date):
            present = pl.col(c.name).is_not_null()
        elif c.kind in ("str", "json_list"):
            present = pl.col(c.name).cast(pl.String).str.contains(r"\S")  # typed text is null iff blank
        else:
            present = _text(c.name).is_not_null()
        typed_exprs.append(present.fill_null(False).alias(f"__present_{c.name}"))
    has_plate = "plate" in names
    work = frame.select(pl.col(ROW_NO), *typed_exprs)
    # plates: normalise and check per distinct pair
    plate_reason: list[pl.Expr] = []
    if has_plate:
        work = _check_plates(work)
        work = work.with_columns(
            pl.col("plate_color").alias("__color_raw"),
            pl.col("__plate").alias("plate"),
            pl.col("__color").alias("plate_color"),
        )
        plate_reason.append(
            reason_if(
                pl.col("__plate_reason").is_not_null(),
                pl.concat_str([pl.lit("plate: 号牌不符合 GA 36（"), pl.col("__plate_reason"), pl.lit("）")]),
            )
        )
        plate_reason.append(
            reason_if(
                pl.col("__color_raw").is_not_null() & pl.col("__color").is_null(),
                pl.concat_str([pl.lit("plate_color: 号牌颜色不在允许范围"), _quote("__color_raw")]),
            )
        )
    for c in cols:
        if c.name in ("plate", "plate_color"):
            continue
        type_errors.append(
            reason_if(
                pl.col(f"__present_{c.name}") & pl.col(c.name).is_null(),
                f"{c.name}: 无法读作{_KIND_ZH[c.kind]}",
            )
        )
        if not c.nullable:
            type_errors.append(reason_if(~pl.col(f"__present_{c.name}"), f"{c.name}: 必填字段为空"))
    if has_plate:
        plate_optional = spec.name in ("gantry_pass", "toll_txn")
        if not plate_optional:
            type_errors.append(reason_if(pl.col("plate").is_null(), "plate: 必填字段为空"))
            type_errors.append(reason_if(~pl.col("__present_plate_color"), "plate_color: 必填字段为空"))
        else:
            type_errors.append(
                reason_if(
                    pl.col("plate").is_not_null() & ~pl.col("__present_plate_color"),
                    "plate_color: 有号牌时必填",
                )
            )
    reasons = plate_reason + type_errors + _rules(spec, ctx, names) + list(extra_rules)
    work = work.with_columns(
        pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias(REASON)
        if reasons
        else pl.lit("").alias(REASON)
    )
    is_bad = pl.col(REASON).str.len_bytes() > 0
    keep = [c.name for c in cols]
    good = work.filter(~is_bad).select(pl.col(ROW_NO), *[pl.col(c) for c in keep])
    if spec.kind == "record" and PLATE_UNRECOGNISED in spec.platform_columns:
        good = good.with_columns(pl.col("plate").is_null().alias(PLATE_UNRECOGNISED.name))
    bad_idx = work.filter(is_bad).select(ROW_NO, REASON)
    bad = bad_idx.join(frame, on=ROW_NO, how="left").select(
        ROW_NO,
        REASON,
        *[pl.col(c).cast(pl.String) for c in frame.columns if c != ROW_NO and not c.startswith("__typed_")],
    )
    return Result(good=good, bad=bad)


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
