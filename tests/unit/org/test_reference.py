from zhifa.org import reference
from zhifa.shared.access import descendants


def test_the_province_has_eighteen_city_level_units_and_its_counties():
    units = reference.load_units()
    levels = [u["level"] for u in units]
    assert levels.count("province") == 1
    assert levels.count("city") == 18
    assert 150 <= levels.count("county") <= 160
    assert len({u["unit_code"] for u in units}) == len(units)


def test_ten_directly_administered_counties_report_to_the_province_but_stay_in_their_city():
    direct = [u for u in reference.county_units() if u["directly_administered"]]
    assert sorted(u["name"] for u in direct) == sorted(
        ["巩义市", "长垣市", "兰考县", "汝州市", "滑县", "邓州市", "永城市", "固始县", "鹿邑县", "新蔡县"]
    )
    for u in direct:
        assert u["parent_code"] == "410000"
        assert u["city_code"] == u["unit_code"][:4] + "00"
    assert reference.unit("419001")["parent_code"] == "410000"


def test_cities_carry_their_plate_prefixes_and_coordinates():
    zz = reference.unit("410100")
    assert zz["plate_prefixes"] == "豫A,豫V" and abs(zz["lon"] - 113.625) < 1e-6
    assert reference.unit("411300")["plate_prefixes"] == "豫R"


def test_a_city_jurisdiction_includes_its_counties_but_not_the_directly_administered_ones():
    parents = reference.unit_parents()
    zhengzhou = descendants("410100", parents)
    assert "410102" in zhengzhou and "410184" in zhengzhou  # 中原区, 新郑市
    assert "410181" not in zhengzhou  # 巩义市 reports to the province
    assert "410181" in descendants("410000", parents)


def test_every_unit_has_one_team_of_the_right_kind():
    teams = reference.build_teams()
    by_unit = {t["unit_code"]: t for t in teams}
    assert len(by_unit) == len(teams) == len(reference.load_units())
    assert by_unit["410000"]["kind"] == "corps" and by_unit["410000"]["team_id"] == "T410000-1"
    assert by_unit["410100"]["kind"] == "detachment" and "支队" in by_unit["410100"]["name"]
    assert by_unit["410181"]["kind"] == "brigade" and "大队" in by_unit["410181"]["name"]


def test_short_names_drop_the_administrative_suffix():
    assert reference.short_name("新郑市") == "新郑"
    assert reference.short_name("管城回族区") == "管城"
    assert reference.short_name("滑县") == "滑县"


def test_outlines_cover_the_province_and_every_city_level_unit_in_a_small_file():
    from importlib import resources

    fc = reference.load_outlines()
    codes = {f["properties"]["unit_code"] for f in fc["features"]}
    assert codes == {"410000"} | {u["unit_code"] for u in reference.city_units()}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"])
    size = len(resources.files("zhifa.org").joinpath("data/henan_outlines.geojson").read_bytes())
    assert size < 600_000


def test_every_county_centre_lies_inside_its_city_outline():
    from shapely.geometry import Point, shape

    fc = reference.load_outlines()
    outline = {f["properties"]["unit_code"]: shape(f["geometry"]) for f in fc["features"]}
    misplaced = [
        u["name"]
        for u in reference.county_units()
        if not outline[u["city_code"]].buffer(0.02).contains(Point(u["lon"], u["lat"]))
    ]
    assert misplaced == []
