"""`simulate()`: a synthetic Henan province — registries, a record lake and its ground truth.

How it works (all array operations, no per-record or per-trip Python loops):
1. The network's shortest paths between all toll-station pairs are computed once (CSR arrays).
2. Each day, trips are drawn as arrays (vehicle, station pair or two legs, departure, speed, load,
   WIM/check-station visits, GPS gap), then exploded into node rows with `np.repeat`.
3. Node rows become gantry passes, toll entries/exits; trips become WIM and static weighings; key
   vehicles' trips are sampled every 30–60 s into GPS points by interpolation along the path.
4. Noise: OCR misreads of camera-read passes (shared confusion classes), empty reads, lost gantry
   reads, WIM error; every file is ordered by arrival time (event time + feed lag), so records
   arrive late and out of order. No arrival column is written (schemas.md columns only).

Output (see docs in `zhifa.sim`): `registries/*.csv`, `records/<table>/<YYYY-MM-DD>.parquet`
(times as timezone-aware Asia/Shanghai timestamps, whole seconds), `truth.parquet` and `truth.csv`.
Truth rows whose vehicle left no correctly-read record inside [start, end] are dropped (counted in
`SimReport.truth_dropped`), so that scores measure detectors, not lost data.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from zhifa.sim.model import (
    BLACK,
    BUS,
    CAR,
    HAZMAT,
    OVERSIZE,
    RECORD_COLUMNS,
    REGISTRY_COLUMNS,
    RIDE,
    TAG_BEYOND,
    TAG_EXCEEDS,
    TAG_KIND,
    TAG_NO_PERMIT,
    TAG_NONE,
    TAG_OFF_ROUTE,
    TAG_OFF_WINDOW,
    TAXI,
    TRUCK,
    TRUTH_COLUMNS,
    SimConfig,
    SimReport,
)
from zhifa.sim.network import CITIES, RawNetwork, SimNetwork, load_network
from zhifa.sim.noise import arrival_lag_s, misread
from zhifa.sim.population import COLORS, KINDS, Population, build_enterprises, build_population

TZ_NAME = "Asia/Shanghai"
UNLOAD_S = 6 * 3600.0  # a truck turned back at an entry weighing unloads before its next trip
DAY = 86400.0
Progress = Callable[[str, int, int], None]

CAR_PROFILE = np.array([0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 2, 4, 5, 4, 3.5, 3, 2.8, 3, 3.3, 3.8, 4.5, 5, 4, 3, 2.2, 1.6, 1, 0.6])
TRUCK_PROFILE = np.array([2, 2, 1.8, 1.8, 2, 2.5, 3, 3.5, 3.8, 3.8, 3.6, 3.4, 3.2, 3.4, 3.6, 3.6, 3.4, 3.2, 3, 2.8, 2.6, 2.5, 2.3, 2.1])
RETURN_P = {CAR: 0.4, TAXI: 0.6, RIDE: 0.6, TRUCK: 0.35, HAZMAT: 0.4}
DECAY_M = {CAR: 60e3, TAXI: 30e3, RIDE: 40e3, TRUCK: 120e3, HAZMAT: 120e3, BUS: 150e3}
SPEED_KMH = {CAR: (90, 120), TAXI: (90, 115), RIDE: (90, 115), TRUCK: (60, 85), HAZMAT: (60, 80), BUS: (80, 100),
             OVERSIZE: (40, 60), BLACK: (90, 120)}
ALLOWED_HOURS = np.array(["22:00-06:00", "20:00-06:00", "00:00-24:00"], dtype=object)
CARGO = np.array(["变压器", "风电叶片", "盾构机", "桥梁钢箱梁", "大型挖掘机", "锅炉设备"], dtype=object)
WATCH_REASONS = np.array(["逃费嫌疑", "套牌嫌疑", "超限未处理", "协查通报", "非法营运嫌疑"], dtype=object)


# ----------------------------------------------------------------------------------------------
# trips
# ----------------------------------------------------------------------------------------------
TRIP_FIELDS = {
    "veh": (np.int64, -1), "p1": (np.int64, -1), "p2": (np.int64, -1), "t0": (np.float64, 0.0),
    "v": (np.float64, 20.0), "gross": (np.int64, 0), "refused": (bool, False), "wim": (np.int64, -1),
    "wim_dt": (np.float64, 0.0), "chk": (np.int64, -1), "chk_dt": (np.float64, 0.0),
    "gap_s": (np.float64, np.nan), "gap_e": (np.float64, np.nan), "tag": (np.int8, TAG_NONE),
    "aux": (np.int64, -1),
}


def _trips(n: int, **cols: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for k, (dt, default) in TRIP_FIELDS.items():
        out[k] = np.broadcast_to(np.asarray(cols[k], dtype=dt), (n,)).copy() if k in cols else np.full(n, default, dtype=dt)
    return out


def _concat(blocks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([b[k] for b in blocks]) for k in TRIP_FIELDS}


class _World:
    """Everything fixed for the run: network, OD tables, population, registries."""

    def __init__(self, net: SimNetwork, cfg: SimConfig, scale: float, days: int, start: date,
                 rng: np.random.Generator):
        self.net, self.cfg, self.scale, self.days, self.start, self.rng = net, cfg, scale, days, start, rng
        S = net.S
        self.S = S
        self.D = net.pair_dist_m.reshape(S, S)
        ok = np.isfinite(self.D) & (self.D > 0)
        self.ok = ok
        w = rng.lognormal(0.0, 0.8, S)
        city_ids = {f"S41{i:02d}00" for i in range(len(CITIES))}
        w *= np.where(np.isin(net.site_id[net.stations], list(city_ids)), 5.0, 1.0)
        self.od: dict[int, np.ndarray] = {}
        for c, d0 in DECAY_M.items():
            p = np.where(ok, np.outer(w, w) * np.exp(-np.where(ok, self.D, 0) / d0), 0.0).ravel()
            self.od[c] = p / p.sum()
        gant = net.pair_gantries.astype(np.float64)
        shares = {CAR: cfg.share_car, TAXI: cfg.share_taxi, RIDE: cfg.share_ride, TRUCK: cfg.share_truck,
                  HAZMAT: cfg.share_hazmat, BUS: cfg.share_bus}
        mean_g = sum(shares[c] * float(self.od[c] @ gant) for c in shares)
        n_trips = scale * cfg.gantry_passes_per_day / mean_g
        self.trips_per_day = {c: shares[c] * n_trips for c in shares}
        pools = {c: max(4, round(self.trips_per_day[c] / (1 + RETURN_P[c]) / cfg.travel_share)) for c in RETURN_P}
        pools[BUS] = max(2, round(self.trips_per_day[BUS] / 2 / 0.85))
        pools[OVERSIZE] = max(8, round(cfg.oversize_per_scale * scale)) + max(2, round(cfg.no_permit_per_scale * scale))
        pools[BLACK] = max(3, round(cfg.illegal_per_scale * scale))
        self.pools = pools
        n_goods = pools[TRUCK] + pools[HAZMAT] + pools[OVERSIZE]
        # loading sources sit in counties that have a toll station (trucks enter the expressway near them)
        source_units = np.unique(net.unit_code[net.stations].astype(str))
        self.ent = build_enterprises(rng, source_units=source_units, sizes={
            "transport": max(3, n_goods // 25), "passenger": max(2, (pools[BUS] + pools[TAXI]) // 20),
            "hazmat": max(2, pools[HAZMAT] // 15), "loading_source": max(36, round(400 * scale)),
            "ride_hailing_platform": 5, "repair": max(3, round(60 * scale)),
        })
        self.pop: Population = build_population(rng, net, cfg, pools, self.ent)
        self.epoch = datetime(start.year, start.month, start.day)
        self._setup_buses()
        self._setup_black()
        self._setup_oversize()
        self._setup_watchlist()
        self._setup_sources()

    # -- helpers ---------------------------------------------------------------------------
    def pick_pairs(self, mask: np.ndarray, n: int, cat: int = TRUCK) -> np.ndarray:
        p = np.where(mask.ravel(), self.od[cat], 0.0)
        if p.sum() <= 0:
            p = np.where(self.ok.ravel(), 1.0, 0.0)
        return self.rng.choice(len(p), size=n, p=p / p.sum())

    def speed(self, cat: int, n: int) -> np.ndarray:
        lo, hi = SPEED_KMH[cat]
        return self.rng.uniform(lo, hi, n) / 3.6

    def iso(self, sec: np.ndarray) -> np.ndarray:
        return np.array([(self.epoch + timedelta(seconds=float(s))).strftime("%Y-%m-%dT%H:%M:%S+08:00") for s in sec],
                        dtype=object)

    # -- fixed actors -------------------------------------------------------------------------
    def _setup_buses(self) -> None:
        buses = self.pop.idx(BUS)
        mask = self.ok & (self.D >= 50e3)
        self.bus = buses
        self.bus_pair = self.pick_pairs(mask, len(buses), BUS)
        self.bus_hour = self.rng.uniform(6.0, 14.0, len(buses))

    def _setup_black(self) -> None:
        rng, S = self.rng, self.S
        veh = self.pop.idx(BLACK)
        n = len(veh)
        n_points = max(1, n // 4)  # gathering points (黑组客点) shared by groups of vehicles
        points = rng.choice(S, size=n_points, replace=n_points > S)
        home = np.where(rng.random(n) < 0.6, points[rng.integers(0, n_points, n)], rng.integers(0, S, n))
        cand = self.ok[home] & (self.D[home] >= 80e3) & (self.D[home] <= 250e3)
        cand = np.where(cand.any(axis=1)[:, None], cand, self.ok[home])
        key = np.where(cand, rng.random(cand.shape), -1.0)
        dest = key.argmax(axis=1)
        self.black, self.black_home, self.black_dest = veh, home, dest
        self.black_h0 = rng.uniform(6.0, 8.0, n) * 3600
        self.black_h1 = rng.uniform(13.0, 15.0, n) * 3600
        self.black_second = rng.random(n) < 0.6

    def _setup_oversize(self) -> None:
        rng, S, cfg = self.rng, self.S, self.cfg
        veh = self.pop.idx(OVERSIZE)
        n_np = max(2, round(cfg.no_permit_per_scale * self.scale))
        permitted, noperm = veh[:-n_np], veh[-n_np:]
        pop = self.pop
        m = len(permitted)
        pop.length[permitted] = rng.integers(17000, 30000, m)
        pop.width[permitted] = rng.integers(2600, 4000, m)
        pop.height[permitted] = rng.integers(3900, 4800, m)
        gross = rng.integers(40000, 110000, m)
        # no-permit oversize: over a dimension limit (Order 62 Art. 3 ¶1 items 1–3) but within mass
        k = len(noperm)
        which = rng.integers(0, 3, k)
        pop.width[noperm] = np.where(which == 0, rng.integers(2800, 3400, k), 2500)
        pop.height[noperm] = np.where(which == 1, rng.integers(4200, 4600, k), 3900)
        pop.length[noperm] = np.where(which == 2, rng.integers(19000, 24000, k), 16500)
        self.noperm = noperm
        self.noperm_gross = (pop.limit[noperm] * rng.uniform(0.6, 0.95, k)).astype(np.int64)

        pair = self.pick_pairs(self.ok & (self.D >= 60e3) & (self.D <= 250e3), m)
        i, j = pair // S, pair % S
        r = rng.random(m)
        tag = np.select([r < 0.5, r < 0.625, r < 0.75, r < 0.875], [TAG_NONE, TAG_OFF_ROUTE, TAG_BEYOND, TAG_OFF_WINDOW],
                        default=TAG_EXCEEDS).astype(np.int8)
        on_path = np.abs(self.D[i] + self.D[:, j].T - self.D[i, j][:, None]) < 1.0
        # beyond route: the permit ends at an intermediate station k of the path i → j
        cand_b = on_path & (np.arange(S)[None, :] != i[:, None]) & (np.arange(S)[None, :] != j[:, None]) & self.ok[i]
        key = np.where(cand_b, rng.random(cand_b.shape), -1.0)
        kb = key.argmax(axis=1)
        no_b = key.max(axis=1) < 0
        # off route: a detour through a station x off the path
        det = self.D[i] + self.D[:, j].T
        cand_o = np.isfinite(det) & (det > 1.1 * self.D[i, j][:, None]) & (det < 1.8 * self.D[i, j][:, None])
        key = np.where(cand_o, rng.random(cand_o.shape), -1.0)
        xo = key.argmax(axis=1)
        no_o = key.max(axis=1) < 0
        tag = np.where(((tag == TAG_BEYOND) & no_b) | ((tag == TAG_OFF_ROUTE) & no_o), TAG_EXCEEDS, tag).astype(np.int8)
        permit_end = np.where(tag == TAG_BEYOND, kb, j)
        hours = ALLOWED_HOURS[rng.integers(0, len(ALLOWED_HOURS), m)]
        expired = (tag == TAG_OFF_WINDOW) & ((hours == "00:00-24:00") | (rng.random(m) < 0.5))
        start_s = np.zeros(m)
        valid_from = start_s - rng.uniform(1, 20, m).round() * DAY
        # an expired permit ended before the run but after it began (valid_to ≥ valid_from)
        span = (start_s - valid_from) / DAY  # whole days between the permit's start and the run's start (≥ 1)
        lapsed_days = np.clip((rng.uniform(0.1, 0.9, m) * span).round(), 1, span)
        valid_to = np.where(expired, valid_from + lapsed_days * DAY,
                            start_s + (self.days + rng.uniform(5, 30, m).round()) * DAY + DAY) - 1
        self.os = dict(veh=permitted, i=i, j=j, x=xo, end=permit_end, tag=tag, hours=hours, expired=expired,
                       gross=gross, valid_from=valid_from, valid_to=valid_to)

    def _setup_watchlist(self) -> None:
        rng = self.rng
        cand = np.concatenate([self.pop.idx(CAR), self.pop.idx(TRUCK)])
        n_w = min(len(cand), max(2, round(self.cfg.watch_per_scale * self.scale)))
        n_dec = max(1, n_w // 3)
        chosen = rng.choice(cand, size=n_w + n_dec, replace=False)
        self.watch_active = chosen[:n_w]
        self.watch_decoy = chosen[n_w:]
        self.travel_p = np.full(self.pop.n, self.cfg.travel_share)
        self.travel_p[self.watch_active] = 0.8
        self.busy = np.full(self.pop.n, -np.inf)  # end of each vehicle's last trip so far
        cars = self.pop.idx(CAR)
        self.commuter = np.zeros(self.pop.n, dtype=bool)
        self.commuter[cars[rng.random(len(cars)) < 0.03]] = True
        k = int(self.commuter.sum())
        self.home_pair = np.full(self.pop.n, -1, dtype=np.int64)
        self.home_pair[self.commuter] = self.pick_pairs(self.ok & (self.D >= 30e3) & (self.D <= 120e3), k, CAR)
        self.home_hour = np.zeros(self.pop.n)
        self.home_hour[self.commuter] = rng.uniform(6.5, 8.5, k) * 3600
        self.travel_p[self.commuter] = 0.9

    def _setup_sources(self) -> None:
        ent = self.ent
        m = ent["kind"] == "loading_source"
        ids, units, key = ent["enterprise_id"][m], ent["unit_code"][m], ent["key_source"][m]
        order = np.lexsort((~key, units))
        self.src_ids, self.src_units, self.src_key = ids[order], units[order].astype(str), key[order].astype(bool)

    def source_of(self, site_idx: np.ndarray) -> np.ndarray:
        """Where an overloaded truck loaded: a registered source in the county of its entry station, a key
        source twice as likely as another; "" where the county has none (loaded somewhere unregistered)."""
        u = self.net.unit_code[site_idx].astype(str)
        lo = np.searchsorted(self.src_units, u, side="left")
        hi = np.searchsorted(self.src_units, u, side="right")
        out = np.full(len(u), "", dtype=object)
        for k in np.flatnonzero(hi > lo):
            ids, key = self.src_ids[lo[k]:hi[k]], self.src_key[lo[k]:hi[k]]
            w = np.where(key, 2.0, 1.0)
            out[k] = ids[int(self.rng.choice(len(ids), p=w / w.sum()))]
        return out

    # -- one day's trips ------------------------------------------------------------------------
    def day_trips(self, d: int) -> dict[str, np.ndarray]:
        rng, S, pop = self.rng, self.S, self.pop
        base = d * DAY
        blocks: list[dict[str, np.ndarray]] = []
        for c in (CAR, TAXI, RIDE, TRUCK, HAZMAT):
            pool = pop.idx(c)
            veh = pool[rng.random(len(pool)) < self.travel_p[pool]]
            n = len(veh)
            pair = rng.choice(S * S, size=n, p=self.od[c])
            prof = TRUCK_PROFILE if c in (TRUCK, HAZMAT) else CAR_PROFILE
            t0 = base + (rng.choice(24, size=n, p=prof / prof.sum()) + rng.random(n)) * 3600
            t0 = np.maximum(t0, self.busy[veh] + 1800.0)  # not before yesterday's last trip ended
            v = self.speed(c, n)
            dwell = rng.uniform(0.5, 6.0, n) * 3600
            ret = rng.random(n) < RETURN_P[c]
            # commuters (decoys for 黑客车): the same OD at a regular hour, back after a working day
            com = self.commuter[veh]
            pair = np.where(com, self.home_pair[veh], pair)
            t0 = np.where(com, base + self.home_hour[veh] + rng.normal(0, 600, n), t0)
            dwell = np.where(com, rng.uniform(8.0, 10.0, n) * 3600, dwell)
            ret |= com
            blocks.append(_trips(n, veh=veh, p1=pair, t0=t0, v=v))
            rp = (pair % S) * S + pair // S
            t_back = t0 + self.D.ravel()[pair] / v + dwell
            blocks.append(_trips(int(ret.sum()), veh=veh[ret], p1=rp[ret], t0=t_back[ret], v=self.speed(c, int(ret.sum()))))
        # buses: whitelisted line, out and back at a regular hour
        go = rng.random(len(self.bus)) < 0.85
        b, bp = self.bus[go], self.bus_pair[go]
        t0 = base + self.bus_hour[go] * 3600 + rng.normal(0, 600, len(b))
        v = self.speed(BUS, len(b))
        blocks.append(_trips(len(b), veh=b, p1=bp, t0=t0, v=v))
        blocks.append(_trips(len(b), veh=b, p1=(bp % S) * S + bp // S,
                             t0=t0 + self.D.ravel()[bp] / v + rng.uniform(1, 2.5, len(b)) * 3600, v=self.speed(BUS, len(b))))
        blocks.extend(self._black_trips(base))
        blocks.extend(self._oversize_trips(d, base))
        trips = _concat(blocks)
        self._loads(trips)
        # a truck turned back at an entry (劝返) makes no later trip that day
        first_refusal = np.full(pop.n, np.inf)
        np.minimum.at(first_refusal, trips["veh"][trips["refused"]], trips["t0"][trips["refused"]])
        keep = trips["t0"] <= first_refusal[trips["veh"]]
        trips = {k: v[keep] for k, v in trips.items()}
        np.maximum.at(self.busy, trips["veh"], trips["t0"] + self.trip_duration(trips))
        np.maximum.at(self.busy, trips["veh"][trips["refused"]], trips["t0"][trips["refused"]] + UNLOAD_S)
        self._weighings(trips, base)
        self._gps_gaps(trips)
        return trips

    def _black_trips(self, base: float) -> list[dict[str, np.ndarray]]:
        rng, S = self.rng, self.S
        out = []
        for h, active in ((self.black_h0, np.ones(len(self.black), dtype=bool)), (self.black_h1, self.black_second)):
            veh, i, j = self.black[active], self.black_home[active], self.black_dest[active]
            n = len(veh)
            t0 = base + h[active] + rng.normal(0, 300, n)
            v = self.speed(BLACK, n)
            p = i * S + j
            arr = t0 + self.D[i, j] / v
            out.append(_trips(n, veh=veh, p1=p, t0=t0, v=v))
            out.append(_trips(n, veh=veh, p1=j * S + i, t0=arr + rng.uniform(15, 40, n) * 60, v=self.speed(BLACK, n)))
        return out

    def _oversize_trips(self, d: int, base: float) -> list[dict[str, np.ndarray]]:
        rng, S, o = self.rng, self.S, self.os
        m = len(o["veh"])
        go = rng.random(m) < 0.5
        if d == 0:
            go |= o["tag"] != TAG_NONE
        v = self.speed(OVERSIZE, m)
        hours = o["hours"]
        # depart at least 30 min into the allowed window (the WIM visit before the entry stays inside it)
        dep = np.select([hours == "22:00-06:00", hours == "20:00-06:00"],
                        [22.5 + rng.uniform(0, 1.0, m), 20.5 + rng.uniform(0, 1.5, m)], default=rng.uniform(6, 16, m))
        off_hours = (o["tag"] == TAG_OFF_WINDOW) & ~o["expired"]
        dep = np.where(off_hours, rng.uniform(10, 14, m), dep)
        p1 = np.where(o["tag"] == TAG_OFF_ROUTE, o["i"] * S + o["x"], o["i"] * S + o["j"])
        p2 = np.where(o["tag"] == TAG_OFF_ROUTE, o["x"] * S + o["j"], -1)
        gross = np.where(o["tag"] == TAG_EXCEEDS, o["gross"] * rng.uniform(1.12, 1.3, m), o["gross"]).astype(np.int64)
        wim = np.where((o["tag"] == TAG_EXCEEDS) | (rng.random(m) < self.cfg.wim_share), 1, -1)
        chk = np.where((o["tag"] == TAG_EXCEEDS) & (rng.random(m) < 0.5), 1, -1)
        idx = np.flatnonzero(go)
        a = _trips(len(idx), veh=o["veh"][idx], p1=p1[idx], p2=p2[idx], t0=base + dep[idx] * 3600, v=v[idx],
                   gross=gross[idx], wim=wim[idx], chk=chk[idx], tag=o["tag"][idx], aux=idx)
        npv = self.noperm
        k = len(npv)
        go2 = rng.random(k) < (1.0 if d == 0 else 0.6)
        pair = self.pick_pairs(self.ok & (self.D >= 40e3), int(go2.sum()))
        b = _trips(int(go2.sum()), veh=npv[go2], p1=pair, t0=base + rng.uniform(5, 20, int(go2.sum())) * 3600,
                   v=self.speed(OVERSIZE, int(go2.sum())), gross=self.noperm_gross[go2], wim=1,
                   tag=np.full(int(go2.sum()), TAG_NO_PERMIT))
        return [a, b]

    def _loads(self, t: dict[str, np.ndarray]) -> None:
        """True gross mass of goods vehicles; overloads, 百吨王, refusals at entry weighing."""
        rng, pop, cfg = self.rng, self.pop, self.cfg
        cat = pop.cat[t["veh"]]
        goods = np.isin(cat, [TRUCK, HAZMAT])
        n = len(cat)
        lim = pop.limit[t["veh"]]
        r = rng.random(n)
        frac = np.where(r < 0.15, rng.uniform(0.3, 0.45, n), rng.uniform(0.55, 0.98, n))
        over = goods & (rng.random(n) < cfg.overload_share)
        frac = np.where(over, 1.0 + rng.uniform(0.03, 0.6, n), frac)
        gross = (lim * frac).astype(np.int64)
        six = np.flatnonzero(goods & (pop.axles[t["veh"]] >= 6) & (cat == TRUCK))
        if len(six):
            k = max(1, int(rng.binomial(len(six), cfg.ton100_share)))
            pick = rng.choice(six, size=min(k, len(six)), replace=False)
            gross[pick] = rng.integers(100000, 125000, len(pick))
        t["gross"] = np.where(goods, gross, t["gross"])
        entry_meas = t["gross"] * (1 + rng.normal(0, cfg.entry_error, n))
        t["refused"] = goods & (entry_meas > lim) & (t["gross"] > lim) & (rng.random(n) < cfg.refuse_share)

    def _weighings(self, t: dict[str, np.ndarray], base: float) -> None:
        rng, net, cfg, S = self.rng, self.net, self.cfg, self.S
        cat = self.pop.cat[t["veh"]]
        n = len(cat)
        goods = np.isin(cat, [TRUCK, HAZMAT, OVERSIZE])
        origin = t["p1"] // S
        wim = np.where(t["wim"] >= 0, True, goods & (cat != OVERSIZE) & (rng.random(n) < cfg.wim_share))
        t["wim"] = np.where(wim & goods, net.near_wim[origin], -1)
        room = np.maximum(t["t0"] - base - 1.0, 0.0)  # weighings stay inside the trip's day
        t["wim_dt"] = -np.minimum(rng.uniform(300, 1500, n), room)
        chk = np.where(t["chk"] >= 0, True, goods & (cat != OVERSIZE) & (rng.random(n) < cfg.check_share))
        t["chk"] = np.where(chk & goods, net.near_check[origin], -1)
        t["chk_dt"] = -np.minimum(rng.uniform(1800, 3600, n), room)

    def _gps_gaps(self, t: dict[str, np.ndarray]) -> None:
        rng, cfg = self.rng, self.cfg
        cat = self.pop.cat[t["veh"]]
        dur = self.trip_duration(t)
        cand = np.isin(cat, [BUS, HAZMAT]) & (dur >= 3000) & ~t["refused"]
        plant = cand & (rng.random(len(cat)) < cfg.gps_off_share)
        idx = np.flatnonzero(cand)
        if len(idx) and not plant.any():
            plant[idx[np.argmax(dur[idx])]] = True
        gs = t["t0"] + dur * rng.uniform(0.2, 0.35, len(cat))
        ge = np.minimum(gs + np.maximum(1200.0, dur * rng.uniform(0.35, 0.5, len(cat))), t["t0"] + dur * 0.85)
        t["gap_s"] = np.where(plant, gs, np.nan)
        t["gap_e"] = np.where(plant, ge, np.nan)

    def trip_duration(self, t: dict[str, np.ndarray]) -> np.ndarray:
        d = self.net.pair_dist_m[t["p1"]] + np.where(t["p2"] >= 0, self.net.pair_dist_m[np.maximum(t["p2"], 0)], 0.0)
        return d / t["v"]


# ----------------------------------------------------------------------------------------------
# explode trips into records
# ----------------------------------------------------------------------------------------------
def explode(net: SimNetwork, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Node rows (trip, site, distance, time, position, last) ordered by trip then distance."""
    p1, p2 = t["p1"], t["p2"]
    L1 = net.pair_len[p1]
    two = (p2 >= 0) & ~t["refused"]
    L2 = np.where(two, net.pair_len[np.maximum(p2, 0)] - 1, 0)
    L = np.where(t["refused"], 1, L1 + L2)
    total = int(L.sum())
    first = np.cumsum(L) - L
    trip = np.repeat(np.arange(len(p1)), L)
    pos = np.arange(total) - np.repeat(first, L)
    flat = np.repeat(net.pair_offsets[p1], L) + pos
    extra = np.zeros(total)
    k = np.flatnonzero(two)
    if len(k):  # second legs (detours): rows first+L1 .. first+L-1 of those trips
        n2 = L2[k]
        r = np.repeat(first[k] + L1[k], n2) + np.arange(int(n2.sum())) - np.repeat(np.cumsum(n2) - n2, n2)
        j = np.repeat(np.arange(len(k)), n2)
        flat[r] = net.pair_offsets[p2[k]][j] + (pos[r] - L1[k][j] + 1)
        extra[r] = net.pair_dist_m[p1[k]][j]
    dist = net.path_dist_m[flat] + extra
    return dict(trip=trip, node=net.path_nodes[flat].astype(np.int64), dist=dist,
                time=np.repeat(t["t0"], L) + dist / np.repeat(t["v"], L), pos=pos, last=pos == np.repeat(L - 1, L))


