"""The vehicle population and the enterprises, drivers, whitelist and watch-list around it.

Everything is built as whole arrays. Gross-mass limits follow rules.md §1.1/§1.3 (Order 62 Art. 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhifa.sim.model import BLACK, BUS, CAR, HAZMAT, OVERSIZE, RIDE, TAXI, TRUCK, SimConfig
from zhifa.sim.network import CITIES, SimNetwork
from zhifa.sim.noise import make_plates, plate_key

COLORS = np.array(["blue", "yellow", "black", "white", "green", "yellow_green", "blue_white"], dtype=object)
BLUE, YELLOW, GREEN = 0, 1, 4
KINDS = np.array(["", "rigid", "tractor_semitrailer", "full_trailer"], dtype=object)
OTHER_PROVINCES = np.array(list("冀晋鲁皖鄂陕苏浙京川"))
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"))
PLATFORMS = ("滴滴出行", "曹操出行", "T3出行", "美团打车", "花小猪打车")
SOURCE_TYPES = ("煤场", "钢材市场", "水泥厂", "砂石料场", "物流园")


def gross_limit_kg(axles: np.ndarray, kind: np.ndarray, single_drive: np.ndarray, single_tyre: np.ndarray) -> np.ndarray:
    """Gross-mass limit (kg), Order 62 Art. 3 ¶1 items 4–8 and ¶2 item 2 (rules.md §1.1, §1.3).

    `kind`: 1 rigid, 2 tractor_semitrailer, 3 full_trailer; combinations are 2 and 3."""
    comb = kind >= 2
    lim = np.select(
        [axles <= 2, (axles == 3) & ~comb, axles == 3, (axles == 4) & ~comb, axles == 4, axles == 5],
        [18000, 25000, 27000, 31000, 36000, 43000],
        default=np.where(single_drive, 46000, 49000),
    )
    return (lim - 3000 * single_tyre).astype(np.int64)


@dataclass
class Population:
    n: int
    cat: np.ndarray
    plate: np.ndarray  # '<U8'
    color: np.ndarray  # index into COLORS
    vclass: np.ndarray
    axles: np.ndarray
    kind: np.ndarray  # index into KINDS (0 = not a goods vehicle)
    single_drive: np.ndarray  # bool
    single_tyre: np.ndarray  # int
    length: np.ndarray
    width: np.ndarray
    height: np.ndarray
    obu: np.ndarray  # bool
    unit: np.ndarray  # registered unit code (object)
    enterprise: np.ndarray  # enterprise id or "" (object)
    operating: np.ndarray  # bool
    permit_no: np.ndarray  # transport permit no (object)
    owner: np.ndarray  # owner name (object)
    limit: np.ndarray  # gross limit kg (0 for non-goods)

    def idx(self, cat: int) -> np.ndarray:
        return np.flatnonzero(self.cat == cat)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    a = SURNAMES[rng.integers(0, len(SURNAMES), n)]
    b = GIVEN[rng.integers(0, len(GIVEN), n)]
    c = np.where(rng.random(n) < 0.6, GIVEN[rng.integers(0, len(GIVEN), n)], "")
    return np.char.add(np.char.add(a, b), c).astype(object)


def _ids(prefix: str, n: int, start: int = 0, width: int = 6) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + n)], dtype=object)


def build_enterprises(rng: np.random.Generator, sizes: dict[str, int],
                      source_units: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Enterprises by kind, at a city unit; loading sources sit in one of `source_units` (counties) when
    given, and some of them are key sources."""
    units = np.array([c[1] for c in CITIES], dtype=object)
    city_names = np.array([c[0] for c in CITIES], dtype=object)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("enterprise_id", "name", "kind", "unit_code", "licence_no", "key_source")}
    label = {"transport": ("T", "物流运输有限公司"), "passenger": ("P", "客运有限公司"), "hazmat": ("H", "危险货物运输有限公司"),
             "loading_source": ("L", ""), "ride_hailing_platform": ("R", ""), "repair": ("X", "汽车维修有限公司")}
    for kind, n in sizes.items():
        pfx, suffix = label[kind]
        u = rng.integers(0, len(units), n)
        ids = _ids(f"E{pfx}", n)
        if kind == "ride_hailing_platform":
            names = np.array([PLATFORMS[i % len(PLATFORMS)] for i in range(n)], dtype=object)
            u = np.zeros(n, dtype=np.int64)
        elif kind == "loading_source":
            t = np.array(SOURCE_TYPES, dtype=object)[rng.integers(0, len(SOURCE_TYPES), n)]
            names = city_names[u] + _names(rng, n) + t + np.char.mod("%03d", np.arange(n)).astype(object)
        else:
            names = city_names[u] + _names(rng, n) + np.array([suffix] * n, dtype=object)
        unit_col = units[u]
        if kind == "loading_source" and source_units is not None and len(source_units):
            unit_col = np.asarray(source_units, dtype=object)[rng.integers(0, len(source_units), n)]
            names = _names(rng, n) + t + np.char.mod("%03d", np.arange(n)).astype(object)
        cols["enterprise_id"].append(ids)
        cols["name"].append(names)
        cols["kind"].append(np.array([kind] * n, dtype=object))
        cols["unit_code"].append(unit_col)
        cols["licence_no"].append(np.char.add("豫交运管许可", np.char.mod("%09d", rng.integers(0, 10**9, n))).astype(object))
        cols["key_source"].append((rng.random(n) < 0.3) if kind == "loading_source" else np.zeros(n, dtype=bool))
    return {k: np.concatenate(v) for k, v in cols.items()}


