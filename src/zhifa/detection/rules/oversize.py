"""Oversize transport (大件运输) checked against permits, measurements and gantry trajectories.

《超限运输车辆行驶公路管理规定》(交通运输部令2016年第62号) — rules.md §2.3, §4.6. Treated as illegal:
1. on the road without a permit → `oversize_no_permit` (measured over an Art. 3 dimension limit, and the
   vehicle holds no permit at all);
2. vehicle or cargo not matching the permit (大车小证 / 车证不符) → `oversize_exceeds_permit` (a check
   station, entry weighing or WIM measured more than the permit allows, after the device tolerance);
3. not following the permitted time or route → `oversize_off_window` (outside the validity window or the
   allowed hours), `oversize_off_route` (left the route), `oversize_beyond_route` (办短跑长: carried on past
   an end of the permitted route).

Findings of one rule for one vehicle on one day are one lead (the evidence lists every pass and record).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import ibis
import pandas as pd

from zhifa.detection.context import DetectContext, PermitInfo, Registries, from_epoch
from zhifa.detection.trajectory import TripParams, build_trips, canonical_key_expr, canonical_key_py
from zhifa.leads.model import LeadDraft
from zhifa.permits import rules as prules

RULE_VERSION = "oversize/order62-2016/v1"
OVERNIGHT_S = 12 * 3600  # look back into the previous evening for trips that cross midnight
ART = "《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号）"


@dataclass(frozen=True)
class Tolerance:
    """Measurement tolerance by source (fraction); rules.md §1.7 — configurable, UNVERIFIED default."""

    dims: float
    gross: float


TOLERANCES = {
    "static_weigh": Tolerance(dims=0.01, gross=0.01),
    "toll_entry": Tolerance(dims=0.02, gross=0.05),
    "wim": Tolerance(dims=0.02, gross=0.05),
}


@dataclass
class Finding:
    rule: str
    plate: str
    plate_color: str
    t: int
    site_id: str
    record: str
    table: str
    note: str
    permit_no: str | None = None
    margin: float = 0.0  # how far over, beyond the device tolerance, as a multiple of that tolerance


def measurements(ctx: DetectContext, permitted: pd.DataFrame) -> pd.DataFrame:
    """Measurements over an Art. 3 dimension limit, or of a vehicle holding a permit."""
    parts = []
    wim = ctx.table("wim")
    if wim is not None:
        parts.append(
            wim.select(
                source=ibis.literal("wim"), record_id=wim.record_id.cast("string"), site_id=wim.site_id.cast("string"),
                t=wim.measured_at.epoch_seconds().cast("int64"), plate=wim.plate.cast("string"),
                plate_color=wim.plate_color.cast("string"), axle_count=wim.axle_count.cast("int64"),
                gross=wim.gross_weight_kg.cast("int64"), length=wim.length_mm.cast("int64"),
                width=wim.width_mm.cast("int64"), height=wim.height_mm.cast("int64"),
            )
        )
    sw = ctx.table("static_weigh")
    if sw is not None:
        parts.append(
            sw.select(
                source=ibis.literal("static_weigh"), record_id=sw.record_id.cast("string"),
                site_id=sw.station_id.cast("string"), t=sw.measured_at.epoch_seconds().cast("int64"),
                plate=sw.plate.cast("string"), plate_color=sw.plate_color.cast("string"),
                axle_count=sw.axle_count.cast("int64"), gross=sw.gross_weight_kg.cast("int64"),
                length=sw.length_mm.cast("int64"), width=sw.width_mm.cast("int64"), height=sw.height_mm.cast("int64"),
            )
        )
    toll = ctx.table("toll_txn")
    if toll is not None:
        te = toll.filter((toll.event == "entry") & toll.gross_weight_kg.notnull())
        parts.append(
            te.select(
                source=ibis.literal("toll_entry"), record_id=te.record_id.cast("string"),
                site_id=te.station_id.cast("string"), t=te.event_time.epoch_seconds().cast("int64"),
                plate=te.plate.cast("string"), plate_color=te.plate_color.cast("string"),
                axle_count=te.axle_count.cast("int64"), gross=te.gross_weight_kg.cast("int64"),
                length=ibis.null().cast("int64"), width=ibis.null().cast("int64"), height=ibis.null().cast("int64"),
            )
        )
    if not parts:
        return pd.DataFrame()
    m = ibis.union(*parts)
    over = (
        (m.length.fill_null(0) > prules.LEGAL_LENGTH_MM)
        | (m.width.fill_null(0) > prules.LEGAL_WIDTH_MM)
        | (m.height.fill_null(0) > prules.LEGAL_HEIGHT_MM)
    )
    if len(permitted):
        pm = ibis.memtable(permitted[["plate", "plate_color"]].drop_duplicates().assign(has_permit=1))
        j = m.left_join(pm, ["plate", "plate_color"])
        m = j.filter(over | j.has_permit.notnull()).drop("has_permit")
    else:
        m = m.filter(over)
    return m.to_pandas()


def permitted_passes(ctx: DetectContext, permits: list[PermitInfo]) -> pd.DataFrame:
    """Labelled passes (trips) of permitted vehicles; misread plates of theirs are reconciled first."""
    # trips that cross midnight are judged whole: the evening before the day is read too (look-back tables)
    gantry = ctx.history.get("gantry_pass")
    gantry = gantry if gantry is not None else ctx.table("gantry_pass")
    toll = ctx.history.get("toll_txn")
    toll = toll if toll is not None else ctx.table("toll_txn")
    if gantry is None or not permits:
        return pd.DataFrame()
    lo = int(ctx.day_start.timestamp()) - OVERNIGHT_S
    hi = int(ctx.day_end.timestamp())
    keys = sorted({canonical_key_py(p.plate) for p in permits})
    ge = gantry.pass_time.epoch_seconds()
    gantry = gantry.filter(canonical_key_expr(gantry.plate.cast("string")).isin(keys) & (ge >= lo) & (ge < hi))
    if toll is not None:
        te = toll.event_time.epoch_seconds()
        toll = toll.filter(canonical_key_expr(toll.plate.cast("string")).isin(keys) & (te >= lo) & (te < hi))
    labelled, _ = build_trips(gantry, toll, TripParams(gap_s=int(ctx.params.get("trip_gap_s", 2 * 3600))))
    plates = pd.DataFrame(sorted({(p.plate, p.plate_color) for p in permits}), columns=["plate", "plate_color"])
    labelled = labelled.semi_join(ibis.memtable(plates), ["plate", "plate_color"])
    return labelled.to_pandas()


def _valid(p: PermitInfo, ts: datetime) -> bool:
    return p.valid_from <= ts <= p.valid_to


def route_findings(reg: Registries, passes: pd.DataFrame, permits: list[PermitInfo]) -> list[Finding]:
    by_vehicle: dict[tuple[str, str], list[PermitInfo]] = defaultdict(list)
    for p in permits:
        by_vehicle[(p.plate, p.plate_color)].append(p)
    out: list[Finding] = []
    if passes.empty:
        return out
    passes = passes.sort_values(["plate_color", "plate", "t", "record_id"])
    for (plate, color, _trip), rows in passes.groupby(["plate", "plate_color", "trip_seq"], sort=False):
        plate, color = str(plate), str(color)
        pv = by_vehicle.get((plate, color), [])
        if not pv:
            continue
        trip_passes = []
        permit_for_trip: PermitInfo | None = None
        for r in rows.itertuples(index=False):
            ts = from_epoch(r.t)
            valid = [p for p in pv if _valid(p, ts)]
            if not valid:
                out.append(Finding("oversize_off_window", plate, color, int(r.t), r.site_id, r.record_id, r.source,
                                   f"{ts:%m-%d %H:%M} 通行时不在任何通行证有效期内"))
                continue
            p = valid[0]
            permit_for_trip = permit_for_trip or p
            hours = prules.parse_hours(p.allowed_hours)
            if not prules.within_hours(ts, hours):
                out.append(Finding("oversize_off_window", plate, color, int(r.t), r.site_id, r.record_id, r.source,
                                   f"{ts:%m-%d %H:%M} 通行，不在许可通行时段 {p.allowed_hours} 内", p.permit_no))
            trip_passes.append(r)
        if permit_for_trip is None or not trip_passes:
            continue
        p = permit_for_trip
        sites = [r.site_id for r in trip_passes]

        def is_gantry(site: str) -> bool:
            info = reg.sites.get(site)
            return info.kind == "gantry" if info is not None else not site.startswith("TS")

        verdict, off = prules.classify_route(sites, list(p.route_sites), is_gantry)
        if verdict is None:
            continue
        rule = "oversize_beyond_route" if verdict == "beyond_route" else "oversize_off_route"
        for r in trip_passes:
            if r.site_id in off:
                what = "超出许可路线终点继续行驶（办短跑长）" if rule == "oversize_beyond_route" else "偏离许可路线"
                out.append(Finding(rule, plate, color, int(r.t), r.site_id, r.record_id, r.source,
                                   f"{from_epoch(r.t):%m-%d %H:%M} 经过 {reg.site_name(r.site_id)}，{what}", p.permit_no))
    return out


def measurement_findings(reg: Registries, m: pd.DataFrame, permits: list[PermitInfo]) -> list[Finding]:
    by_vehicle: dict[tuple[str, str], list[PermitInfo]] = defaultdict(list)
    for p in permits:
        by_vehicle[(p.plate, p.plate_color)].append(p)
    out: list[Finding] = []
    by_key: dict[tuple[str, str], list[PermitInfo]] = defaultdict(list)
    for p in permits:
        by_key[(canonical_key_py(p.plate), p.plate_color)].append(p)
    for r in m.itertuples(index=False):
        tol = TOLERANCES.get(r.source, TOLERANCES["wim"])
        ts = from_epoch(r.t)
        dims = {k: (None if pd.isna(getattr(r, k)) else int(getattr(r, k))) for k in ("length", "width", "height", "gross")}
        pv = by_vehicle.get((str(r.plate), str(r.plate_color)), [])
        if not pv:  # an OCR misread of a permitted vehicle's plate is that vehicle (rules.md §6.5)
            pv = by_key.get((canonical_key_py(str(r.plate)), str(r.plate_color)), [])
            if len({p.plate for p in pv}) > 1:
                pv = []
        if not pv:
            over = prules.is_oversize(length_mm=dims["length"], width_mm=dims["width"], height_mm=dims["height"],
                                      gross_weight_kg=None, axle_count=None, tolerance=tol.dims)
            if over:
                desc = "、".join({"length": f"长 {dims['length']} mm", "width": f"宽 {dims['width']} mm",
                                 "height": f"高 {dims['height']} mm"}[k] for k in over)
                out.append(Finding("oversize_no_permit", str(r.plate), str(r.plate_color), int(r.t), r.site_id,
                                   r.record_id, r.source, f"{ts:%m-%d %H:%M} 实测{desc}，超过令62号第三条限值，无大件运输许可"))
            continue
        valid = [p for p in pv if _valid(p, ts)]
        if not valid:
            continue  # trajectory check reports off-window travel
        p = valid[0]
        limits = {"length": p.length_mm, "width": p.width_mm, "height": p.height_mm, "gross": p.gross_weight_kg}
        exceeded = []
        margin = 0.0
        for k, lim in limits.items():
            v = dims[k]
            f = tol.gross if k == "gross" else tol.dims
            if v is not None and lim and v > lim * (1 + f):
                exceeded.append(f"{LABELS[k]}实测 {v} > 许可 {lim}")
                margin = max(margin, (v / lim - 1) / f)
        if exceeded:
            out.append(Finding("oversize_exceeds_permit", p.plate, p.plate_color, int(r.t), r.site_id,
                               r.record_id, r.source, f"{ts:%m-%d %H:%M} " + "；".join(exceeded),
                               p.permit_no, margin))
    return out


LABELS = {"length": "长", "width": "宽", "height": "高", "gross": "总质量"}

EXPLAIN = {
    "oversize_no_permit": "无证大件运输：外廓尺寸超过限值且未取得超限运输车辆通行证",
    "oversize_exceeds_permit": "车证不符（大车小证）：实测尺寸或质量超过通行证核定值",
    "oversize_off_window": "未按许可时间通行：超出通行证有效期或允许通行时段",
    "oversize_off_route": "未按许可路线通行：轨迹偏离通行证核定路线",
    "oversize_beyond_route": "办短跑长：超出通行证核定路线起讫点继续行驶",
}


def corroborated(fs: list[Finding]) -> bool:
    """车证不符 needs a check-station weighing, two dynamic readings over the tolerance that day, or one
    reading over twice the tolerance: a single WIM reading just past its MPE is noise (rules.md §1.7)."""
    return any(f.table == "static_weigh" for f in fs) or len(fs) >= 2 or any(f.margin >= 2.0 for f in fs)


def to_drafts(reg: Registries, findings: list[Finding]) -> list[LeadDraft]:
    groups: dict[tuple[str, str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.rule, f.plate, f.plate_color, from_epoch(f.t).date().isoformat())].append(f)
    drafts = []
    for (rule, plate, color, day), fs in groups.items():
        if rule == "oversize_exceeds_permit" and not corroborated(fs):
            continue
        fs.sort(key=lambda f: (f.t, f.record))
        first = fs[0]
        permits = sorted({f.permit_no for f in fs if f.permit_no})
        notes = "；".join(f.note for f in fs[:5]) + ("；…" if len(fs) > 5 else "")
        explanation = f"{EXPLAIN[rule]}。{notes}" + (f"。通行证 {'、'.join(permits)}" if permits else "") + f"。依据{ART}。"
        drafts.append(
            LeadDraft(
                rule=rule,
                plate=plate,
                plate_color=color,
                start=from_epoch(first.t),
                end=from_epoch(fs[-1].t),
                unit_code=reg.unit_of(first.site_id),
                site_id=first.site_id,
                explanation=explanation,
                dedup_key=f"{rule}|{color}|{plate}|{day}",
                score=1.0 if rule != "oversize_exceeds_permit" else min(1.0, 0.8 + 0.05 * len(fs)),
                evidence={
                    "records": [{"table": f.table, "record_id": f.record, "site_id": f.site_id} for f in fs],
                    "permits": permits,
                },
                rule_version=RULE_VERSION,
            )
        )
    return drafts


def detect(ctx: DetectContext) -> list[LeadDraft]:
    reg = ctx.registries
    permits = list(reg.permits)
    permitted = pd.DataFrame([(p.plate, p.plate_color) for p in permits], columns=["plate", "plate_color"])
    findings = measurement_findings(reg, measurements(ctx, permitted), permits)
    lo, hi = int(ctx.day_start.timestamp()), int(ctx.day_end.timestamp())
    findings += [f for f in route_findings(reg, permitted_passes(ctx, permits), permits) if lo <= f.t < hi]
    return to_drafts(reg, findings)
