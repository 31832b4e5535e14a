"""Shortest paths over the directed road network (distance-weighted Dijkstra, heapq).

Two levels: the full graph of sites (toll stations, gantries), and a contracted graph of toll stations
only, where each edge is a whole hop with the gantries it passes. All-pairs among toll stations runs on
the contracted graph (hundreds × hundreds in well under a second), so a simulator can draw trips fast.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

INF = float("inf")


def _is_gantry_id(site_id: str) -> bool:
    # rules.md §7: 19 characters beginning with 'G'
    return len(site_id) == 19 and site_id[0] == "G"


def dijkstra(
    source: str, edges: Callable[[str], Iterable[tuple[str, float]]], target: str | None = None
) -> tuple[dict[str, float], dict[str, str]]:
    """Shortest distances from `source` and each node's predecessor; `edges(u)` yields (v, length).
    Stops early once `target` is settled."""
    dist: dict[str, float] = {source: 0}
    prev: dict[str, str] = {}
    heap: list[tuple[float, str]] = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist.get(u, INF):
            continue
        if u == target:
            break
        for v, w in edges(u):
            nd = d + w
            if nd < dist.get(v, INF):
                dist[v] = nd
                prev[v] = u
                heapq.heappush(heap, (nd, v))
    return dist, prev


@dataclass(frozen=True)
class Hop:
    """A station-to-station edge of the contracted graph."""

    to_station: str
    length_m: int
    road: str
    nodes: tuple[str, ...]  # intermediate nodes (gantries) in order


@dataclass
class StationMatrix:
    """All-pairs shortest distances among toll stations."""

    ids: list[str]
    index: dict[str, int]
    dist: list[list[float]]  # metres; INF when unreachable
    _next: list[list[int]] = field(repr=False)  # first hop on the shortest path, -1 if none

    def distance_m(self, a: str, b: str) -> float:
        return self.dist[self.index[a]][self.index[b]]

    def station_path(self, a: str, b: str) -> list[str]:
        """Toll stations visited from a to b (both included); [] if unreachable."""
        i, j = self.index[a], self.index[b]
        if i == j:
            return [a]
        if self._next[i][j] < 0:
            return []
        out = [a]
        while i != j:
            i = self._next[i][j]
            out.append(self.ids[i])
        return out


class NetworkGraph:
    """Directed, distance-weighted graph of sites built from road_segments rows."""

    def __init__(self) -> None:
        self.adj: dict[str, list[tuple[str, int, str]]] = {}  # node → [(next, length_m, road)]
        self.kind: dict[str, str] = {}
        self.direction: dict[str, int | None] = {}
        self.hops: dict[str, list[Hop]] = {}  # station → hops to the next stations

    # --- construction --------------------------------------------------------------------------

    @classmethod
    def from_segments(
        cls, segments: Iterable[Mapping[str, Any]], sites: Iterable[Mapping[str, Any]] | None = None
    ) -> NetworkGraph:
        """Build from segment rows; `sites` (optional) gives kinds and directions, else ids are read."""
        g = cls()
        for s in sites or ():
            g.kind[s["site_id"]] = s["kind"]
            g.direction[s["site_id"]] = s.get("direction")
        for seg in segments:
            a, b = seg["from_site"], seg["to_site"]
            g.adj.setdefault(a, []).append((b, int(seg["length_m"]), seg["road"]))
            g.adj.setdefault(b, [])
        for node in g.adj:
            if node not in g.kind:
                g.kind[node] = "gantry" if _is_gantry_id(node) else "toll_station"
        g._contract()
        return g

    @classmethod
    def from_network(cls, net: Any) -> NetworkGraph:
        return cls.from_segments(net.segments, net.sites)

    def is_gantry(self, node: str) -> bool:
        return self.kind.get(node) == "gantry"

    def _contract(self) -> None:
        """Follow every chain of gantries from each station to the next station."""
        for node in self.adj:
            if self.is_gantry(node):
                continue
            hops: list[Hop] = []
            for nxt, length, road in self.adj[node]:
                nodes: list[str] = []
                total = length
                cur = nxt
                seen = {node}
                while self.is_gantry(cur) and cur not in seen:
                    seen.add(cur)
                    nodes.append(cur)
                    outs = self.adj.get(cur, [])
                    if len(outs) != 1:  # a branching gantry would need the full graph; not in our network
                        break
                    cur, step, _ = outs[0]
                    total += step
                if not self.is_gantry(cur):
                    hops.append(Hop(cur, total, road, tuple(nodes)))
            self.hops[node] = hops

    @property
    def stations(self) -> list[str]:
        return [n for n in self.adj if not self.is_gantry(n)]

    # --- shortest paths on the full graph ------------------------------------------------------

    def _dijkstra(self, source: str, target: str | None = None) -> tuple[dict[str, float], dict[str, str]]:
        return dijkstra(source, lambda u: ((v, w) for v, w, _ in self.adj.get(u, ())), target)

    def path(self, from_site: str, to_site: str) -> list[str]:
        """Shortest node path (both ends included); [] if unreachable or unknown."""
        if from_site not in self.adj or to_site not in self.adj:
            return []
        dist, prev = self._dijkstra(from_site, to_site)
        if to_site not in dist:
            return []
        out = [to_site]
        while out[-1] != from_site:
            out.append(prev[out[-1]])
        return out[::-1]

    def distance_m(self, from_site: str, to_site: str) -> int | None:
        if from_site not in self.adj or to_site not in self.adj:
            return None
        dist, _ = self._dijkstra(from_site, to_site)
        d = dist.get(to_site)
        return None if d is None else int(d)

    def gantries_on_path(self, from_site: str, to_site: str) -> list[str]:
        return [n for n in self.path(from_site, to_site) if self.is_gantry(n)]

    def downstream_exits(
        self, site_id: str, max_hops: int | None = 3, max_km: float | None = 100.0
    ) -> list[tuple[str, int]]:
        """Toll stations a vehicle at `site_id` can leave by next, with the distance to each.

        Searches forward without U-turns at stations (leaving a station back along the road it came
        on); `max_hops` limits the number of toll stations passed (the exit included), `max_km` the
        distance. Sorted nearest first. The start itself is not listed.
        """
        if site_id not in self.adj:
            return []
        limit = INF if max_km is None else max_km * 1000
        hops_limit = max_hops if max_hops is not None else 1 << 30
        # state: (node, road and direction of arrival, previous station): forbids U-turns
        start = (site_id, None, None)
        best: dict[tuple, float] = {start: 0}
        heap: list[tuple[float, int, int, tuple]] = [(0, 0, 0, start)]
        counter = 0
        found: dict[str, float] = {}
        while heap:
            d, _, passed, state = heapq.heappop(heap)
            if d > best.get(state, INF):
                continue
            node, arrival, prev_station = state
            if node != site_id and not self.is_gantry(node):
                if node not in found or d < found[node]:
                    found[node] = d
                passed += 1
                if passed >= hops_limit:
                    continue
            for v, w, road in self.adj.get(node, ()):
                nd = d + w
                if nd > limit:
                    continue
                edge_dir = self._edge_dir(node, v)
                if not self.is_gantry(node) and arrival is not None:
                    a_road, a_dir = arrival
                    if road == a_road and edge_dir and a_dir and edge_dir != a_dir:
                        continue  # a U-turn
                    if v == prev_station:
                        continue  # straight back through an interchange
                new_prev = node if not self.is_gantry(node) else prev_station
                ns = (v, (road, edge_dir or (arrival[1] if arrival and road == arrival[0] else 0)), new_prev)
                if nd < best.get(ns, INF):
                    best[ns] = nd
                    counter += 1
                    heapq.heappush(heap, (nd, counter, passed, ns))
        return sorted(((s, int(d)) for s, d in found.items()), key=lambda x: (x[1], x[0]))

    def _edge_dir(self, a: str, b: str) -> int:
        for n in (a, b):
            if self.is_gantry(n):
                return self.direction.get(n) or _dir_from_id(n)
        return 0

    # --- toll stations: contracted graph -------------------------------------------------------

    def station_dijkstra(self, source: str) -> tuple[dict[str, float], dict[str, str]]:
        return dijkstra(source, lambda u: ((h.to_station, h.length_m) for h in self.hops.get(u, ())))

    def station_matrix(self, stations: Iterable[str] | None = None) -> StationMatrix:
        """All-pairs shortest distances and first hops among toll stations (contracted graph)."""
        ids = (
            list(stations)
            if stations is not None
            else [s for s in self.stations if self.kind.get(s) == "toll_station"]
        )
        index = {s: i for i, s in enumerate(ids)}
        n = len(ids)
        dist = [[INF] * n for _ in range(n)]
        nxt = [[-1] * n for _ in range(n)]
        for i, src in enumerate(ids):
            d, prev = self.station_dijkstra(src)
            row, nrow = dist[i], nxt[i]
            for t, dt in d.items():
                j = index.get(t)
                if j is None:
                    continue
                row[j] = dt
                if t == src:
                    continue
                # walk back to the first station after src
                cur = t
                while prev[cur] != src:
                    cur = prev[cur]
                k = index.get(cur)
                if k is None:  # passes through a station outside the matrix: record the target
                    k = j
                nrow[j] = k
        return StationMatrix(ids=ids, index=index, dist=dist, _next=nxt)

    def hop_nodes(self, a: str, b: str) -> tuple[str, ...]:
        """Gantries on the direct hop a → b (the shortest one if several)."""
        best = min(
            (h for h in self.hops.get(a, ()) if h.to_station == b), key=lambda h: h.length_m, default=None
        )
        return best.nodes if best else ()

    def expand_stations(self, stations: list[str]) -> list[str]:
        """The full node path of a sequence of consecutive stations."""
        if not stations:
            return []
        out = [stations[0]]
        for a, b in zip(stations, stations[1:], strict=False):
            out.extend(self.hop_nodes(a, b))
            out.append(b)
        return out


def _dir_from_id(gantry: str) -> int:
    # our ids put the direction at position 14 (see network.gantry_id)
    try:
        return int(gantry[13])
    except (IndexError, ValueError):
        return 0
