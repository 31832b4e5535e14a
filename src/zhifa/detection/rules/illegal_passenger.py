"""Illegal passenger operation (非法营运: 黑客车, 黑网约车) and gathering points (黑组客点).

《道路运输条例》 Art. 63 (operating without a road-transport licence; rules.md §2.5) and, for
ride-hailing, 《网络预约出租汽车经营服务管理暂行办法》 Art. 34/35 (rules.md §2.6).

Query: trips (trajectory.py) of passenger-class vehicles over a look-back window (14 days by default) are
built on the engine; only vehicles with enough cross-city trips leave it. The scorer then looks at each
vehicle's most used origin–destination pair:
- round trips on the same pair (A→B then B→A), on how many distinct days;
- regular departure times (spread of the departure hour);
- short dwell at the far end before returning;
- long runs leaving the province;
- trips per week.
Candidates: small passenger vehicles (客一) and buses that are not operating vehicles with a passenger
whitelist entry, or whitelisted buses running off their licensed route.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from zhifa.detection.context import DetectContext, Registries, from_epoch
from zhifa.detection.trajectory import (
    TripParams,
    canonical_key_expr,
    label_trips,
    reconcile_plates,
    trips_from_labelled,
    unify_passes,
)
from zhifa.leads.model import LeadDraft

RULE = "illegal_passenger"
GATHERING_RULE = "gathering_point"
RULE_VERSION = "illegal_passenger/v1"
PASSENGER_CLASSES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Params:
    min_trips: int = 6  # cross-city trips in the window before a vehicle is scored at all
    min_round_trips: int = 3
    min_days: int = 3
    threshold: float = 0.6
    dwell_short_s: int = 2 * 3600
    gathering_min_vehicles: int = 3
    min_short_dwell: float = 0.5  # share of far-end stays shorter than dwell_short_s


def trips_frame(ctx: DetectContext, params: Params) -> pd.DataFrame:
    """Trips of passenger-class vehicles over the look-back window, with enough trips to matter."""
    gantry = ctx.history.get("gantry_pass")
    gantry = gantry if gantry is not None else ctx.table("gantry_pass")
    toll = ctx.history.get("toll_txn")
    toll = toll if toll is not None else ctx.table("toll_txn")
    if gantry is None:
        return pd.DataFrame()
    gantry = gantry.filter(gantry.vehicle_class.isin(PASSENGER_CLASSES))
    if toll is not None:
        toll = toll.filter(toll.vehicle_class.isin(PASSENGER_CLASSES))
    passes = unify_passes(gantry, toll)
    # cheap first cut: a vehicle making `min_trips` trips leaves at least two records per trip; counted per
    # OCR key so that misreads of a busy vehicle's plate stay in for reconciliation
    key = canonical_key_expr(passes.plate)
    passes = passes.mutate(
        n_key=passes.count().over(ibis.window(group_by=[key, passes.plate_color]))
    )
    passes = passes.filter(passes.n_key >= 2 * params.min_trips).drop("n_key")
    tp = TripParams(gap_s=int(ctx.params.get("trip_gap_s", 2 * 3600)))
    trips = trips_from_labelled(label_trips(reconcile_plates(passes, tp), tp))
    trips = trips.filter(trips.first_site != trips.last_site)
    trips = trips.mutate(n_trips=trips.count().over(ibis.window(group_by=[trips.plate, trips.plate_color])))
    trips = trips.filter(trips.n_trips >= params.min_trips).drop("n_trips")
    return trips.to_pandas()


def _end_label(reg: Registries, site: str, exit_site: Any, gap_or_open: bool) -> tuple[str, bool]:
    """(place label, leaves the province) of a trip end."""
    s = reg.sites.get(site)
    if s is not None and s.is_border and not (isinstance(exit_site, str) and exit_site):
        return f"省外（{s.name}方向）", True
    return (exit_site if isinstance(exit_site, str) and exit_site else site), False


def _start_label(reg: Registries, site: str, entry_site: Any) -> tuple[str, bool]:
    s = reg.sites.get(site)
    if s is not None and s.is_border and not (isinstance(entry_site, str) and entry_site):
        return f"省外（{s.name}方向）", True
    return (entry_site if isinstance(entry_site, str) and entry_site else site), False


def _whitelist_route_matches(reg: Registries, entries: list[Any], a: str, b: str) -> bool:
    """Does a licensed route (ends given as site ids, city codes or city names) join the same two places?"""
    def forms(place: str) -> set[str]:
        if place in reg.sites:
            city = reg.city_of(place)
            return {place, city, reg.city_name(city)} - {""}
        return {place}

    ends = [forms(a), forms(b)]

    def hit(x: str | None, names: set[str]) -> bool:
        if not x:
            return False
        xs = forms(x)
        return any(y == n or y in n or n in y for y in xs for n in names)

    return any(
        (hit(e.route_from, ends[0]) and hit(e.route_to, ends[1])) or (hit(e.route_from, ends[1]) and hit(e.route_to, ends[0]))
        for e in entries
    )


def score_vehicle(rows: pd.DataFrame, reg: Registries, params: Params, window_days: int) -> dict[str, Any] | None:
    """Features and score of one vehicle's trips (rows sorted by t_start)."""
    trips = []
    for r in rows.itertuples(index=False):
        o, o_out = _start_label(reg, r.first_site, r.entry_site)
        d, d_out = _end_label(reg, r.last_site, r.exit_site, bool(r.gap_after))
        if o == d:
            continue
        trips.append((int(r.t_start), int(r.t_end), o, d, o_out or d_out, r.first_site, r.trip_id))
    if len(trips) < params.min_trips:
        return None
    pairs = Counter(tuple(sorted((o, d))) for _, _, o, d, _, _, _ in trips)
    (a, b), n_pair = pairs.most_common(1)[0]
    on_pair = [t for t in trips if {t[2], t[3]} == {a, b}]
    if on_pair[0][2] != a:  # name the end the vehicle sets out from first
        a, b = b, a
    ab = [t for t in on_pair if t[2] == a]
    ba = [t for t in on_pair if t[2] == b]
    round_trips = min(len(ab), len(ba))
    days = {from_epoch(t[0]).date() for t in on_pair}
    # dwell at the far end: arrival at B → next departure from B (a commuter stays the working day)
    dwells = []
    for prev, nxt in zip(on_pair, on_pair[1:], strict=False):
        if prev[3] == b and nxt[2] == b:
            dwells.append(nxt[0] - prev[1])
    short = sum(1 for x in dwells if x <= params.dwell_short_s)
    short_frac = short / len(dwells) if dwells else 0.0
    hours = [from_epoch(t[0]).hour + from_epoch(t[0]).minute / 60 for t in ab] or [0.0]
    spread = statistics.pstdev(hours) if len(hours) > 1 else 3.0
    regular = max(0.0, 1.0 - spread / 3.0)
    out_frac = sum(1 for t in on_pair if t[4]) / len(on_pair)
    long_frac = sum(1 for t in on_pair if t[1] - t[0] >= 3600) / len(on_pair)
    per_week = len(on_pair) / max(window_days / 7, 1)
    score = (
        0.25 * min(round_trips / 5, 1.0)
        + 0.15 * min(len(days) / 4, 1.0)
        + 0.30 * short_frac
        + 0.10 * regular
        + 0.10 * max(out_frac, long_frac)
        + 0.10 * min(per_week / 7, 1.0)
    )
    return dict(
        a=a, b=b, round_trips=round_trips, n_pair=len(on_pair), days=len(days), regular=regular,
        short_frac=short_frac, out_frac=out_frac, per_week=per_week, score=score,
        start=min(t[0] for t in on_pair), end=max(t[1] for t in on_pair),
        start_sites=[t[5] for t in on_pair], trip_ids=[t[6] for t in on_pair],
    )


