import math
import statistics

import pytest

from zhifa.org import reference
from zhifa.org.graph import NetworkGraph
from zhifa.org.network import SEGMENT_COLUMNS, SITE_COLUMNS, build_network


@pytest.fixture(scope="module")
def net():
    return build_network()


@pytest.fixture(scope="module")
def graph(net):
    return NetworkGraph.from_network(net)


@pytest.fixture(scope="module")
def matrix(graph):
    return graph.station_matrix()


def test_rows_have_exactly_the_registry_columns(net):
    assert all(tuple(s) == SITE_COLUMNS for s in net.sites)
    assert all(tuple(s) == SEGMENT_COLUMNS for s in net.segments)


def test_the_network_is_the_same_every_time(net):
    again = build_network()
    assert again.sites == net.sites and again.segments == net.segments


def test_every_site_belongs_to_a_real_unit(net):
    codes = reference.unit_codes()
    assert {s["unit_code"] for s in net.sites} <= codes
    assert len({s["site_id"] for s in net.sites}) == len(net.sites)


def test_segments_join_known_sites_with_positive_lengths(net):
    ids = set(net.by_id)
    assert all(s["from_site"] in ids and s["to_site"] in ids and s["length_m"] > 0 for s in net.segments)


def test_the_province_has_the_expected_kinds_of_sites(net):
    kinds = {
        k: len(net.sites_of_kind(k)) for k in ("toll_station", "gantry", "wim", "check_station", "video")
    }
    assert kinds["toll_station"] >= 100 and kinds["gantry"] >= 800
    assert 55 <= kinds["wim"] <= 65 and 15 <= kinds["check_station"] <= 25 and 35 <= kinds["video"] <= 45
    assert {"G4", "G30", "G45", "G55", "G36", "G40", "G35", "G59", "G1516", "G0421"} <= set(
        net.route_stations
    )


def test_gantry_ids_follow_the_national_format(net):
    for g in net.gantries:
        assert len(g) == 19 and g[0] == "G" and g[5:7] == "41" and g.isascii()
        site = net.by_id[g]
        assert int(g[1:5]) == int(site["road"][1:])
        assert site["direction"] in (1, 2)


def test_gantries_stand_one_per_direction_about_eight_km_apart(net):
    spacing = net.gantry_spacings_m()
    assert 5_000 <= statistics.median(spacing) <= 12_000
    for (a, b), gantries in net.hop_gantries.items():
        back = net.hop_gantries[(b, a)]
        assert len(gantries) == len(back) >= 1
        assert {net.by_id[g]["direction"] for g in gantries} != {net.by_id[g]["direction"] for g in back}


def test_wim_points_stand_on_ordinary_roads_with_device_data(net):
    wims = net.sites_of_kind("wim")
    assert all(not s["road"].startswith("G") or len(s["road"]) == 4 for s in wims)  # G107, not G4
    assert all(s["deduct_tolerance"] is True and s["device_class"] in (2.0, 5.0) for s in wims)
    years = {s["built_on"].year for s in wims}
    assert years == {2019, 2020, 2021, 2022}
    assert {s["device_class"] for s in wims} == {2.0, 5.0}
    # in counties (济源 is a county-level city without counties)
    assert all(
        reference.unit(s["unit_code"])["level"] == "county" or s["unit_code"] == "419001" for s in wims
    )


def test_every_toll_station_reaches_every_other(matrix):
    assert len(matrix.ids) >= 100
    assert all(d < math.inf for row in matrix.dist for d in row)


def test_distances_are_symmetric(matrix):
    n = len(matrix.ids)
    for i in range(0, n, 7):
        for j in range(0, n, 5):
            a, b = matrix.dist[i][j], matrix.dist[j][i]
            assert abs(a - b) <= 0.01 * max(a, b) + 1


def test_station_paths_expand_to_the_full_node_path(net, graph, matrix):
    a, b = net.route_stations["G4"][0], net.route_stations["G40"][-1]
    stations = matrix.station_path(a, b)
    assert stations[0] == a and stations[-1] == b
    nodes = graph.path(a, b)
    assert graph.expand_stations(stations) == nodes
    assert graph.distance_m(a, b) == int(matrix.distance_m(a, b))
    assert net.trip_gantries(nodes) == graph.gantries_on_path(a, b)
    assert net.gantries_for_stations(stations) == graph.gantries_on_path(a, b)


def test_gantries_on_a_route_come_in_the_order_of_travel(net, graph):
    g4 = net.route_stations["G4"]
    down = graph.gantries_on_path(g4[0], g4[-1])
    up = graph.gantries_on_path(g4[-1], g4[0])
    kms_down = [net.by_id[g]["km_post"] for g in down]
    kms_up = [net.by_id[g]["km_post"] for g in up]
    assert kms_down == sorted(kms_down) and kms_up == sorted(kms_up, reverse=True)
    assert {net.by_id[g]["direction"] for g in down} == {1}
    assert {net.by_id[g]["direction"] for g in up} == {2}


def test_downstream_exits_lie_ahead_not_behind(net, graph):
    g4 = net.route_stations["G4"]
    gantry = net.hop_gantries[(g4[5], g4[6])][0]  # direction 1, between stations 6 and 7
    exits = graph.downstream_exits(gantry, max_hops=2, max_km=200)
    names = [s for s, _ in exits]
    assert names[0] == g4[6]
    assert g4[5] not in names  # no U-turn back to the station just passed
    assert [d for _, d in exits] == sorted(d for _, d in exits)
    assert all(d <= 200_000 for _, d in exits)


def test_unknown_sites_have_no_path(graph):
    assert graph.path("nowhere", "TS000441001") == []
    assert graph.distance_m("nowhere", "TS000441001") is None
    assert graph.downstream_exits("nowhere") == []


def test_site_city_lookup_follows_the_unit(net):
    gongyi = [s for s in net.toll_stations if net.site_unit[s] == "410181"]
    assert gongyi and all(net.site_city[s] == "410100" for s in gongyi)


def test_every_site_lies_within_the_province(net):
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    fc = reference.load_outlines()
    province = prep(
        next(shape(f["geometry"]) for f in fc["features"] if f["properties"]["unit_code"] == "410000").buffer(
            0.05
        )
    )
    outside = [s["site_id"] for s in net.sites if not province.contains(Point(s["lon"], s["lat"]))]
    assert outside == []
