"""GPS switched off (关闭动态监控): gantry passes of vehicles that must report GPS, with no GPS near them.

《道路运输车辆动态监督管理办法》(交通运输部令2016年第55号) — scope: commercial passenger vehicles,
hazmat vehicles, semi-trailer tractors and heavy trucks (rules.md §2.7); Art. 38 for destroying,
jamming or shielding the terminal (2,000–5,000 yuan), Art. 37 for a faulty or offline terminal.

Query (one Ibis expression, both engines): GPS points → 2-minute buckets per vehicle, widened by one bucket
either side (terminals report every 30–60 s, JT/T 808); each gantry pass of a monitored vehicle is *dark* when its bucket has no GPS; consecutive
dark passes (no covered pass in between, no trip gap) form one dark run (lag + running sum).
"""

from __future__ import annotations

import ibis
import pandas as pd

from zhifa.detection.context import DetectContext, VehicleInfo, from_epoch
from zhifa.leads.model import LeadDraft

RULE = "gps_off"
RULE_VERSION = "gps_off/2016-55-art38/v1"
BUCKET_S = 120
PASSENGER_BUS_CLASSES = {2, 3, 4}
HEAVY_GOODS_CLASSES = {13, 14, 15, 16}


def is_key_vehicle(v: VehicleInfo) -> bool:
    """两客一危: operating coaches and buses, hazardous-goods vehicles — on the joint monitoring platform."""
    return v.enterprise_kind == "hazmat" or (v.use == "operating" and v.vehicle_class in PASSENGER_BUS_CLASSES)


def must_report(v: VehicleInfo) -> bool:
    """令55号 scope (rules.md §2.7): 两客一危, semi-trailer tractors and heavy trucks (≥ 12 t)."""
    if v.enterprise_kind == "hazmat":
        return True
    if v.use == "operating" and (v.vehicle_class in PASSENGER_BUS_CLASSES or v.enterprise_kind == "passenger"):
        return True
    if v.vehicle_kind == "tractor_semitrailer":
        return True
    return v.vehicle_class in HEAVY_GOODS_CLASSES or (
        v.vehicle_class is not None and 11 <= v.vehicle_class <= 16 and (v.axle_count or 0) >= 3
    )