class _Out:
    """Writes record files by (table, event day) as soon as a day is complete; holds the rest.

    Frames carry a hidden `_arr` column (arrival time, ms) by which each file is ordered."""

    def __init__(self, out: Path, start: date, report: SimReport) -> None:
        self.out, self.start, self.report = out, start, report
        self.frames: dict[tuple[str, int], list[pl.DataFrame]] = {}
        self.evidence: list[pl.DataFrame] = []
        self.complete_upto = -1  # event days up to this one get no more records

    def add(self, table: str, df: pl.DataFrame, t_event: np.ndarray) -> None:
        day = np.floor(t_event / DAY).astype(np.int64)
        for dv in np.unique(day):
            part = df.filter(pl.Series(day == dv)) if (day != dv).any() else df
            self.frames.setdefault((table, int(dv)), []).append(part)
            if dv <= self.complete_upto:
                self.write(table, int(dv))

    def write(self, table: str, dv: int) -> None:
        parts = self.frames.pop((table, dv))  # each part is already ordered by arrival
        df = parts[0]
        for p in parts[1:]:
            df = df.merge_sorted(p, key="_arr")
        df = df.select(RECORD_COLUMNS[table])
        path = self.out / "records" / table / f"{self.start + timedelta(days=dv):%Y-%m-%d}.parquet"
        if path.exists():  # a day is written once; records of a written day would be lost
            raise RuntimeError(f"{path} written twice")
        path.parent.mkdir(parents=True, exist_ok=True)
        df.write_parquet(path, compression="zstd", compression_level=1, statistics=False)
        self.report.records[table] += df.height

    def flush(self) -> None:
        for table, dv in sorted(self.frames):
            self.write(table, dv)


