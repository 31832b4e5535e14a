"""Pure rules for oversize permits (大件运输). No I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time

from zhifa.shared.clock import TZ

# Order 62 Art. 3 ¶1 items 1–3 (rules.md §1.2): legal dimension limits, strictly greater is over
LEGAL_HEIGHT_MM = 4000
LEGAL_WIDTH_MM = 2550
LEGAL_LENGTH_MM = 18100
# Order 62 Art. 3 items 4–8 (rules.md §1.1): gross limit by axle count (combination for ≥ 4)
GROSS_LIMIT_KG = {2: 18000, 3: 25000, 4: 31000, 5: 43000, 6: 49000}


def gross_limit_kg(axle_count: int | None) -> int:
    """Art. 3 limit for the axle count (the most lenient combination figure where both exist)."""
    if not axle_count or axle_count < 2:
        return GROSS_LIMIT_KG[2]
    return GROSS_LIMIT_KG[min(axle_count, 6)]


def permit_class(length_mm: int, width_mm: int, height_mm: int, gross_weight_kg: int, axle_count: int | None) -> int:
    """Order 62 Art. 15 (rules.md §4.1, VERIFIED): class I, II or III from the permitted dimensions."""
    if height_mm > 4500 or width_mm > 3750 or length_mm > 28000 or gross_weight_kg > 100_000:
        return 3
    if height_mm > 4200 or width_mm > 3000 or length_mm > 20000 or gross_weight_kg > gross_limit_kg(axle_count):
        return 2
    return 1


def is_oversize(
    *, length_mm: int | None, width_mm: int | None, height_mm: int | None, gross_weight_kg: int | None,
    axle_count: int | None, tolerance: float = 0.0,
) -> list[str]:
    """Which Art. 3 limits a measurement exceeds (strictly), after allowing `tolerance` (fraction)."""
    over = []
    f = 1.0 + tolerance
    if height_mm is not None and height_mm > LEGAL_HEIGHT_MM * f:
        over.append("height")
    if width_mm is not None and width_mm > LEGAL_WIDTH_MM * f:
        over.append("width")
    if length_mm is not None and length_mm > LEGAL_LENGTH_MM * f:
        over.append("length")
    if gross_weight_kg is not None and gross_weight_kg > gross_limit_kg(axle_count) * f:
        over.append("gross")
    return over


def parse_hours(text: str | None) -> tuple[time, time] | None:
    """'22:00-06:00' → (22:00, 06:00); empty → None (any time). Raises ValueError on nonsense."""
    if text is None or not str(text).strip():
        return None
    a, b = str(text).replace("–", "-").replace("～", "-").split("-")
    ha, ma = (int(x) for x in a.strip().split(":"))
    hb, mb = (int(x) for x in b.strip().split(":"))
    return time(ha % 24, ma), time(hb % 24, mb)


def within_hours(ts: datetime, hours: tuple[time, time] | None) -> bool:
    """Is the local (Asia/Shanghai) time of `ts` inside the allowed window; windows may wrap midnight."""
    if hours is None:
        return True
    t = ts.astimezone(TZ).time()
    a, b = hours
    if a == b:
        return True
    if a < b:
        return a <= t <= b
    return t >= a or t <= b


def classify_route(
    sites: Sequence[str], route_sites: Sequence[str], is_gantry: Callable[[str], bool] | None = None
) -> tuple[str | None, list[str]]:
    """Compare one trip's ordered sites with the permitted route (Order 62 §2.3 item 3).

    Returns ("beyond_route" | "off_route" | None, the sites not on the route).
    - beyond_route (办短跑长): the vehicle reached an end of the permitted route and carried on past it
      (or came from beyond its start), every other pass being on the route;
    - off_route: it left the route somewhere in between.
    Missed gantries do not matter: only membership of the passes is checked, and an end counts as
    reached from the last (first) two gantries of the route on, so one unread gantry is tolerated.
    """
    route = list(route_sites)
    on = set(route)
    off = [s for s in sites if s not in on]
    if not off:
        return None, []
    idx = [i for i, s in enumerate(sites) if s in on]
    if not idx:
        return "off_route", off
    first_on, last_on = idx[0], idx[-1]
    inner_off = [s for s in sites[first_on : last_on + 1] if s not in on]
    if inner_off:
        return "off_route", off
    gantry = is_gantry or (lambda _s: True)
    g_idx = [i for i, s in enumerate(route) if gantry(s)] or list(range(len(route)))
    start_zone = set(route[: g_idx[min(1, len(g_idx) - 1)] + 1])
    end_zone = set(route[g_idx[max(-2, -len(g_idx))] :])
    after = sites[last_on + 1 :]
    before = sites[:first_on]
    ok_after = not after or sites[last_on] in end_zone
    ok_before = not before or sites[first_on] in start_zone
    if ok_after and ok_before:
        return "beyond_route", off
    return "off_route", off