def dark_runs(ctx: DetectContext) -> pd.DataFrame:
    gantry = ctx.table("gantry_pass")
    gps = ctx.table("gps_point")
    if gantry is None or gps is None:
        return pd.DataFrame()
    gap_s = int(ctx.params.get("gps_gap_s", 2 * 3600))
    g = gps.select(
        plate=gps.plate.cast("string"),
        plate_color=gps.plate_color.cast("string"),
        b=(gps.ts.epoch_seconds().cast("int64") // BUCKET_S),
    ).distinct()
    covered = ibis.union(
        g.select("plate", "plate_color", b=g.b - 1),
        g.select("plate", "plate_color", "b"),
        g.select("plate", "plate_color", b=g.b + 1),
        distinct=True,
    ).mutate(cov=ibis.literal(1))
    in_feed = g.select("plate", "plate_color").distinct()
    # checked: every vehicle seen in the monitoring feed that day (it has a terminal; heavy trucks report to
    # the freight platform only when connected), plus every registered 两客一危 vehicle even if silent all day
    reg = [(p, c) for (p, c), v in ctx.registries.vehicles.items() if is_key_vehicle(v)]
    passes = gantry.select(
        record_id=gantry.record_id.cast("string"),
        site_id=gantry.gantry_id.cast("string"),
        plate=gantry.plate.cast("string"),
        plate_color=gantry.plate_color.cast("string"),
        t=gantry.pass_time.epoch_seconds().cast("int64"),
    )
    if reg:
        monitored = ibis.union(
            in_feed, ibis.memtable(pd.DataFrame(reg, columns=["plate", "plate_color"])), distinct=True
        )
    else:
        monitored = in_feed
    passes = passes.semi_join(monitored, ["plate", "plate_color"]).mutate(b=passes.t // BUCKET_S)
    j = passes.left_join(covered, ["plate", "plate_color", "b"])
    j = j.select("record_id", "site_id", "plate", "plate_color", "t", dark=j.cov.isnull().cast("int32"))
    w = ibis.window(group_by=[j.plate, j.plate_color], order_by=[j.t, j.record_id])
    prev_dark = j.dark.lag().over(w)
    prev_t = j.t.lag().over(w)
    j = j.mutate(
        brk=(prev_dark.isnull() | (prev_dark == 0) | ((j.t - prev_t) > gap_s)).cast("int32"),
    )
    wc = ibis.cumulative_window(group_by=[j.plate, j.plate_color], order_by=[j.t, j.record_id])
    j = j.mutate(run=j.brk.sum().over(wc))
    d = j.filter(j.dark == 1)
    runs = d.group_by(["plate", "plate_color", "run"]).aggregate(
        t_start=d.t.min(),
        t_end=d.t.max(),
        first_site=d.site_id.argmin(d.t),
        last_site=d.site_id.argmax(d.t),
        n=d.count(),
        records=d.record_id.collect(),
        sites=d.site_id.collect(),
        times=d.t.collect(),
    )
    min_n = 1  # single dark passes are kept here and judged by the length of the GPS silence
    min_s = int(ctx.params.get("gps_min_dark_seconds", 0))
    runs = runs.filter((runs.n >= min_n) & ((runs.t_end - runs.t_start) >= min_s))
    return runs.to_pandas()


def _gps_around(ctx: DetectContext, runs: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    gps = ctx.table("gps_point")
    if gps is None or runs.empty:
        return {}
    keys = runs[["plate", "plate_color"]].drop_duplicates()
    sel = gps.select(
        plate=gps.plate.cast("string"),
        plate_color=gps.plate_color.cast("string"),
        t=gps.ts.epoch_seconds().cast("int64"),
    ).semi_join(ibis.memtable(keys), ["plate", "plate_color"])
    df = sel.to_pandas()
    out: dict[tuple[str, str], list[int]] = {}
    for (p, c), grp in df.groupby(["plate", "plate_color"]):
        out[(str(p), str(c))] = sorted(int(x) for x in grp["t"])
    return out


def detect(ctx: DetectContext) -> list[LeadDraft]:
    runs = dark_runs(ctx)
    if runs.empty:
        return []
    gps_times = _gps_around(ctx, runs)
    reg = ctx.registries
    min_passes = int(ctx.params.get("gps_min_dark_passes", 2))
    min_silence = int(ctx.params.get("gps_min_silence_s", 20 * 60))
    drafts: list[LeadDraft] = []
    for r in runs.itertuples(index=False):
        order = sorted(zip(r.times, r.sites, r.records, strict=False))
        times = [int(t) for t, _, _ in order]
        sites = [str(s) for _, s, _ in order]
        records = [str(x) for _, _, x in order]
        pts = gps_times.get((r.plate, r.plate_color), [])
        before = max((t for t in pts if t < times[0]), default=None)
        after = min((t for t in pts if t > times[-1]), default=None)
        silence = (after if after is not None else times[-1] + 86400) - (
            before if before is not None else times[0] - 86400
        )
        if len(times) < min_passes and silence < min_silence:
            continue  # one pass in a short silence: a late or lost report, not a switched-off terminal
        start = from_epoch(before if before is not None else times[0])
        end = from_epoch(after if after is not None else times[-1])
        v = reg.vehicles.get((r.plate, r.plate_color))
        who = "两客一危/重型货车"
        if v is not None and v.enterprise_kind == "hazmat":
            who = "危险货物运输车辆"
        elif v is not None and v.vehicle_class in PASSENGER_BUS_CLASSES:
            who = "营运客车"
        minutes = (times[-1] - times[0]) // 60
        score = min(1.0, 0.5 + 0.1 * len(times) + minutes / 600)
        route = " → ".join(reg.site_name(s) for s in sites[:6]) + (" …" if len(sites) > 6 else "")
        explanation = (
            f"{who}在 {_hm(times[0])}–{_hm(times[-1])} 期间经过 {len(times)} 个门架（{route}），"
            f"该时段无卫星定位数据"
            + (f"（上一定位 {_hm(before)}" if before is not None else "（当日此前无定位")
            + (f"，下一定位 {_hm(after)}）" if after is not None else "，此后无定位）")
            + "；涉嫌关闭或屏蔽动态监控终端，依据《道路运输车辆动态监督管理办法》（交通运输部令2016年第55号）第三十八条。"
        )
        drafts.append(
            LeadDraft(
                rule=RULE,
                plate=r.plate,
                plate_color=r.plate_color,
                start=start,
                end=end,
                unit_code=reg.unit_of(sites[0]),
                site_id=sites[0],
                explanation=explanation,
                dedup_key=f"{RULE}|{r.plate_color}|{r.plate}|{records[0]}",
                score=round(score, 3),
                evidence={
                    "records": records,
                    "table": "gantry_pass",
                    "sites": sites,
                    "gps_before": from_epoch(before).isoformat() if before is not None else None,
                    "gps_after": from_epoch(after).isoformat() if after is not None else None,
                    "article": "交通运输部令2016年第55号 第三十八条",
                },
                rule_version=RULE_VERSION,
            )
        )
    return drafts


def _hm(t: int | None) -> str:
    return from_epoch(t).strftime("%m-%d %H:%M") if t is not None else "—"


__all__ = ["detect", "must_report", "dark_runs", "RULE"]