def build_population(rng: np.random.Generator, net: SimNetwork, cfg: SimConfig, pools: dict[int, int],
                     ent: dict[str, np.ndarray]) -> Population:
    cats = np.concatenate([np.full(n, c, dtype=np.int8) for c, n in sorted(pools.items())])
    n = len(cats)
    city = rng.integers(0, len(CITIES), n)
    units = np.array([c[1] for c in CITIES], dtype=object)
    letters = np.array([c[2] for c in CITIES])
    office = letters[city]
    out_prov = rng.random(n) < np.where(cats == BLACK, 0.3, np.where(np.isin(cats, [TRUCK, OVERSIZE]), 0.15, 0.06))
    province = np.where(out_prov, OTHER_PROVINCES[rng.integers(0, len(OTHER_PROVINCES), n)], "豫")
    office = np.where(out_prov, np.array(list("ABCDEFGH"))[rng.integers(0, 8, n)], office)
    is_car = np.isin(cats, [CAR, TAXI, RIDE])
    nev = is_car & (rng.random(n) < np.where(cats == CAR, 0.12, 0.35))
    color = np.where(nev, GREEN, np.where(np.isin(cats, [BUS, TRUCK, HAZMAT, OVERSIZE]), YELLOW, BLUE))
    plate = make_plates(rng, province, office, nev)
    # identity (plate, colour) must be unique: redraw duplicates (a handful of passes at most)
    for _ in range(50):
        _, first = np.unique(plate_key(plate, color), return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        plate[dup] = make_plates(rng, province[dup], office[dup], nev[dup])

    goods = np.isin(cats, [TRUCK, HAZMAT, OVERSIZE])
    axles = np.full(n, 2, dtype=np.int64)
    axles[goods] = rng.choice([2, 3, 4, 5, 6], size=int(goods.sum()), p=[0.30, 0.10, 0.10, 0.10, 0.40])
    axles[cats == HAZMAT] = rng.choice([3, 5, 6], size=int((cats == HAZMAT).sum()), p=[0.2, 0.3, 0.5])
    axles[cats == OVERSIZE] = 6
    bus_big = (cats == BUS) & (rng.random(n) < 0.3)
    axles[bus_big] = 3
    r = rng.random(n)
    kind = np.zeros(n, dtype=np.int8)
    kind[goods] = 1
    kind[goods & (axles == 3) & (r < 0.3)] = 2
    kind[goods & (axles == 4) & (r < 0.4)] = 2
    kind[goods & (axles == 4) & (r >= 0.9)] = 3
    kind[goods & (axles >= 5)] = np.where(r[goods & (axles >= 5)] < 0.88, 2, 3)
    kind[cats == OVERSIZE] = 2
    single_drive = goods & (kind == 2) & (axles >= 6) & (rng.random(n) < 0.3)
    single_tyre = (goods & (rng.random(n) < 0.03)).astype(np.int64)
    limit = np.where(goods, gross_limit_kg(axles, kind, single_drive, single_tyre), 0)

    vclass = np.ones(n, dtype=np.int64)
    vclass[cats == BUS] = np.where(bus_big[cats == BUS], 4, 3)
    vclass[cats == BLACK] = np.where(rng.random(int((cats == BLACK).sum())) < 0.8, 1, 2)
    vclass[goods] = 10 + axles[goods]

    length = np.select([is_car | (cats == BLACK), cats == BUS, goods & (axles == 2), goods & (axles <= 4), goods],
                       [4700, 12000, 9000, 12000, 16500], default=4700) + rng.integers(-300, 300, n)
    width = np.select([is_car | (cats == BLACK), cats == BUS, goods], [1850, 2500, 2490], default=1850) + rng.integers(0, 50, n)
    height = np.select([is_car | (cats == BLACK), cats == BUS, goods], [1500, 3600, 3500], default=1500) + rng.integers(0, 400, n)
    width = np.where(goods, np.minimum(width, 2540), width)
    height = np.where(goods | (cats == BUS), np.minimum(height, 3980), height)

    # enterprises
    ent_id, ent_kind = ent["enterprise_id"], ent["kind"]

    def pick(kind_name: str, mask: np.ndarray) -> np.ndarray:
        pool = ent_id[ent_kind == kind_name]
        out = np.full(n, "", dtype=object)
        if len(pool):
            out[mask] = pool[rng.integers(0, len(pool), int(mask.sum()))]
        return out

    enterprise = np.full(n, "", dtype=object)
    own_ent = (cats == TRUCK) & (rng.random(n) < 0.7)
    for kind_name, mask in (("transport", own_ent | (cats == OVERSIZE)), ("passenger", (cats == BUS) | (cats == TAXI)),
                            ("hazmat", cats == HAZMAT), ("ride_hailing_platform", cats == RIDE)):
        e = pick(kind_name, mask)
        enterprise[mask] = e[mask]
    illegal_ride = (cats == RIDE) & (rng.random(n) < 0.3)  # 黑网约车: on a platform, no permit
    operating = np.isin(cats, [TAXI, RIDE, BUS, TRUCK, HAZMAT, OVERSIZE]) & ~illegal_ride
    permit_no = np.where(operating, np.char.add("豫", np.char.mod("%012d", rng.integers(0, 10**12, n))).astype(object), "")
    owner = _names(rng, n)
    owner = np.where(enterprise != "", enterprise, owner)
    obu = rng.random(n) >= cfg.cpc_share
    return Population(n=n, cat=cats, plate=plate, color=color.astype(np.int64), vclass=vclass, axles=axles,
                      kind=kind, single_drive=single_drive, single_tyre=single_tyre, length=length.astype(np.int64),
                      width=width.astype(np.int64), height=height.astype(np.int64), obu=obu, unit=units[city],
                      enterprise=enterprise, operating=operating, permit_no=permit_no, owner=owner,
                      limit=limit.astype(np.int64))
