"""The report pages and the command-centre dashboard in English (cookie lang=en): the report's text, titles,
figure names, sections and units are English, data (unit names, plates) stays as it is, the PDF and JSON
stay the Chinese report, and without the cookie everything is Chinese as before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import cjk_share, english, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.reports import figures as F
from zhifa.reports import report as R
from zhifa.reports import synth
from zhifa.reports.figures import Period, UnitInfo
from zhifa.web.app import create_app

ZZ = "410100"


@pytest.fixture
def clients(container):
    seed_units(container)
    seed_users(container, [("prov", "analyst", "410000"), ("zz", "analyst", ZZ)])
    with unit_of_work(container.db) as s:
        synth.populate(s, year=2022, scale=2, seed=21)
    app = create_app(container)
    prov, zz = TestClient(app), TestClient(app)
    login(prov, "prov")
    login(zz, "zz")
    return {"prov": prov, "zz": zz}


def _get_both(client: TestClient, url: str) -> tuple[str, str]:
    zh = client.get(url)
    assert zh.status_code == 200, zh.text[:300]
    english(client)
    try:
        en = client.get(url)
        assert en.status_code == 200, en.text[:300]
    finally:
        client.cookies.delete("lang")
    return zh.text, en.text


REPORTS = [
    ("prov", "/reports/year?year=2022&unit=410000",
     ["Review of integrated transport law enforcement in 2022: the whole province", "Scope: Whole province",
      "1. Review of enforcement work, 2022", "(1) Special campaigns delivered substantial results.",
      "platform was used to watch-list", "Monthly trend", "Figures and year-over-year change", "Same period last year"],
     "全省2022年交通运输综合执法工作回顾"),
    ("prov", "/reports/quarter?period=2022Q3", ["Q3 2022", "Quarterly"], "2022年第三季度"),
    ("prov", "/reports/month?period=2022-05", ["May 2022", "Monthly"], "2022年5月"),
    ("zz", "/reports/year?year=2022", ["Review of integrated transport law enforcement in 2022: 郑州市",
                                       "in the province)"], "郑州市2022年交通运输综合执法工作回顾"),
    ("prov", "/reports/year?year=2015&unit=410000", ["no data", "No data"], "全省2015年交通运输综合执法工作回顾"),
]


def test_report_pages_in_english(clients):
    for who, url, texts, zh_title in REPORTS:
        zh, en = _get_both(clients[who], url)
        assert zh_title in zh and "执法工作回顾" in zh  # default: the Chinese report as before
        assert "（一）专项整治行动成果丰硕。" in zh
        for text in texts:
            assert text in en, (url, text)
        assert zh_title not in en, url
        # the structure scripts and tests rely on is unchanged
        for marker in ('data-testid="report-text"', 'data-section="一"', 'data-testid="figure-table"',
                       'id="report-data"', 'data-testid="pdf-link"'):
            assert marker in en, (url, marker)
        # unit names in rankings are data and stay Chinese; the rest is English
        assert cjk_share(en) < 0.2, (url, cjk_share(en))


def test_every_figure_has_an_english_name_shown_on_the_english_report(clients):
    zh, en = _get_both(clients["prov"], "/reports/year?year=2022&unit=410000")
    assert len(F.FIGURES) == 48
    for f in F.FIGURES.values():
        assert f.label_en and not any("\u3400" <= ch <= "\u9fff" for ch in f.label_en), f.id
        assert f.unit_en and not any("\u3400" <= ch <= "\u9fff" for ch in f.unit_en), f.id
        assert f.doc_en or not f.doc, f.id
        assert f'">{f.label_en}</a>' in en.replace("&#39;", "'"), f.id
        assert f'">{f.label}</a>' in zh, f.id
    assert "<td>1.2</td>" in en and "<td>一（二）</td>" in zh
    assert "<td>vehicles</td>" in en and "<td>台次</td>" in zh


FIGURE_PAGES = [
    # (figure, unit, English texts, Chinese title)
    ("satisfaction_rate", "410000", ["Satisfaction rate", "Scope: Whole province", "Period: 2022", "Value: "],
     "回访满意率"),
    ("entry_overload_rate", "410000", ["Highway entry overload rate", "Vehicles over the limit at entry weighing"],
     "高速公路入口超限率"),
    ("intercepted", ZZ, ["Intercepted", "ranks", "of", "in the province", "Records"], "查获"),
]


def test_figure_pages_in_english(clients):
    for fid, unit, texts, zh_title in FIGURE_PAGES:
        who = "prov" if unit == "410000" else "zz"
        url = f"/reports/figures/{fid}?period=2022&unit={unit}"
        zh, en = _get_both(clients[who], url)
        assert f'data-testid="figure-title">{zh_title}</h1>' in zh
        assert f'data-testid="figure-title">{zh_title}</h1>' not in en
        for text in texts:
            assert text in en, (url, text)
        assert 'data-testid="figure-value"' in en
        # the rows behind a figure are data: plates and unit names stay Chinese
        assert cjk_share(en) < 0.2, (url, cjk_share(en))
    # a figure without data says so in English
    _, en = _get_both(clients["prov"], "/reports/figures/held_vehicles_overdue?period=2015&unit=410000")
    assert 'data-testid="figure-value">No data</b>' in en and "Vehicles held past their deadline" in en
    assert cjk_share(en) < 0.2


def test_pdf_and_json_stay_chinese_in_english_mode(clients):
    prov = clients["prov"]
    english(prov)
    data = prov.get("/reports/year?year=2022&unit=410000&format=json").json()
    assert data["title"] == "全省2022年交通运输综合执法工作回顾" and "累计布控车辆" in data["sections"][1]["text"]
    pdf = prov.get("/reports/year?year=2022&unit=410000&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_html_export_in_english_and_pdf_source_in_chinese(container, clients):
    with unit_of_work(container.db) as s:
        units = UnitInfo.load(s)
        en = R.build(s, unit_code="410000", period=Period("year", 2022), units=units, lang="en")
        zh = R.build(s, unit_code="410000", period=Period("year", 2022), units=units)
    page = R.render_html(en, lang="en")
    assert '<html lang="en">' in page and "Figures (with year-over-year change)" in page
    assert "(8) A deepening service approach to enforcement." in page
    assert cjk_share(page) < 0.2
    assert R.render_html(en, lang="en", for_pdf=True).count("指标明细（含同比）") == 1  # the PDF is always Chinese
    source = R.render_html(zh)
    assert "统计范围：全省（410000）" in source and "一、2022年执法工作回顾" in source and "<th>同比%</th>" in source
    # the same figures in each section: only the words differ
    def used(d):  # type: ignore[no-untyped-def]
        return [{g["figure"] for sent in sec["sentences"] for g in sent if g["figure"]} for sec in d["sections"]]

    assert used(en) == used(zh)
    assert en["no_data"] == zh["no_data"]


def test_dashboard_in_english(clients):
    zh, en = _get_both(clients["prov"], "/")
    assert "指挥中心总览" in zh
    assert "Command centre overview" in en and "Live picture" in en and "Whole province" in en
    assert cjk_share(en) < 0.2  # city names in the table are data
