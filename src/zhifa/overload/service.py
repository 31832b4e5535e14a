"""Overload verbs: determine a day of the lake, draft and store leads with evidence bundles, review them
(confirm → case and notice; reject with reason), entry overload rate, loading-source trace-back.

Each verb takes `session` (one `unit_of_work`) and keyword-only `actor=`; changes are audited in it.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import importlib.util
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from zhifa.leads.model import RULE_LABELS, LeadDraft, LeadStatus
from zhifa.leads.orm import Lead
from zhifa.leads.service import access_lead, link_case, review_lead, store_leads
from zhifa.org.orm import Site, Unit
from zhifa.overload import evidence, frames
from zhifa.overload import rules as r
from zhifa.overload.orm import (
    EntryWeighStat,
    OverloadDetermination,
    OverloadNotice,
    OverloadRun,
    TraceBackTask,
)
from zhifa.overload.ruledata import CATALOGUE_DIMENSION, CATALOGUE_MASS, RuleSet, ruleset_for
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, scope
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, ValidationFailed
from zhifa.shared.ids import new_id

PROVINCE = "410000"
RULE_OVERLOAD = "overload"
RULE_100T = "overload_100t"
RULE_DIMENSION = "overload_dimension"
RULE_UNIDENTIFIED = "overload_unidentified"
OVERLOAD_RULES = (RULE_OVERLOAD, RULE_100T, RULE_DIMENSION, RULE_UNIDENTIFIED)
RULE_LABELS_ZH = {code: RULE_LABELS[code][0] for code in OVERLOAD_RULES}

# (source, lake table, site column, time column)
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("wim", "wim", "site_id", "measured_at"),
    ("entry", "toll_txn", "station_id", "event_time"),
    ("static", "static_weigh", "station_id", "measured_at"),
)
# entry weighing is evidence once confirmed (河南省治理货物运输车辆超限超载条例 Art. 13)
DEFAULT_LEAD_SOURCES = ("wim", "entry", "static")
DEFAULT_WINDOW = timedelta(hours=2)  # the same truck at two points within this is one event per rule


@dataclass
class SiteInfo:
    site_id: str
    name: str
    unit_code: str
    kind: str
    lon: float | None
    lat: float | None
    device_class: float | None
    deduct_tolerance: bool | None
    calibrated_until: datetime | None

    def policy(self, source: str, rules: RuleSet) -> r.TolerancePolicy:
        tol = rules.tolerance
        cls = self.device_class if self.device_class is not None else tol.default_class[source]
        deduct = self.deduct_tolerance if self.deduct_tolerance is not None else tol.default_deduct[source]
        return r.TolerancePolicy(device_class=float(cls), deduct=bool(deduct))


@dataclass
class SourceReport:
    source: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # status and reason → count


@dataclass
class RunReport:
    day: date
    rule_version: str
    sources: list[SourceReport]
    determinations_stored: int
    leads_created: int
    leads_duplicate: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_sites(session: Session) -> dict[str, SiteInfo]:
    return {
        s.site_id: SiteInfo(
            s.site_id, s.name, s.unit_code, s.kind, s.lon, s.lat, s.device_class, s.deduct_tolerance, s.calibrated_until
        )
        for s in session.execute(select(Site)).scalars()
    }


def read_source(lake_dir: Path, table: str, day: date) -> pl.LazyFrame | None:
    """One day of one lake table, or None when the lake holds nothing for it."""
    try:
        from zhifa.records.lake import part_files, scan

        if not part_files(Path(lake_dir), table, [day]):
            return None
        return scan(Path(lake_dir), table, [day])
    except ImportError:  # pragma: no cover - records slice always present in the product
        files = sorted((Path(lake_dir) / table / f"day={day.isoformat()}").glob("*.parquet"))
        return pl.scan_parquet(files) if files else None


def load_registered_kinds(session: Session) -> pl.DataFrame:
    """(plate, plate_color, registered_kind, registered_axles, registered_single_drive, registered_single_tyres)
    of every registered vehicle with a kind or technical parameters on record."""
    from zhifa.vehicles.orm import Vehicle as V

    rows = session.execute(
        select(V.plate, V.plate_color, V.vehicle_kind, V.axle_count, V.single_drive_axle, V.single_tyre_axles).where(
            ((V.vehicle_kind.is_not(None)) & (V.vehicle_kind != ""))
            | V.single_drive_axle.is_not(None)
            | V.single_tyre_axles.is_not(None)
        )
    ).all()
    return pl.DataFrame(
        [(p, c, k or None, a, d, t) for p, c, k, a, d, t in rows],
        schema={"plate": pl.String, "plate_color": pl.String, "registered_kind": pl.String,
                "registered_axles": pl.Int64, "registered_single_drive": pl.Boolean,
                "registered_single_tyres": pl.Int64},
        orient="row",
    )


def determine_source(
    lf: pl.LazyFrame,
    source: str,
    site_col: str,
    time_col: str,
    sites: dict[str, SiteInfo],
    rules: RuleSet,
    registered_kinds: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The determination of every row of one source (frames path); the site column becomes `site_id`.

    A record whose device did not classify the vehicle (entry weighing never does) takes the kind and
    axle configuration of the vehicle's registration, so a registered rigid truck is judged against the
    truck limit and not the more lenient combination limit; `kind_source` says which (device | registry
    | unknown)."""
    names = lf.collect_schema().names()
    if source == "entry":
        lf = lf.filter((pl.col("event") == "entry") & pl.col("gross_weight_kg").is_not_null())
    ren = {}
    if site_col != "site_id":
        ren[site_col] = "site_id"
    if time_col != "measured_at":
        ren[time_col] = "measured_at"
    lf = lf.rename(ren)
    if source == "entry":
        lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias("vehicle_kind")) if "vehicle_kind" not in names else lf
    lf = frames.with_registered_kind(lf, registered_kinds, rules.limits)
    policies = {sid: s.policy(source, rules) for sid, s in sites.items()}
    default = r.TolerancePolicy(rules.tolerance.default_class[source], rules.tolerance.default_deduct[source])
    return frames.determine_frame(frames.with_tolerance(lf, policies, default), rules).collect()