def _pick(values: tuple[str, ...], idx: np.ndarray) -> pl.Series:
    """A string column from a small set of values (avoids numpy string arrays)."""
    return pl.Series(list(values), dtype=pl.String).gather(np.asarray(idx, dtype=np.int64))


def _ts(sec: np.ndarray, epoch_us: int) -> pl.Series:
    us = np.round(sec).astype(np.int64) * 1_000_000 + epoch_us
    return pl.Series(us).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(TZ_NAME)


def _records(w: _World, t: dict[str, np.ndarray], d: int, out: _Out, truth_veh: np.ndarray, epoch_us: int) -> None:
    rng, net, pop, cfg = w.rng, w.net, w.pop, w.cfg
    n_trips = len(t["veh"])
    rows = explode(net, t)
    veh_of_row = t["veh"][rows["trip"]]
    plates = pl.Series(pop.plate)
    colors = pl.Series(COLORS[pop.color].astype(str))
    sites = pl.Series(net.site_id.astype(str))
    tag = f"{(w.start + timedelta(days=d)):%Y%m%d}"
    truth_mask = np.zeros(pop.n, dtype=bool)
    truth_mask[truth_veh] = True

    def read_plates(veh: np.ndarray, camera: np.ndarray, rate_scale: float = 1.0) -> tuple[pl.Series, np.ndarray]:
        s = plates.gather(veh)
        u = rng.random(len(veh))
        mis = camera & (u < cfg.misread_rate * rate_scale)
        empty = camera & ~mis & (u < (cfg.misread_rate + cfg.unread_rate) * rate_scale)
        if mis.any():
            idx = np.flatnonzero(mis)
            s = s.scatter(idx, pl.Series(misread(rng, pop.plate[veh[idx]])))
        if empty.any():
            s = s.scatter(np.flatnonzero(empty), "")
        return s, ~(mis | empty)

    def arrival(t_event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Order of arrival at the centre (event + feed lag) and the sorted arrival times (ms)."""
        arr = np.round((t_event + arrival_lag_s(rng, len(t_event), cfg.lag_median_s, cfg.lag_tail_share)) * 1000)
        order = np.argsort(arr, kind="stable")
        return order, arr[order].astype(np.int64)

    def finish(table: str, cols: dict, t_event: np.ndarray, veh: np.ndarray, ok: np.ndarray, arr: np.ndarray) -> None:
        df = pl.DataFrame(cols).with_columns(_arr=pl.Series(arr), _veh=pl.Series(veh), _ok=pl.Series(ok))
        out.add(table, df, t_event)
        ev = truth_mask[veh] & ok
        if ev.any():
            out.evidence.append(pl.DataFrame({"veh": veh[ev], "t": np.round(t_event[ev]), }).with_columns(table=pl.lit(table)))

    def rid(prefix: str, seq: np.ndarray) -> pl.Series:
        return pl.DataFrame({"i": seq}).select(
            pl.concat_str([pl.lit(f"{prefix}{tag}"), pl.col("i").cast(pl.String).str.zfill(9)])).to_series()

    # gantry passes
    g = net.is_gantry[rows["node"]] & (rng.random(len(rows["node"])) >= cfg.miss_rate)
    gi = np.flatnonzero(g)
    seq, arr = arrival(rows["time"][gi])
    gi = gi[seq]
    veh = veh_of_row[gi]
    obu = pop.obu[veh]
    plate, ok = read_plates(veh, ~obu)
    goods_or_bus = pop.vclass[veh] >= 3
    finish("gantry_pass", {
        "record_id": rid("GP", seq), "gantry_id": sites.gather(rows["node"][gi]),
        "pass_time": _ts(rows["time"][gi], epoch_us), "plate": plate, "plate_color": colors.gather(veh),
        "vehicle_class": pop.vclass[veh], "axle_count": pl.Series(pop.axles[veh]).set(pl.Series(~goods_or_bus & ~obu & (rng.random(len(veh)) < 0.2)), None),
        "direction": net.direction[rows["node"][gi]].astype(np.int64),
        "media": _pick(("cpc", "obu"), obu),
    }, rows["time"][gi], veh, ok, arr)

    # toll entries and exits
    ent = np.flatnonzero(rows["pos"] == 0)
    ext = np.flatnonzero(rows["last"] & ~t["refused"][rows["trip"]])
    ent_trip = rows["trip"][ent]
    entry_site = np.full(n_trips, -1)
    entry_site[ent_trip] = rows["node"][ent]
    ti = np.concatenate([ent, ext])
    seq, arr = arrival(rows["time"][ti])
    ti = ti[seq]
    tt = rows["trip"][ti]
    veh = t["veh"][tt]
    is_entry = seq < len(ent)
    obu = pop.obu[veh]
    plate, ok = read_plates(veh, ~obu, 0.25)
    goods = np.isin(pop.cat[veh], [TRUCK, HAZMAT, OVERSIZE])
    weigh = (t["gross"][tt] * (1 + rng.normal(0, cfg.entry_error, len(tt))) / 10).round().astype(np.int64) * 10
    lane_no = rng.integers(1, 6, len(ti))
    lane = pl.concat_str([_pick(("MTC", "ETC"), obu), pl.Series(lane_no).cast(pl.String).str.zfill(2)])
    finish("toll_txn", {
        "record_id": rid("TX", seq), "station_id": sites.gather(rows["node"][ti]),
        "lane": pl.select(lane).to_series(), "event": _pick(("exit", "entry"), is_entry),
        "event_time": _ts(rows["time"][ti], epoch_us), "plate": plate, "plate_color": colors.gather(veh),
        "vehicle_class": pop.vclass[veh], "axle_count": pop.axles[veh],
        "gross_weight_kg": pl.Series(weigh).set(pl.Series(~(is_entry & goods)), None),
        "entry_station_id": sites.gather(np.maximum(entry_site[tt], 0)).set(pl.Series(is_entry), None),
        "entry_time": _ts(t["t0"][tt], epoch_us).set(pl.Series(is_entry), None),
    }, rows["time"][ti], veh, ok, arr)

    # WIM on the feeder road before the entry
    wi = np.flatnonzero(t["wim"] >= 0)
    if len(wi):
        seq, arr = arrival(t["t0"][wi] + t["wim_dt"][wi])
        wi = wi[seq]
        veh = t["veh"][wi]
        n = len(wi)
        axles = pop.axles[veh]
        gross = np.round(t["gross"][wi] * (1 + rng.normal(0, cfg.wim_error, n)) / 10).astype(np.int64) * 10
        share = np.where(np.arange(6)[None, :] < axles[:, None], rng.uniform(0.9, 1.1, (n, 6)), 0.0)
        share[:, 0] *= 0.7
        share /= share.sum(axis=1, keepdims=True)
        aw = np.round(share * gross[:, None] / 10).astype(np.int64) * 10
        aw[np.arange(n), axles - 1] += gross - aw.sum(axis=1)
        tw = t["t0"][wi] + t["wim_dt"][wi]
        plate, ok = read_plates(veh, np.ones(n, dtype=bool))
        ids = rid("WM", seq)
        kinds = _pick(tuple(KINDS), pop.kind[veh])
        wdf = pl.DataFrame({"w": aw, "a": axles, "id": ids})
        finish("wim", {
            "record_id": ids, "site_id": sites.gather(t["wim"][wi]), "measured_at": _ts(tw, epoch_us),
            "plate": plate, "plate_color": colors.gather(veh), "axle_count": axles, "vehicle_kind": kinds,
            "single_drive_axle": pl.Series(pop.single_drive[veh]).set(pl.Series(pop.kind[veh] == 1), None),
            "single_tyre_axles": pop.single_tyre[veh], "gross_weight_kg": gross,
            "axle_weights_kg": wdf.select(pl.concat_str([pl.lit("["), pl.col("w").arr.to_list().list.head(pl.col("a"))
                                                          .list.eval(pl.element().cast(pl.String)).list.join(","), pl.lit("]")])).to_series(),
            "speed_kmh": np.round(rng.uniform(35, 75, n), 1),
            "length_mm": pop.length[veh] + np.round(rng.normal(0, 40, n)).astype(np.int64),
            "width_mm": pop.width[veh] + np.round(rng.normal(0, 8, n)).astype(np.int64),
            "height_mm": pop.height[veh] + np.round(rng.normal(0, 15, n)).astype(np.int64),
            "lane": pl.Series(rng.integers(1, 4, n)).cast(pl.String),
            "evidence": wdf.select(pl.concat_str([pl.lit('["'), pl.col("id"), pl.lit('_1.jpg","'), pl.col("id"),
                                                  pl.lit('_2.jpg","'), pl.col("id"), pl.lit('.mp4"]')])).to_series(),
        }, tw, veh, ok, arr)

    # check-station static weighing
    ci = np.flatnonzero(t["chk"] >= 0)
    if len(ci):
        seq, arr = arrival(t["t0"][ci] + t["chk_dt"][ci])
        ci = ci[seq]
        veh = t["veh"][ci]
        n = len(ci)
        tc = t["t0"][ci] + t["chk_dt"][ci]
        finish("static_weigh", {
            "record_id": rid("SW", seq), "station_id": sites.gather(t["chk"][ci]), "measured_at": _ts(tc, epoch_us),
            "plate": pop.plate[veh].astype(str), "plate_color": colors.gather(veh), "axle_count": pop.axles[veh],
            "vehicle_kind": _pick(tuple(KINDS), pop.kind[veh]),
            "gross_weight_kg": np.round(t["gross"][ci] * (1 + rng.normal(0, 0.003, n)) / 10).astype(np.int64) * 10,
            "length_mm": pop.length[veh] + rng.integers(-10, 10, n), "width_mm": pop.width[veh] + rng.integers(-5, 5, n),
            "height_mm": pop.height[veh] + rng.integers(-5, 5, n),
            "officer_id": np.char.add(np.char.add("O", net.unit_code[t["chk"][ci]].astype(str)),
                                      np.char.mod("%03d", rng.integers(1, 40, n))),
        }, tc, veh, np.ones(n, dtype=bool), arr)

    # GPS points of key vehicles (两客一危) every 30–60 s while moving
    key_trip = np.isin(pop.cat[t["veh"]], [BUS, HAZMAT]) & ~t["refused"]
    kt = np.flatnonzero(key_trip)
    if len(kt):
        dur = w.trip_duration(t)[kt]
        step = rng.uniform(30, 60, len(kt))
        cnt = (dur // step).astype(np.int64) + 1
        tr = np.repeat(kt, cnt)
        j = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        ts = t["t0"][tr] + j * np.repeat(step, cnt)
        keep = ~((ts >= t["gap_s"][tr]) & (ts <= t["gap_e"][tr]))
        tr, ts = tr[keep], ts[keep]
        seq, arr = arrival(ts)
        tr, ts = tr[seq], ts[seq]
        s = (ts - t["t0"][tr]) * t["v"][tr]
        krow = np.flatnonzero(key_trip[rows["trip"]])
        nkey = rows["trip"][krow] * 4e6 + rows["dist"][krow]
        a = np.clip(np.searchsorted(nkey, tr * 4e6 + s, side="right") - 1, 0, len(krow) - 1)
        b = np.minimum(a + 1, len(krow) - 1)
        b = np.where(rows["trip"][krow[b]] == tr, b, a)
        da, db = rows["dist"][krow[a]], rows["dist"][krow[b]]
        f = np.clip(np.where(db > da, (s - da) / np.where(db > da, db - da, 1.0), 0.0), 0, 1)
        na, nb = rows["node"][krow[a]], rows["node"][krow[b]]
        lon = net.lon[na] + (net.lon[nb] - net.lon[na]) * f + rng.normal(0, 2e-5, len(f))
        lat = net.lat[na] + (net.lat[nb] - net.lat[na]) * f + rng.normal(0, 2e-5, len(f))
        veh = t["veh"][tr]
        finish("gps_point", {
            "plate": plates.gather(veh), "plate_color": colors.gather(veh), "ts": _ts(ts, epoch_us),
            "lon": np.round(lon, 6), "lat": np.round(lat, 6),
            "speed_kmh": np.round(np.maximum(0.0, t["v"][tr] * 3.6 + rng.normal(0, 3, len(tr))), 1),
        }, ts, veh, np.ones(len(tr), dtype=bool), arr)


# ----------------------------------------------------------------------------------------------
# truth
# ----------------------------------------------------------------------------------------------
def _day_truth(w: _World, t: dict[str, np.ndarray], d: int) -> pl.DataFrame:
    pop, net, S = w.pop, w.net, w.S
    veh = t["veh"]
    dur = w.trip_duration(t)
    first = np.minimum(t["t0"], np.minimum(np.where(t["wim"] >= 0, t["t0"] + t["wim_dt"], np.inf),
                                           np.where(t["chk"] >= 0, t["t0"] + t["chk_dt"], np.inf)))
    last = np.where(t["refused"], t["t0"], t["t0"] + dur)
    frames = []
    cat = pop.cat[veh]
    # an oversize transport whose permit has expired travels without a valid permit: over the mass limit it
    # is illegal over-limit transport like any truck (Order 62, rules.md §2.3), so it is overload truth too
    lapsed = np.zeros(len(veh), dtype=bool)
    ow = (t["tag"] == TAG_OFF_WINDOW) & (t["aux"] >= 0)
    lapsed[ow] = w.os["expired"][t["aux"][ow]]
    goods = np.isin(cat, [TRUCK, HAZMAT]) | lapsed
    over = np.flatnonzero(goods & (t["gross"] > pop.limit[veh]))
    if len(over):
        src = w.source_of(net.stations[t["p1"][over] // S])
        det = pl.DataFrame({
            "gross_kg": t["gross"][over], "limit_kg": pop.limit[veh[over]], "axle_count": pop.axles[veh[over]],
            "vehicle_kind": KINDS[pop.kind[veh[over]]].astype(str), "refused_at_entry": t["refused"][over],
            "entry_station_id": net.site_id[net.stations[t["p1"][over] // S]].astype(str),
            "loading_source_id": src.astype(str),
        }).select(pl.struct(pl.all()).struct.json_encode()).to_series()
        base = pl.DataFrame({"veh": veh[over], "start_s": first[over], "end_s": last[over], "detail": det})
        frames.append(base.with_columns(kind=pl.lit("overload")))
        big = t["gross"][over] >= 100000
        frames.append(base.filter(pl.Series(big)).with_columns(kind=pl.lit("overload_100t")))
    gi = np.flatnonzero(np.isfinite(t["gap_s"]))
    if len(gi):
        det = pl.DataFrame({"trip_start": w.iso(t["t0"][gi]), "trip_end": w.iso(t["t0"][gi] + dur[gi]),
                            "category": np.where(cat[gi] == BUS, "bus", "hazmat")}
                           ).select(pl.struct(pl.all()).struct.json_encode()).to_series()
        frames.append(pl.DataFrame({"veh": veh[gi], "start_s": t["t0"][gi] * 0 + t["gap_s"][gi], "end_s": t["gap_e"][gi],
                                    "detail": det, "kind": ["gps_off"] * len(gi)}))
    oi = np.flatnonzero(t["tag"] != TAG_NONE)
    if len(oi):
        o = w.os
        aux = t["aux"][oi]
        has = aux >= 0
        permit = np.where(has, np.char.add("DJ", np.char.mod("%07d", np.maximum(aux, 0))), "")
        kinds = np.array([TAG_KIND.get(int(k), "") for k in range(6)], dtype=object)[t["tag"][oi]]
        reason = np.where(t["tag"][oi] == TAG_OFF_WINDOW,
                          np.where(has & o["expired"][np.maximum(aux, 0)], "expired", "outside_allowed_hours"), "")
        det = pl.DataFrame({"permit_no": permit.astype(str), "true_gross_kg": t["gross"][oi],
                            "permit_gross_kg": np.where(has, o["gross"][np.maximum(aux, 0)], 0),
                            "width_mm": pop.width[veh[oi]], "height_mm": pop.height[veh[oi]], "length_mm": pop.length[veh[oi]],
                            "reason": reason.astype(str)}).select(pl.struct(pl.all()).struct.json_encode()).to_series()
        frames.append(pl.DataFrame({"veh": veh[oi], "start_s": first[oi], "end_s": last[oi], "detail": det,
                                    "kind": kinds.astype(str)}))
    # watch-listed vehicles that travel today: one row per vehicle and day
    wm = np.isin(veh, w.watch_active)
    if wm.any():
        g = (pl.DataFrame({"veh": veh[wm], "s": first[wm], "e": last[wm]}).group_by("veh")
             .agg(pl.col("s").min(), pl.col("e").max()).sort("veh"))
        frames.append(pl.DataFrame({"veh": g["veh"], "start_s": g["s"], "end_s": g["e"],
                                    "detail": [json.dumps({"day": str(w.start + timedelta(days=d))})] * g.height,
                                    "kind": ["watchlisted"] * g.height}))
    cols = ["kind", "veh", "start_s", "end_s", "detail"]
    if not frames:
        return pl.DataFrame(schema={"kind": pl.String, "veh": pl.Int64, "start_s": pl.Float64, "end_s": pl.Float64,
                                    "detail": pl.String})
    return pl.concat([f.select(cols).cast({"veh": pl.Int64, "start_s": pl.Float64, "end_s": pl.Float64}) for f in frames])


def _black_truth(w: _World, trips_all: list[pl.DataFrame]) -> pl.DataFrame:
    if not trips_all:
        return pl.DataFrame()
    df = pl.concat(trips_all).filter(pl.col("veh").is_in(pl.Series(w.black).implode()))
    g = df.group_by("veh").agg(pl.col("s").min(), pl.col("e").max(), pl.len().alias("trips")).sort("veh")
    vi = np.searchsorted(w.black, g["veh"].to_numpy())
    det = pl.DataFrame({
        "route_from": w.net.site_id[w.net.stations[w.black_home[vi]]].astype(str),
        "route_to": w.net.site_id[w.net.stations[w.black_dest[vi]]].astype(str),
        "trips": g["trips"], "registered_use": ["non_operating"] * g.height,
    }).select(pl.struct(pl.all()).struct.json_encode()).to_series()
    return pl.DataFrame({"kind": ["illegal_passenger"] * g.height, "veh": g["veh"], "start_s": g["s"], "end_s": g["e"],
                         "detail": det})


# ----------------------------------------------------------------------------------------------
# registries
# ----------------------------------------------------------------------------------------------
def _registries(w: _World) -> dict[str, pl.DataFrame]:
    pop, net, rng, o = w.pop, w.net, w.rng, w.os
    S = w.S
    color = COLORS[pop.color].astype(str)
    vehicles = pl.DataFrame({
        "plate": pop.plate.astype(str), "plate_color": color, "vehicle_class": pop.vclass, "axle_count": pop.axles,
        "vehicle_kind": KINDS[pop.kind].astype(str), "owner_name": pop.owner.astype(str),
        "owner_kind": np.where(pop.enterprise != "", "enterprise", "person"), "enterprise_id": pop.enterprise.astype(str),
        "use": np.where(pop.operating, "operating", "non_operating"), "transport_permit_no": pop.permit_no.astype(str),
        "registered_unit_code": pop.unit.astype(str),
        # technical parameters of goods vehicles: drive axles of combinations, single-tyre axles
        "single_drive_axle": pl.Series(pop.single_drive).set(pl.Series(~np.isin(pop.kind, [2, 3])), None),
        "single_tyre_axles": pl.Series(pop.single_tyre).set(pl.Series(pop.kind == 0), None),
    })
    ent = pl.DataFrame({k: (v.astype(str) if v.dtype == object else v) for k, v in w.ent.items()})
    staffed = np.flatnonzero(np.isin(pop.cat, [TRUCK, HAZMAT, BUS, OVERSIZE, TAXI]) & (pop.enterprise != ""))
    n = len(staffed)
    from zhifa.sim.population import _names
    drivers = pl.DataFrame({
        "driver_id": np.char.mod("D%08d", np.arange(n)), "name": _names(rng, n).astype(str),
        "qualification_no": np.char.add("41", np.char.mod("%016d", rng.integers(0, 10**16, n))),
        "enterprise_id": pop.enterprise[staffed].astype(str),
    })
    st = net.site_id[net.stations].astype(str)
    b = w.bus
    wl = pl.DataFrame({
        "plate": pop.plate[b].astype(str), "plate_color": color[b], "enterprise_id": pop.enterprise[b].astype(str),
        "route_from": st[w.bus_pair // S], "route_to": st[w.bus_pair % S],
        "valid_from": w.iso(np.full(len(b), -365 * DAY)), "valid_to": w.iso(np.full(len(b), 730 * DAY - 1)),
    })
    m = len(o["veh"])
    p = o["i"] * S + o["end"]
    lens = net.pair_len[p]
    flat = np.repeat(net.pair_offsets[p], lens) + np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
    route = (pl.DataFrame({"k": np.repeat(np.arange(m), lens), "s": net.site_id[net.path_nodes[flat]].astype(str)})
             .group_by("k", maintain_order=True).agg(pl.col("s")).sort("k")
             .select(pl.col("s").list.eval(pl.lit('"') + pl.element() + pl.lit('"')).list.join(",")).to_series())
    ov = o["veh"]
    L, W, H, G = pop.length[ov], pop.width[ov], pop.height[ov], o["gross"]
    cls = np.where((H <= 4200) & (W <= 3000) & (L <= 20000) & (G <= pop.limit[ov]), 1,
                   np.where((H <= 4500) & (W <= 3750) & (L <= 28000) & (G <= 100000), 2, 3))
    permits = pl.DataFrame({
        "permit_no": np.char.add("DJ", np.char.mod("%07d", np.arange(m))), "class": cls,
        "plate": pop.plate[ov].astype(str), "plate_color": color[ov],
        "trailer_plate": [""] * m,
        "enterprise_id": pop.enterprise[ov].astype(str), "cargo": CARGO[rng.integers(0, len(CARGO), m)].astype(str),
        "length_mm": L, "width_mm": W, "height_mm": H, "gross_weight_kg": G, "axle_count": pop.axles[ov],
        "route": "[" + route + "]",
        "valid_from": w.iso(o["valid_from"]), "valid_to": w.iso(o["valid_to"]), "allowed_hours": o["hours"].astype(str),
    })
    trailer = pl.Series(pop.plate[ov].astype(str)).str.slice(0, 2) + pl.Series(
        np.char.mod("%04d", rng.integers(0, 10**4, m))) + "挂"
    permits = permits.with_columns(trailer_plate=trailer)
    wa, wd = w.watch_active, w.watch_decoy
    nw, nd = len(wa), len(wd)
    allw = np.concatenate([wa, wd])
    units = np.array([c[1] for c in CITIES])
    vf = -rng.uniform(1, 30, nw + nd).round() * DAY
    # an expired entry ended before the run, but after it began (valid_to ≥ valid_from)
    expired_to = vf + rng.uniform(0.2, 0.9, nw + nd) * -vf
    vt = np.where(np.arange(nw + nd) < nw, (w.days + 30) * DAY - 1, expired_to.round())
    status = np.where(np.arange(nw + nd) < nw, "active", np.where(rng.random(nw + nd) < 0.5, "expired", "cancelled"))
    vt = np.where(status == "cancelled", (w.days + 30) * DAY - 1, vt)
    watch = pl.DataFrame({
        "entry_id": np.char.mod("BK%06d", np.arange(nw + nd)), "plate": pop.plate[allw].astype(str),
        "plate_color": color[allw], "reason": WATCH_REASONS[rng.integers(0, len(WATCH_REASONS), nw + nd)].astype(str),
        "source": np.array(["manual", "detector", "forwarded"])[rng.integers(0, 3, nw + nd)],
        "issued_by_unit": units[rng.integers(0, len(units), nw + nd)], "priority": rng.integers(1, 4, nw + nd),
        "valid_from": w.iso(vf), "valid_to": w.iso(vt), "status": status,
    })
    regs = {"vehicles": vehicles, "enterprises": ent, "drivers": drivers, "passenger_whitelist": wl,
            "oversize_permits": permits, "watchlist": watch}
    return {k: v.select(REGISTRY_COLUMNS[k]) for k, v in regs.items()}


# ----------------------------------------------------------------------------------------------
# the entry point
# ----------------------------------------------------------------------------------------------
def simulate(*, days: int, scale: float, seed: int, out_dir: Path | str, start: date = date(2022, 3, 1),
             config: SimConfig | None = None, network: RawNetwork | None = None,
             progress: Progress | None = None) -> SimReport:
    """Simulate `days` days from `start` at `scale` (1.0 ≈ 15 M gantry passes a day) into `out_dir`.

    Same arguments → byte-identical files. Existing `registries/`, `records/` and truth files under
    `out_dir` are replaced."""
    t_start = time.perf_counter()
    cfg = config or SimConfig()
    out = Path(out_dir)
    rng = np.random.default_rng(seed)
    say = progress or (lambda step, done, total: None)
    say("network", 0, days + 2)
    net = SimNetwork(network or load_network())
    w = _World(net, cfg, scale, days, start, rng)
    report = SimReport(out_dir=out, days=days, scale=scale, seed=seed, network_source=net.source)
    for sub in ("registries", "records"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "registries").mkdir(parents=True, exist_ok=True)
    regs = _registries(w)
    for name, df in regs.items():
        df.write_csv(out / "registries" / f"{name}.csv")
        report.registries[name] = df.height
    say("registries", 1, days + 2)

    epoch_us = int(datetime(start.year, start.month, start.day, tzinfo=_tz()).timestamp()) * 1_000_000
    planted = np.concatenate([w.black, w.os["veh"], w.noperm, w.watch_active])
    sink = _Out(out, start, report)
    truth_parts: list[pl.DataFrame] = []
    black_spans: list[pl.DataFrame] = []
    report.records = {k: 0 for k in RECORD_COLUMNS}
    for d in range(days):
        t = w.day_trips(d)
        tr = _day_truth(w, t, d)
        truth_parts.append(tr)
        bm = np.isin(t["veh"], w.black)
        dur = w.trip_duration(t)
        black_spans.append(pl.DataFrame({"veh": t["veh"][bm], "s": t["t0"][bm], "e": t["t0"][bm] + dur[bm]}))
        truth_veh = np.unique(np.concatenate([planted, tr["veh"].to_numpy()]))
        sink.complete_upto = d  # trips of later days start after this day (weighings clamped)
        _records(w, t, d, sink, truth_veh, epoch_us)
        say(f"day {start + timedelta(days=d)}", d + 2, days + 2)
    sink.flush()
    truth = pl.concat([p for p in truth_parts if p.height] + [_black_truth(w, black_spans)], how="vertical_relaxed")
    truth = _observable(truth, sink.evidence, report)
    truth = truth.with_columns(plate=pl.Series(w.pop.plate.astype(str)).gather(truth["veh"]),
                               plate_color=pl.Series(COLORS[w.pop.color].astype(str)).gather(truth["veh"]),
                               start=_ts(truth["start_s"].to_numpy(), epoch_us), end=_ts(truth["end_s"].to_numpy(), epoch_us))
    truth = truth.sort(["kind", "start", "plate", "plate_color"], maintain_order=True).select(TRUTH_COLUMNS)
    truth.write_parquet(out / "truth.parquet", compression="zstd")
    truth.with_columns(pl.col("start", "end").dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")).write_csv(out / "truth.csv")
    report.truth = {k: int(v) for k, v in truth.group_by("kind").len().sort("kind").iter_rows()}
    report.seconds = time.perf_counter() - t_start
    return report


def _tz():  # noqa: ANN202
    from zhifa.shared.clock import TZ
    return TZ


def _observable(truth: pl.DataFrame, evidence: list[pl.DataFrame], report: SimReport) -> pl.DataFrame:
    """Keep truth rows with at least one correctly-read record of the vehicle inside [start, end]
    (GPS points do not count for gps_off, whose evidence is the gantry passes in the gap)."""
    truth = truth.with_row_index("_row")
    if not evidence:
        report.truth_dropped = truth.height
        return truth.head(0).drop("_row")
    ev = pl.concat(evidence)
    hit = (truth.select("_row", "veh", "kind", "start_s", "end_s").join(ev, on="veh")
           .filter((pl.col("t") >= pl.col("start_s").floor()) & (pl.col("t") <= pl.col("end_s").ceil())
                   & ~((pl.col("kind") == "gps_off") & (pl.col("table") == "gps_point")))
           .select("_row").unique())
    kept = truth.join(hit, on="_row", how="semi").sort("_row")
    report.truth_dropped = truth.height - kept.height
    return kept.drop("_row")