def _place_name(reg: Registries, place: str) -> str:
    s = reg.sites.get(place)
    if s is None:
        return place
    city = reg.city_name(s.city_code)
    return f"{city}·{s.name}" if city and city not in s.name else s.name


def candidate_reason(reg: Registries, plate: str, color: str, vclass: int, a: str, b: str, at: Any) -> str | None:
    """Why this vehicle may not carry passengers for pay on this pair; None = it may."""
    v = reg.vehicles.get((plate, color))
    wl = reg.whitelisted(plate, color, at)
    if wl:
        if _whitelist_route_matches(reg, wl, a, b):
            return None
        return "白名单客车偏离核定线路"
    if v is not None and v.use == "operating" and v.enterprise_kind != "ride_hailing_platform":
        return None
    if v is not None and v.enterprise_kind == "ride_hailing_platform":
        return "网约车平台车辆，无道路运输证（非营运）"
    if vclass in (2, 3, 4):
        return "客车不在白名单"
    return "非营运小型客车，不在白名单"


def detect(ctx: DetectContext) -> list[LeadDraft]:
    params = Params(**{k: v for k, v in ctx.params.get("illegal_passenger", {}).items()})
    df = trips_frame(ctx, params)
    if df.empty:
        return []
    reg = ctx.registries
    window_days = ctx.history_days if ctx.history else 1
    block = ctx.day.toordinal() // 28
    drafts: list[LeadDraft] = []
    gathering: dict[str, set[tuple[str, str]]] = defaultdict(set)
    gathering_span: dict[str, list[int]] = defaultdict(list)
    df = df.sort_values(["plate_color", "plate", "t_start"])
    for (plate, color), rows in df.groupby(["plate", "plate_color"], sort=False):
        plate, color = str(plate), str(color)
        f = score_vehicle(rows, reg, params, window_days)
        if f is None or f["round_trips"] < params.min_round_trips or f["days"] < params.min_days:
            continue
        if f["score"] < params.threshold or f["short_frac"] < params.min_short_dwell:
            continue
        vclass = int(rows["vehicle_class"].max())
        why = candidate_reason(reg, plate, color, vclass, f["a"], f["b"], from_epoch(f["end"]))
        if why is None:
            continue
        a_name, b_name = _place_name(reg, f["a"]), _place_name(reg, f["b"])
        explanation = (
            f"{f['round_trips']} 次往返 {a_name} ↔ {b_name}，{window_days} 天内 {f['days']} 天出行、"
            f"共 {f['n_pair']} 趟（每周约 {f['per_week']:.1f} 趟）"
            + ("，发车时间规律" if f["regular"] >= 0.5 else "")
            + f"，到达 {b_name} 后短暂停留即返程 {f['short_frac']:.0%}"
            + (f"，出省长途 {f['out_frac']:.0%}" if f["out_frac"] > 0 else "")
            + f"；{why}。涉嫌未取得道路运输经营许可从事客运经营（《道路运输条例》第六十三条）。"
        )
        origin_site = Counter(f["start_sites"]).most_common(1)[0][0]
        drafts.append(
            LeadDraft(
                rule=RULE,
                plate=plate,
                plate_color=color,
                start=from_epoch(f["start"]),
                end=from_epoch(f["end"]),
                unit_code=reg.unit_of(origin_site),
                site_id=origin_site,
                explanation=explanation,
                # anchored on the first trip seen: later runs over a sliding window keep the key for 4 weeks
                dedup_key=f"{RULE}|{color}|{plate}|{'-'.join(sorted((f['a'], f['b'])))}|"
                f"{from_epoch(f['start']).date().toordinal() // 28}",
                score=round(min(1.0, f["score"]), 3),
                evidence={
                    "trips": f["trip_ids"][:100],
                    "od": [f["a"], f["b"]],
                    "round_trips": f["round_trips"],
                    "days": f["days"],
                    "reason": why,
                },
                rule_version=RULE_VERSION,
            )
        )
        for s in set(f["start_sites"]):
            gathering[s].add((plate, color))
            gathering_span[s].extend([f["start"], f["end"]])
    for site, vehicles in gathering.items():
        if len(vehicles) < params.gathering_min_vehicles:
            continue
        plates = sorted(p for p, _ in vehicles)
        drafts.append(
            LeadDraft(
                rule=GATHERING_RULE,
                plate=None,
                plate_color=None,
                start=from_epoch(min(gathering_span[site])),
                end=from_epoch(max(gathering_span[site])),
                unit_code=reg.unit_of(site),
                site_id=site,
                explanation=f"{len(vehicles)} 辆涉嫌非法营运车辆从 {reg.site_name(site)} 出发（疑似黑组客点）：{'、'.join(plates[:8])}",
                dedup_key=f"{GATHERING_RULE}|{site}|{block}",
                score=round(min(1.0, len(vehicles) / 6), 3),
                evidence={"vehicles": [list(v) for v in sorted(vehicles)]},
                rule_version=RULE_VERSION,
            )
        )
    return drafts


__all__ = ["detect", "score_vehicle", "candidate_reason", "Params"]