def load_permits(session: Session, day: date) -> pl.DataFrame:
    """Oversize permits (大件运输许可) valid at some time of `day`: plate, plate_color, valid_from, valid_to."""
    schema = {"plate": pl.String, "plate_color": pl.String, "valid_from": pl.Datetime("us", "Asia/Shanghai"),
              "valid_to": pl.Datetime("us", "Asia/Shanghai")}
    if importlib.util.find_spec("zhifa.permits.orm") is None:
        return pl.DataFrame(schema=schema)
    from zhifa.permits.orm import OversizePermit as P

    lo = datetime.combine(day, datetime.min.time(), TZ)
    rows = session.execute(
        select(P.plate, P.plate_color, P.valid_from, P.valid_to).where(P.valid_from < lo + timedelta(days=1),
                                                                        P.valid_to >= lo)
    ).all()
    return pl.DataFrame([tuple(x) for x in rows], schema=schema, orient="row")


def mark_permitted(df: pl.DataFrame, permits: pl.DataFrame) -> pl.DataFrame:
    """A violation by a vehicle whose oversize permit is valid at the time becomes `permitted`."""
    if permits.height == 0 or df.height == 0:
        return df
    hits = (
        df.filter(pl.col("status") == r.VIOLATION)
        .select("record_id", "plate", "plate_color", "measured_at")
        .join(permits, on=["plate", "plate_color"], how="inner")
        .filter((pl.col("measured_at") >= pl.col("valid_from")) & (pl.col("measured_at") <= pl.col("valid_to")))
        .select("record_id")
        .unique()
    )
    if hits.height == 0:
        return df
    ids = hits["record_id"]
    return df.with_columns(
        pl.when(pl.col("record_id").is_in(ids) & (pl.col("status") == r.VIOLATION))
        .then(pl.lit(r.PERMITTED))
        .otherwise(pl.col("status"))
        .alias("status")
    )


def _counts(df: pl.DataFrame) -> dict[str, int]:
    out: dict[str, int] = {}
    for (status, reason), n in Counter(zip(df["status"].to_list(), df["reason"].to_list(), strict=True)).items():
        out[status] = out.get(status, 0) + n
        if reason:
            out[f"reason:{reason}"] = out.get(f"reason:{reason}", 0) + n
    live = df.filter(pl.col("status") != r.PERMITTED)
    for flag in ("is_100t", "is_severe"):
        out[flag] = int(live[flag].sum())
    return out


def event_frame(violations: pl.DataFrame, window: timedelta = DEFAULT_WINDOW) -> pl.DataFrame:
    """One row per (rule, truck, event): records of the same truck within `window` of the previous one.

    Rules per record: `overload` (mass), `overload_100t` (gross ≥ 100 t), `overload_dimension`
    (dimensions only). Records without a plate are one event each (`overload_unidentified`).
    """
    if violations.height == 0:
        return pl.DataFrame()
    # only the columns the grouping needs, one row per (record, rule)
    v = violations.select(
        "source", "record_id", "plate", "plate_color", "measured_at", "reason", "mass_violation", "is_100t",
        "excess_kg", "over_height_mm", "over_width_mm", "over_length_mm",
    )
    plate_missing = pl.col("reason") == r.PLATE_MISSING
    dims = (pl.col("over_height_mm") > 0) | (pl.col("over_width_mm") > 0) | (pl.col("over_length_mm") > 0)
    identified = ~plate_missing.fill_null(False)
    v = pl.concat([
        v.filter(identified & pl.col("mass_violation")).with_columns(rule=pl.lit(RULE_OVERLOAD)),
        v.filter(identified & pl.col("is_100t")).with_columns(rule=pl.lit(RULE_100T)),
        v.filter(identified & ~pl.col("mass_violation") & dims).with_columns(rule=pl.lit(RULE_DIMENSION)),
        v.filter(plate_missing).with_columns(rule=pl.lit(RULE_UNIDENTIFIED)),
    ])
    v = v.with_columns(
        pl.when(plate_missing)
        .then(pl.lit("?") + pl.col("source") + pl.lit(":") + pl.col("record_id"))
        .otherwise(pl.col("plate"))
        .alias("_who"),
        (pl.col("source") + pl.lit(":") + pl.col("record_id")).alias("_key"),
        pl.col("plate_color").fill_null(""),
        (pl.col("over_height_mm") + pl.col("over_width_mm") + pl.col("over_length_mm")).alias("_dim_sum"),
        (pl.col("source") != "entry").alias("_not_entry"),
    ).sort("rule", "_who", "plate_color", "measured_at", "_key")  # _key: equal times in a fixed order
    # a new event where the truck (or rule) changes or the gap to its previous record exceeds the window
    same = [pl.col(c) == pl.col(c).shift() for c in ("rule", "_who", "plate_color")]
    cont = same[0] & same[1] & same[2] & (pl.col("measured_at").diff() <= window)
    v = v.with_columns((~cont.fill_null(False)).cum_sum().alias("_ev"))
    # the worst record decides; on a tie a WIM or check-station record (with photos) beats entry weighing,
    # then the earlier one (a stable sort keeps the time order above)
    worst = (
        v.sort(["_ev", "excess_kg", "_dim_sum", "_not_entry"], descending=[False, True, True, True], maintain_order=True)
        .group_by("_ev", maintain_order=True)
        .agg(pl.col("_key").first().alias("_worst"))
    )
    ev = (
        v.group_by("_ev", maintain_order=True)
        .agg(
            pl.col("rule").first(),
            pl.col("plate").first(),
            pl.col("plate_color").first(),
            pl.col("measured_at").min().alias("start"),
            pl.col("measured_at").max().alias("end"),
            pl.col("record_id").first().alias("first_record"),
            pl.col("_key"),
            pl.col("source").alias("sources"),
        )
        .with_columns(pl.col("sources").list.unique(maintain_order=True).list.join(","))
        .join(worst, on="_ev", how="left", maintain_order="left")
    )
    # the lead's key: the same event is one lead across runs and days
    start = pl.col("start").dt.convert_time_zone(TZ.key).dt.strftime("%Y%m%dT%H%M%S")
    unidentified = (pl.col("rule") == RULE_UNIDENTIFIED) | pl.col("plate").is_null() | (pl.col("plate") == "")
    key = (
        pl.when(unidentified)
        .then(pl.concat_str(pl.col("rule"), pl.lit(":?:"), pl.col("first_record")).str.slice(0, 160))
        .otherwise(pl.concat_str(pl.col("rule"), pl.lit(":"), pl.col("plate"), pl.lit(":"), pl.col("plate_color"),
                                 pl.lit(":"), start))
    )
    return ev.with_columns(key.alias("dedup_key")).drop("_ev")


_BASIS: dict[tuple[Any, tuple[str, ...]], str] = {}


def _basis(item: int | None, dims: tuple[str, ...]) -> str:
    k = (item, dims)
    if k not in _BASIS:
        _BASIS[k] = r.legal_basis(item, dict.fromkeys(dims, 1))
    return _BASIS[k]


_WORST = ("gross_weight_kg", "limit_kg", "excess_kg", "excess_rate", "is_100t", "is_severe", "mass_violation",
          "limit_item", "over_height_mm", "over_width_mm", "over_length_mm", "height_mm", "width_mm", "length_mm",
          "site_id", "plate_color", "record_id")


def _explanation() -> pl.Expr:
    """The lead's sentence from its worst record: mass with the excess rate in tenths of a percent
    (rounded half up, 四舍五入, from the exact ratio), or the dimension excesses; how many records were merged."""
    ex, lim = pl.col("w_excess_kg"), pl.col("w_limit_kg")
    tenths = (ex * 2000 + lim) // (lim * 2)  # floor(ex / lim × 1000 + ½): integers, no float rounding
    pct = pl.concat_str((tenths // 10).cast(pl.String), pl.lit("."), (tenths % 10).cast(pl.String))
    label = pl.col("rule").replace_strict(RULE_LABELS_ZH, return_dtype=pl.String)
    head = pl.concat_str(label, pl.lit("：总重"), pl.col("w_gross_weight_kg").cast(pl.String), pl.lit("千克，"))
    mass = pl.concat_str(head, pl.lit("限值"), lim.cast(pl.String), pl.lit("千克，超限"), ex.cast(pl.String),
                         pl.lit("千克（"), pct, pl.lit("%）"))
    over = [
        pl.when(pl.col(f"w_over_{k}_mm") > 0).then(pl.concat_str(pl.lit(zh), pl.col(f"w_over_{k}_mm").cast(pl.String),
                                                                  pl.lit("毫米")))
        for k, zh in (("height", "超高"), ("width", "超宽"), ("length", "超长"))
    ]
    dims = pl.concat_str(head, pl.lit("外廓尺寸超限："), pl.concat_str(over, separator="、", ignore_nulls=True))
    n = pl.col("_key").list.len()
    merged = pl.when(n > 1).then(pl.concat_str(pl.lit("；同一车辆"), n.cast(pl.String), pl.lit("条记录合并为一次违法")))
    return pl.concat_str(pl.when(pl.col("w_mass_violation")).then(mass).otherwise(dims), merged, ignore_nulls=True)


def draft_leads(
    violations: pl.DataFrame,
    *,
    rules: RuleSet,
    sites: dict[str, SiteInfo],
    window: timedelta = DEFAULT_WINDOW,
    evidence_dir: Path | None = None,
) -> list[LeadDraft]:
    """Lead drafts, one per (rule, truck, event), each with its evidence bundle and proposed penalty.

    Column-wise: events, the worst record of each, its proposed penalty (`frames.penalty_columns`) and
    the lead's key are computed on the frame; Python only assembles the drafts."""
    # Tens of thousands of small dicts and no reference cycles: the cyclic collector would only rescan
    # them (a third of the time at a day's volume, docs/benchmarks.md); reference counting frees them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _draft_leads(violations, rules=rules, sites=sites, window=window, evidence_dir=evidence_dir)
    finally:
        if was_enabled:
            gc.enable()


def _draft_leads(
    violations: pl.DataFrame, *, rules: RuleSet, sites: dict[str, SiteInfo], window: timedelta, evidence_dir: Path | None
) -> list[LeadDraft]:
    # a record delivered twice (the same source and record id) is one record of its event
    violations = violations.unique(["source", "record_id"], keep="first", maintain_order=True)
    events = event_frame(violations, window)
    if events.height == 0:
        return []
    keyed = violations.with_columns((pl.col("source") + pl.lit(":") + pl.col("record_id")).alias("_key"))
    for c in ("limit_item", "height_mm", "width_mm", "length_mm"):
        if c not in keyed.columns:
            keyed = keyed.with_columns(pl.lit(None, dtype=pl.Int64).alias(c))
    parts = dict(zip(keyed["_key"].to_list(), evidence.record_parts(keyed, sites, evidence_dir), strict=True))
    worst = (
        keyed.select("_key", *_WORST)
        .with_columns(frames.penalty_columns(rules.fines))
        .rename({c: f"w_{c}" for c in _WORST})
    )
    ev = events.join(worst, left_on="_worst", right_on="_key", how="left", maintain_order="left")
    ev = ev.with_columns(_explanation().alias("_text"))
    names = ("rule", "plate", "plate_color", "start", "end", "_key", "sources", "dedup_key", "_text", "w_mass_violation",
             "w_gross_weight_kg", "w_limit_kg", "w_excess_kg", "w_excess_rate", "w_is_100t", "w_is_severe",
             "w_limit_item", "w_over_height_mm", "w_over_width_mm", "w_over_length_mm", "w_site_id",
             "w_plate_color", "w_record_id", "pen_mass_fen", "pen_dim_lo", "pen_dim_hi", "pen_total_fen")
    fines = rules.fines
    rule_version, fines_version = rules.version, fines.version  # properties: read once, not per lead
    pen_basis = r.ORDER_62 + "第四十三条"
    drafts = []
    for (rule, plate, color, start, end, keys, sources, key, text, mass, gross, limit, excess, rate, is_100t, is_severe,
         item, over_h, over_w, over_l, site_id, w_color, w_record, fen, lo, hi, total) in zip(
            *(ev[c].to_list() for c in names), strict=True):
        recs = [parts[keys[0]]] if len(keys) == 1 else [parts[k] for k in keys]
        dims = {k: v for k, v in (("height", over_h), ("width", over_w), ("length", over_l)) if v} if (
            over_h or over_w or over_l) else {}
        lines = []
        if mass:
            lines.append({"what": "mass", "min_yuan": fen // 100, "max_yuan": fen // 100, "proposed_fen": fen,
                          "text": r.mass_line_text(excess, fen, fines)})
        if dims:
            lines.append({"what": "dimension", "min_yuan": lo, "max_yuan": hi, "proposed_fen": lo * 100,
                          "text": r.dimension_line_text(lo, hi)})
        if rule == RULE_UNIDENTIFIED:
            plate, color = None, w_color or None
        else:
            color = color or None
        bundle = {
            "kind": "overload_evidence",
            "source": sources,
            "parts": recs,
            "legal_basis": _basis(item if mass else None, tuple(sorted(dims))),
            "worst": {
                "record_id": w_record,
                "gross_kg": gross,
                "limit_kg": limit,
                "excess_kg": excess,
                "excess_rate": round(rate, 4),
                "is_100t": is_100t,
                "is_severe": is_severe,
                "dimension_excess_mm": dims,
            },
            "proposed_penalty": {
                "warning_only": bool(lines) and total == 0,
                "proposed_yuan": total // 100,
                "lines": lines,
                "basis": pen_basis,
                "rule_version": fines_version,
            },
            "hashing": evidence.HASHING,
            "bundle_sha256": evidence.bundle_sha(recs),
        }
        site = sites.get(site_id or "")
        drafts.append(
            LeadDraft(
                rule=rule,
                plate=plate,
                plate_color=color,
                start=start,
                end=end,
                unit_code=site.unit_code if site else PROVINCE,
                explanation=text,
                dedup_key=key,
                score=1.0,
                site_id=site_id,
                evidence=bundle,
                rule_version=rule_version,
            )
        )
    return drafts


def run_day(
    session: Session,
    *,
    actor: Actor,
    lake_dir: Path,
    day: date,
    now: datetime,
    rules: RuleSet | None = None,
    lead_sources: Sequence[str] = DEFAULT_LEAD_SOURCES,
    window: timedelta = DEFAULT_WINDOW,
    evidence_dir: Path | None = None,
) -> RunReport:
    """Determine every WIM, entry-weighing and static-weighing record of `day`; store violations and
    undeterminable records (with reason), entry statistics, and leads. Running twice changes nothing."""
    require_role(actor, Role.ANALYST)
    rules = rules or ruleset_for(day)
    sites = load_sites(session)
    permits = load_permits(session, day)
    kinds = load_registered_kinds(session)
    reports: list[SourceReport] = []
    stored = 0
    lead_frames: list[pl.DataFrame] = []
    for source, table, site_col, time_col in SOURCES:
        lf = read_source(lake_dir, table, day)
        rep = SourceReport(source=source)
        reports.append(rep)
        if lf is None:
            continue
        df = determine_source(lf, source, site_col, time_col, sites, rules, kinds).with_columns(pl.lit(source).alias("source"))
        df = mark_permitted(df, permits)
        rep.rows = df.height
        rep.counts = _counts(df)
        flagged = df.filter(~pl.col("status").is_in([r.LEGAL, r.PERMITTED]))
        stored += _store_determinations(session, flagged, source, sites, rules, now)
        if source == "entry":
            _store_entry_stats(session, df, day, sites, rules)
        if source in lead_sources:
            lead_frames.append(
                flagged.filter(
                    (pl.col("status") == r.VIOLATION)
                    | ((pl.col("reason") == r.PLATE_MISSING) & (pl.col("mass_violation") | pl.col("is_100t")))
                )
            )
        session.add(
            OverloadRun(
                run_id=new_id()[:24], day=day, source=source, rule_version=rules.version, rows=df.height,
                counts=rep.counts, created_at=now,
            )
        )
    drafts: list[LeadDraft] = []
    if lead_frames:
        # one frame over the sources, so that a truck weighed at entry and at a WIM point is one event
        combined = pl.concat([f for f in lead_frames if f.height], how="diagonal_relaxed") if any(
            f.height for f in lead_frames) else pl.DataFrame()
        if combined.height:
            drafts = draft_leads(combined, rules=rules, sites=sites, window=window, evidence_dir=evidence_dir)
    res = store_leads(session, actor=actor, drafts=drafts, now=now, source=f"overload:{day.isoformat()}")
    # link determinations to their lead events
    for d in drafts:
        if d.rule not in (RULE_OVERLOAD, RULE_DIMENSION, RULE_UNIDENTIFIED):
            continue
        by_src: dict[str, list[str]] = {}
        for p in d.evidence["parts"]:
            by_src.setdefault(p["source"], []).append(p["record"]["record_id"])
        for src, ids in by_src.items():
            session.execute(
                OverloadDetermination.__table__.update()
                .where(OverloadDetermination.source == src, OverloadDetermination.record_id.in_(ids))
                .values(event_key=d.dedup_key)
            )
    report = RunReport(day, rules.version, reports, stored, res.created, res.duplicates)
    audit.record(
        session, actor=actor, action="overload.run", object_type="overload_day", object_id=day.isoformat(),
        after={"rule_version": rules.version, "stored": stored, "leads": res.created,
               "counts": {s.source: s.counts for s in reports}},
        now=now,
    )
    return report


def _store_determinations(
    session: Session, flagged: pl.DataFrame, source: str, sites: dict[str, SiteInfo], rules: RuleSet, now: datetime
) -> int:
    if flagged.height == 0:
        return 0
    ids = flagged["record_id"].to_list()
    existing: set[str] = set()
    for i in range(0, len(ids), 500):
        existing.update(
            session.execute(
                select(OverloadDetermination.record_id).where(
                    OverloadDetermination.source == source, OverloadDetermination.record_id.in_(ids[i : i + 500])
                )
            ).scalars()
        )
    rows = []
    for x in flagged.iter_rows(named=True):
        if x["record_id"] in existing:
            continue
        existing.add(x["record_id"])
        site = sites.get(x.get("site_id") or "")
        dims = {k: x[f"over_{k}_mm"] for k in ("height", "width", "length") if x[f"over_{k}_mm"]}
        rows.append(
            dict(
                det_id=new_id()[:24], source=source, record_id=x["record_id"], site_id=x.get("site_id"),
                unit_code=site.unit_code if site else PROVINCE, measured_at=x["measured_at"],
                plate=x.get("plate") or None, plate_color=x.get("plate_color") or None, axle_count=x.get("axle_count"),
                vehicle_kind=x.get("vehicle_kind"), kind_source=x.get("kind_source"), gross_kg=x.get("gross_weight_kg"), limit_kg=x["limit_kg"],
                tolerance_kg=x["tolerance_kg"], judged_kg=x["judged_kg"], excess_kg=x["excess_kg"],
                excess_rate=float(x["excess_rate"]), over_height_mm=x["over_height_mm"],
                over_width_mm=x["over_width_mm"], over_length_mm=x["over_length_mm"],
                mass_violation=bool(x["mass_violation"]), status=x["status"], reason=x["reason"],
                is_100t=bool(x["is_100t"]), is_severe=bool(x["is_severe"]), rule_version=rules.version,
                legal_basis=r.legal_basis(x["limit_item"] if x["mass_violation"] else None, dims)
                if x["status"] == r.VIOLATION else None,
                lon=site.lon if site else None, lat=site.lat if site else None, created_at=now,
            )
        )
    if rows:
        session.execute(OverloadDetermination.__table__.insert(), rows)
    return len(rows)


def _store_entry_stats(session: Session, df: pl.DataFrame, day: date, sites: dict[str, SiteInfo], rules: RuleSet) -> None:
    """入口称重 per station: weighed = determined entries; over-limit entries are refused (Order 62 Art. 39)."""
    agg = df.group_by("site_id").agg(
        (pl.col("status") != r.NOT_DETERMINED).sum().alias("weighed"),
        (pl.col("mass_violation") & (pl.col("status") == r.VIOLATION)).sum().alias("over_limit"),
        (pl.col("status") == r.PERMITTED).sum().alias("permitted"),
        (pl.col("status") == r.NOT_DETERMINED).sum().alias("not_determined"),
    )
    session.execute(delete(EntryWeighStat).where(EntryWeighStat.day == day))
    for x in agg.iter_rows(named=True):
        if x["site_id"] is None:
            continue
        site = sites.get(x["site_id"])
        session.add(
            EntryWeighStat(
                day=day, station_id=x["site_id"], unit_code=site.unit_code if site else PROVINCE,
                weighed=int(x["weighed"]), over_limit=int(x["over_limit"]), refused=int(x["over_limit"]),
                not_determined=int(x["not_determined"]), rule_version=rules.version,
            )
        )
    session.flush()


# ---------------------------------------------------------------- queries


def list_determinations(
    session: Session,
    *,
    actor: Actor,
    site_id: str | None = None,
    unit_code: str | None = None,
    city_code: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    severity: str | None = None,  # violation | severe | 100t | not_determined
    plate: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[OverloadDetermination], int]:
    stmt = scope(select(OverloadDetermination), actor, OverloadDetermination.unit_code)
    D = OverloadDetermination
    if site_id:
        stmt = stmt.where(D.site_id == site_id)
    if unit_code:
        stmt = stmt.where(D.unit_code == unit_code)
    if city_code:
        units = select(Unit.unit_code).where((Unit.city_code == city_code) | (Unit.unit_code == city_code))
        stmt = stmt.where(D.unit_code.in_(units))
    if day_from:
        stmt = stmt.where(D.measured_at >= datetime.combine(day_from, datetime.min.time(), TZ))
    if day_to:
        stmt = stmt.where(D.measured_at < datetime.combine(day_to + timedelta(days=1), datetime.min.time(), TZ))
    if plate:
        stmt = stmt.where(D.plate == plate)
    if severity == "severe":
        stmt = stmt.where(D.is_severe.is_(True))
    elif severity == "100t":
        stmt = stmt.where(D.is_100t.is_(True))
    elif severity in (r.VIOLATION, r.NOT_DETERMINED):
        stmt = stmt.where(D.status == severity)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(stmt.order_by(D.measured_at.desc()).limit(min(limit, 1000)).offset(offset)).scalars()
    return list(rows), int(total)


def trucks_100t(session: Session, *, actor: Actor, day_from: date | None = None, day_to: date | None = None) -> list[dict[str, Any]]:
    """百吨王: every sighting with where it was (site, lon/lat) for the list and the map."""
    rows, _ = list_determinations(session, actor=actor, severity="100t", day_from=day_from, day_to=day_to, limit=1000)
    return [
        {"plate": d.plate, "plate_color": d.plate_color, "measured_at": d.measured_at.isoformat(), "site_id": d.site_id,
         "unit_code": d.unit_code, "gross_kg": d.gross_kg, "excess_kg": d.excess_kg, "lon": d.lon, "lat": d.lat,
         "source": d.source}
        for d in rows
    ]


def entry_overload_rate(session: Session, *, actor: Actor, month: str, by: str = "station") -> list[dict[str, Any]]:
    """入口超限率 = over-limit entry weighings / weighed entries, per station, city or the province, in a month."""
    try:
        y, mo = (int(p) for p in month.split("-"))
        first = date(y, mo, 1)
    except ValueError as e:
        raise ValidationFailed("月份格式应为 YYYY-MM", en="The month must be given as YYYY-MM") from e
    nxt = date(y + (mo == 12), mo % 12 + 1, 1)
    E = EntryWeighStat
    stmt = scope(select(E), actor, E.unit_code).where(E.day >= first, E.day < nxt)
    stats = list(session.execute(stmt).scalars())
    city_of = {u.unit_code: (u.city_code or u.unit_code) for u in session.execute(select(Unit)).scalars()}
    groups: dict[str, list[int]] = {}
    for s in stats:
        key = s.station_id if by == "station" else city_of.get(s.unit_code, s.unit_code) if by == "city" else PROVINCE
        g = groups.setdefault(key, [0, 0, 0])
        g[0] += s.weighed
        g[1] += s.over_limit
        g[2] += s.refused
    return [
        {by: k, "month": month, "weighed": w, "over_limit": o, "refused": f, "rate": (o / w) if w else 0.0}
        for k, (w, o, f) in sorted(groups.items())
    ]


# ---------------------------------------------------------------- review, case, notice


def party_of(session: Session, plate: str | None, plate_color: str | None) -> tuple[str, str, dict[str, Any]]:
    """The registered owner; the enterprise where there is one. (name, kind person|enterprise, detail)."""
    if not plate:
        return "未识别车辆所有人", "person", {}
    try:
        from zhifa.vehicles.orm import Enterprise, Vehicle
    except ImportError:  # pragma: no cover
        return f"{plate}车辆所有人", "person", {}
    v = session.execute(
        select(Vehicle).where(Vehicle.plate == plate, Vehicle.plate_color == (plate_color or Vehicle.plate_color))
    ).scalars().first()
    if v is None:
        return f"{plate}车辆所有人", "person", {}
    if v.enterprise_id:
        e = session.get(Enterprise, v.enterprise_id)
        if e is not None:
            return e.name, "enterprise", {"enterprise_id": e.enterprise_id, "owner_name": v.owner_name}
    return v.owner_name or f"{plate}车辆所有人", v.owner_kind or "person", {"enterprise_id": v.enterprise_id}


def case_terms(lead: Lead) -> tuple[str, int, str | None]:
    """(catalogue code, fine, discretion band) for the case: the mass fine under OVL-MASS when the mass is
    over, else the dimension band's lower bound under OVL-DIM (the other part stays in the facts)."""
    ev = lead.evidence or {}
    lines = {line["what"]: line for line in (ev.get("proposed_penalty") or {}).get("lines", [])}
    excess = int((ev.get("worst") or {}).get("excess_kg") or 0)
    if "mass" in lines:
        fine = int(lines["mass"]["proposed_fen"]) // 100
        if excess <= 1000:
            band = "A"
        elif excess <= 10_000:
            band = "B"
        elif excess <= 30_000 and not (ev.get("worst") or {}).get("is_100t"):
            band = "C"
        else:
            band = "D"
        return CATALOGUE_MASS, fine, band
    dim = lines.get("dimension") or {"min_yuan": 0, "max_yuan": 200}
    band = {0: "A", 200: "B", 1000: "C"}.get(int(dim["min_yuan"]))
    return CATALOGUE_DIMENSION, int(dim["min_yuan"]), band


def _open_case(session: Session, *, actor: Actor, lead: Lead, party: str, kind: str, now: datetime) -> str | None:
    if importlib.util.find_spec("zhifa.cases.service") is None:
        return None
    mod = importlib.import_module("zhifa.cases.service")
    fn = getattr(mod, "open_case_from_lead", None)
    if fn is None:
        return None
    catalogue, fine, band = case_terms(lead)
    facts = f"{lead.explanation}。依据：{(lead.evidence or {}).get('legal_basis', '')}"
    case = fn(
        session, actor=actor, lead=lead, catalogue_code=catalogue, proposed_fine_yuan=fine,
        facts=facts, party_name=party, party_kind=kind, now=now, band_code=band,
    )
    return str(case.case_id)


@dataclass
class ReviewResult:
    lead: Lead
    case_id: str | None
    notice: OverloadNotice | None


def review(
    session: Session,
    *,
    actor: Actor,
    lead_id: str,
    decision: str,
    reason: str | None,
    now: datetime,
    documents_dir: Path | None = None,
) -> ReviewResult:
    """Confirm (→ case with the proposed penalty, notice PDF to the party) or reject with a reason."""
    lead = access_lead(session, actor, lead_id)
    if lead.rule not in OVERLOAD_RULES:
        raise NotFound("超限线索不存在", en="Overload lead not found")
    if decision == LeadStatus.CONFIRMED and lead.rule == RULE_UNIDENTIFIED:
        raise ValidationFailed("号牌未识别的线索须先补录号牌，不能直接确认", en="The plate of this lead was not recognised; enter the plate before confirming the lead")
    lead = review_lead(session, actor=actor, lead_id=lead_id, decision=decision, reason=reason, now=now)
    if lead.status != LeadStatus.CONFIRMED:
        return ReviewResult(lead, None, None)
    party, kind, _detail = party_of(session, lead.plate, lead.plate_color)
    fine = int(((lead.evidence or {}).get("proposed_penalty") or {}).get("proposed_yuan", 0))
    case_id = _open_case(session, actor=actor, lead=lead, party=party, kind=kind, now=now)
    if case_id and lead.case_id != case_id:
        link_case(session, lead=lead, case_id=case_id)
    notice = None
    if documents_dir is not None:
        notice = issue_notice(session, actor=actor, lead=lead, case_id=case_id, party=party, party_kind=kind,
                              fine=fine, now=now, documents_dir=documents_dir)
    audit.record(
        session, actor=actor, action="overload.confirm", object_type="lead", object_id=lead.lead_id,
        after={"case_id": case_id, "proposed_fine_yuan": fine, "party": party,
               "notice": notice.notice_id if notice else None},
        unit_code=lead.unit_code, now=now,
    )
    return ReviewResult(lead, case_id, notice)


def issue_notice(
    session: Session,
    *,
    actor: Actor,
    lead: Lead,
    case_id: str | None,
    party: str,
    party_kind: str,
    fine: int,
    now: datetime,
    documents_dir: Path,
) -> OverloadNotice:
    from zhifa.overload.notice import render_notice_pdf

    pdf = render_notice_pdf(lead=lead, case_id=case_id, party=party, fine=fine, now=now)
    digest = hashlib.sha256(pdf).hexdigest()
    folder = Path(documents_dir) / "overload"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.pdf"
    path.write_bytes(pdf)
    n = OverloadNotice(
        notice_id=new_id()[:24], lead_id=lead.lead_id, case_id=case_id, unit_code=lead.unit_code, party_name=party,
        party_kind=party_kind, proposed_fine_yuan=fine, file_path=str(path), sha256=digest, created_at=now,
    )
    session.add(n)
    audit.record(session, actor=actor, action="overload.notice", object_type="overload_notice",
                 object_id=n.notice_id, after={"lead_id": lead.lead_id, "sha256": digest}, unit_code=lead.unit_code,
                 now=now)
    session.flush()
    return n


def access_notice(session: Session, actor: Actor, notice_id: str) -> OverloadNotice:
    n = session.get(OverloadNotice, notice_id)
    if n is None:
        raise NotFound("告知书不存在", en="Notice of intended penalty not found")
    check_visible(actor, n.unit_code, "告知书", what_en="Notice of intended penalty")
    return n


@dataclass(frozen=True)
class EvidenceView:
    """A lead's evidence as a reviewer reads it: the bundle, what no longer matches its hash, and the
    platform's determination of each record (from `overload_determinations`, with its rule version)."""

    lead: Lead
    bundle: dict[str, Any]
    problems: list[str]
    determinations: list[OverloadDetermination | None]  # one per part, in part order
    registered: bool | None = None  # the lead's plate is in the vehicle registry (None: no plate)
    # registered plates the reading could be (OCR confusions), with whether they were weighed in the window:
    # a hint for the reviewer, never a correction (an unregistered truck is not re-attributed)
    lookalikes: tuple[tuple[str, bool], ...] = ()

    @property
    def intact(self) -> bool:
        return not self.problems


def lead_evidence(session: Session, *, actor: Actor, lead_id: str) -> EvidenceView:
    lead = access_lead(session, actor, lead_id)
    if lead.rule not in OVERLOAD_RULES:
        raise NotFound("超限线索不存在", en="Overload lead not found")
    bundle = lead.evidence or {}
    parts = bundle.get("parts") or []
    keys = [(p.get("source"), (p.get("record") or {}).get("record_id")) for p in parts]
    D = OverloadDetermination
    found: dict[tuple[Any, Any], OverloadDetermination] = {}
    for src in {k[0] for k in keys}:
        ids = [k[1] for k in keys if k[0] == src]
        for d in session.execute(select(D).where(D.source == src, D.record_id.in_(ids))).scalars():
            found[(d.source, d.record_id)] = d
    registered, similar = _registration_hint(session, actor, lead)
    return EvidenceView(lead, bundle, evidence.verify_bundle(bundle), [found.get(k) for k in keys], registered, similar)


def _registration_hint(session: Session, actor: Actor, lead: Lead) -> tuple[bool | None, tuple[tuple[str, bool], ...]]:
    from zhifa.shared.plates import lookalikes
    from zhifa.vehicles.orm import Vehicle as V

    if not lead.plate:
        return None, ()
    if session.execute(select(V.vehicle_id).where(V.plate == lead.plate).limit(1)).first():
        return True, ()
    candidates = lookalikes(lead.plate, lead.plate_color)
    if not candidates:
        return False, ()
    known = set(session.execute(select(V.plate).where(V.plate.in_(candidates))).scalars())
    D, w = OverloadDetermination, DEFAULT_WINDOW
    # weighings the actor may see (a county user does not learn of weighings elsewhere in the province)
    weighed = set(session.execute(scope(
        select(D.plate).where(D.plate.in_(known), D.measured_at >= lead.start - w, D.measured_at <= lead.end + w),
        actor, D.unit_code,
    )).scalars()) if known else set()
    return False, tuple((p, p in weighed) for p in candidates if p in known)


# ---------------------------------------------------------------- loading-source trace-back (倒查)


@dataclass(frozen=True)
class SourceGuess:
    enterprise_id: str | None
    name: str | None
    unit_code: str
    confidence: float
    basis: dict[str, Any]


def infer_source(
    *,
    origin_unit: str | None,
    origin_city: str | None,
    weigh_unit: str,
    weigh_city: str | None,
    sources: Iterable[tuple[str, str, str | None, str | None, bool]],  # (id, name, unit, city, key)
) -> SourceGuess:
    """Where the trip began (the toll entry of the trip) against the loading sources.

    Confidence: a source in the entry station's county: 0.9 shared among them (key sources weigh
    double); in its city: 0.5 shared; no entry found, sources near the weighing point: 0.3 shared.
    """
    srcs = list(sources)
    tiers: list[tuple[float, list[tuple[str, str, str | None, str | None, bool]], str]] = []
    if origin_unit:
        tiers.append((0.9, [s for s in srcs if s[2] == origin_unit], "entry_county"))
        tiers.append((0.5, [s for s in srcs if origin_city and s[3] == origin_city], "entry_city"))
    tiers.append((0.3, [s for s in srcs if s[2] == weigh_unit], "weigh_county"))
    tiers.append((0.2, [s for s in srcs if weigh_city and s[3] == weigh_city], "weigh_city"))
    for base, cands, how in tiers:
        if not cands:
            continue
        weights = [2.0 if c[4] else 1.0 for c in cands]
        best = max(range(len(cands)), key=lambda i: (weights[i], -i))
        conf = base * weights[best] / sum(weights)
        c = cands[best]
        return SourceGuess(c[0], c[1], c[2] or weigh_unit, round(conf, 3),
                           {"match": how, "candidates": [x[0] for x in cands], "origin_unit": origin_unit})
    return SourceGuess(None, None, weigh_unit, 0.0, {"match": "none", "origin_unit": origin_unit})


def trace_back_day(session: Session, *, actor: Actor, lake_dir: Path, day: date, now: datetime) -> int:
    """Create a trace-back task for every overload lead of `day` without one; returns how many."""
    require_role(actor, Role.ANALYST)
    start = datetime.combine(day, datetime.min.time(), TZ)
    leads = list(
        session.execute(
            select(Lead).where(Lead.rule == RULE_OVERLOAD, Lead.start >= start, Lead.start < start + timedelta(days=1))
        ).scalars()
    )
    done = set(session.execute(select(TraceBackTask.lead_id)).scalars())
    leads = [x for x in leads if x.lead_id not in done and x.plate]
    if not leads:
        return 0
    try:
        from zhifa.vehicles.orm import Enterprise

        ents = list(session.execute(select(Enterprise).where(Enterprise.kind == "loading_source")).scalars())
    except ImportError:  # pragma: no cover
        ents = []
    units = {u.unit_code: u for u in session.execute(select(Unit)).scalars()}

    def city(code: str | None) -> str | None:
        u = units.get(code or "")
        return (u.city_code or u.unit_code) if u else None

    ents.sort(key=lambda e: (not e.key_source, e.enterprise_id))  # key sources first, then by id
    sources = [(e.enterprise_id, e.name, e.unit_code, city(e.unit_code), bool(e.key_source)) for e in ents]
    sites = load_sites(session)
    entries = _entries_before(lake_dir, day, {x.plate for x in leads if x.plate})
    n = 0
    for lead in leads:
        # the trip's entry: the last one before the weighing, or one just after it (a truck weighed on the
        # road to the toll station enters minutes later)
        mine = entries.get((lead.plate, lead.plate_color or ""), [])
        before = [e for e in mine if lead.start - ENTRY_LOOKBACK <= e[0] <= lead.end]
        after = [e for e in mine if lead.end < e[0] <= lead.end + ENTRY_LOOKAHEAD]
        cand = before[-1:] or after[:1]
        origin = cand[-1][1] if cand else None
        origin_unit = sites[origin].unit_code if origin in sites else None
        guess = infer_source(origin_unit=origin_unit, origin_city=city(origin_unit), weigh_unit=lead.unit_code,
                             weigh_city=city(lead.unit_code), sources=sources)
        basis = dict(guess.basis, entry_station=origin, entry_time=cand[-1][0].isoformat() if cand else None)
        t = TraceBackTask(
            task_id=new_id()[:24], lead_id=lead.lead_id, plate=lead.plate, plate_color=lead.plate_color,
            weighed_at=lead.start, source_enterprise_id=guess.enterprise_id, source_name=guess.name,
            unit_code=guess.unit_code, confidence=guess.confidence, basis=basis, status="open", created_at=now,
        )
        session.add(t)
        n += 1
    session.flush()
    audit.record(session, actor=actor, action="overload.trace_back", object_type="overload_day",
                 object_id=day.isoformat(), after={"tasks": n}, now=now)
    return n


def _entries_before(lake_dir: Path, day: date, plates: set[str]) -> dict[tuple[str, str], list[tuple[datetime, str]]]:
    """Toll entries (and exits naming their entry) of these plates on the day and the day before."""
    out: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    for d in (day - timedelta(days=1), day):
        lf = read_source(lake_dir, "toll_txn", d)
        if lf is None:
            continue
        df = lf.filter(pl.col("plate").is_in(sorted(plates))).collect()
        for x in df.iter_rows(named=True):
            if x["event"] == "entry":
                t, st = x["event_time"], x["station_id"]
            elif x.get("entry_station_id") and x.get("entry_time"):
                t, st = x["entry_time"], x["entry_station_id"]
            else:
                continue
            out.setdefault((x["plate"], x.get("plate_color") or ""), []).append((t, st))
    for v in out.values():
        v.sort()
    return out


ENTRY_LOOKBACK = timedelta(hours=12)
ENTRY_LOOKAHEAD = timedelta(hours=1)
TRACE_OUTCOMES = {"rectification_order": "责令整改", "penalty": "行政处罚", "no_violation": "未发现违法"}


def list_trace_tasks(session: Session, *, actor: Actor, status: str | None = None, limit: int = 200) -> list[TraceBackTask]:
    stmt = scope(select(TraceBackTask), actor, TraceBackTask.unit_code)
    if status:
        stmt = stmt.where(TraceBackTask.status == status)
    return list(session.execute(stmt.order_by(TraceBackTask.created_at.desc()).limit(limit)).scalars())


def close_trace_task(
    session: Session, *, actor: Actor, task_id: str, outcome: str, note: str, fine_yuan: int | None, now: datetime
) -> TraceBackTask:
    """The source's unit reports the outcome: rectification order, penalty (10 000–30 000 yuan in Henan,
    UNVERIFIED: not enforced here) or no violation found."""
    require_role(actor, Role.OFFICER, Role.ANALYST)
    t = session.get(TraceBackTask, task_id)
    if t is None:
        raise NotFound("倒查任务不存在", en="Trace-back task not found")
    check_visible(actor, t.unit_code, "倒查任务", what_en="Trace-back task")
    if t.status != "open":
        raise ValidationFailed("倒查任务已办结", en="The trace-back task is already closed")
    if outcome not in TRACE_OUTCOMES:
        raise ValidationFailed("处理结果须为责令整改、行政处罚或未发现违法", en="The outcome must be a rectification order, an administrative penalty or no violation found")
    if not (note or "").strip():
        raise ValidationFailed("须填写处理情况", en="Describe how the task was handled")
    if outcome == "penalty" and not fine_yuan:
        raise ValidationFailed("行政处罚须填写罚款金额", en="An administrative penalty requires the amount of the fine")
    before = {"status": t.status}
    t.status, t.outcome, t.outcome_note, t.fine_yuan = "closed", outcome, note.strip(), fine_yuan
    t.closed_at, t.closed_by = now, actor.username
    audit.record(session, actor=actor, action="overload.trace_close", object_type="trace_back_task",
                 object_id=task_id, before=before, after={"status": "closed", "outcome": outcome,
                                                          "fine_yuan": fine_yuan}, unit_code=t.unit_code, now=now)
    session.flush()
    return t


def trace_counts_by_city(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    units = {u.unit_code: (u.city_code or u.unit_code) for u in session.execute(select(Unit)).scalars()}
    out: dict[str, dict[str, int]] = {}
    for t in list_trace_tasks(session, actor=actor, limit=100000):
        c = out.setdefault(units.get(t.unit_code, t.unit_code), {"open": 0, "closed": 0, "penalty": 0, "rectification_order": 0})
        c[t.status] += 1
        if t.outcome in ("penalty", "rectification_order"):
            c[t.outcome] += 1
    return [{"city": k, **v} for k, v in sorted(out.items())]


def list_sources(session: Session, *, actor: Actor, key_only: bool = False) -> list[Any]:
    """The loading-source registry (货运源头; key sources published)."""
    from zhifa.vehicles.orm import Enterprise

    stmt = scope(select(Enterprise).where(Enterprise.kind == "loading_source"), actor, Enterprise.unit_code)
    if key_only:
        stmt = stmt.where(Enterprise.key_source.is_(True))
    return list(session.execute(stmt.order_by(Enterprise.unit_code, Enterprise.name)).scalars())


def list_overload_leads(
    session: Session, *, actor: Actor, status: str | None = None, rule: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[Lead], int]:
    stmt = scope(select(Lead).where(Lead.rule.in_(OVERLOAD_RULES)), actor, Lead.unit_code)
    if status:
        stmt = stmt.where(Lead.status == status)
    if rule:
        stmt = stmt.where(Lead.rule == rule)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(stmt.order_by(Lead.start.desc()).limit(min(limit, 500)).offset(offset)).scalars()
    return list(rows), int(total)
