"""The yearly report and the live dashboard in a real browser (Debian chromium): charts are drawn,
screenshots saved to test-artifacts/, and the report's PDF is turned into PNG pages with pdftoppm."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support import ARTIFACTS, Chromium, LiveServer, browser_login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.reports import synth

pytestmark = pytest.mark.browser

# Non-white pixels of a canvas (ECharts draws on canvases; a blank one has none).
INK_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) n++; }
  return {ink: n, url: c.toDataURL().length};
})"""


@pytest.fixture
def site(container):
    seed_units(container)
    seed_users(container, [("prov", "analyst", "410000")])
    with unit_of_work(container.db) as s:
        synth.populate(s, year=2022, scale=2, seed=4)
    with LiveServer(container) as srv:
        yield srv


def test_report_and_dashboard_draw_charts_and_pdf_pages(site):
    ARTIFACTS.mkdir(exist_ok=True)
    with Chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        browser_login(page, site.url, "prov")

        page.goto(site.url + "/reports/year?year=2022&unit=410000")
        page.wait_for_selector("#trend-chart[data-state=ready]")
        assert "累计布控车辆" in page.inner_text("[data-testid=report-text]")
        n_charts = page.locator(".report-chart").count()
        assert n_charts >= 6
        inks = page.evaluate(INK_JS, ".report-chart canvas, #trend-chart canvas")
        assert len(inks) == n_charts + 1
        assert all(i["ink"] > 300 and i["url"] > 2000 for i in inks), inks
        page.screenshot(path=str(ARTIFACTS / "report-year-2022.png"), full_page=True)
        # a figure opens to its rows
        page.click("[data-figure=watch_entries]")
        page.wait_for_selector("[data-testid=figure-rows]")
        assert page.locator("[data-testid=figure-rows] tbody tr").count() > 0

        page.goto(site.url + "/")
        page.wait_for_selector("#live[data-state=ready]")
        inks = page.evaluate(INK_JS, "#trend-chart canvas, #top-chart canvas, #rule-chart canvas, #city-chart canvas")
        assert len(inks) == 4 and all(i["ink"] > 300 for i in inks), inks
        assert int(page.get_attribute("#wim-map", "data-sites")) > 0
        assert int(page.get_attribute("#tbl-leads_by_rule", "data-rows")) > 0
        before = page.inner_text("[data-testid=live-updated]")
        assert before != "—"
        # a filter change refreshes without reloading the page
        page.evaluate("window.__marker = 1")
        page.select_option("#live-period", "year")
        for _ in range(100):  # wait_for_function needs eval, which the CSP forbids: poll instead
            if int(page.get_attribute("#live", "data-refreshes") or 0) >= 2:
                break
            page.wait_for_timeout(100)
        assert int(page.get_attribute("#live", "data-refreshes")) >= 2
        assert page.evaluate("window.__marker") == 1
        csv_href = page.get_attribute("a.export-link[data-table=top_cities][data-fmt=csv]", "href")
        assert "period=year" in csv_href
        assert page.request.get(site.url + csv_href).status == 200
        page.screenshot(path=str(ARTIFACTS / "dashboard-live.png"), full_page=True)
        assert not errors, errors

        pdf = page.request.get(site.url + "/reports/year?year=2022&unit=410000&format=pdf")
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        pdf_path = ARTIFACTS / "report-year-2022.pdf"
        pdf_path.write_bytes(pdf.body())

    assert shutil.which("pdftoppm"), "poppler-utils missing"
    for old in ARTIFACTS.glob("report-year-2022-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(ARTIFACTS / "report-year-2022-page")], check=True)
    pngs = sorted(ARTIFACTS.glob("report-year-2022-page-*.png"))
    assert len(pngs) >= 2
    from PIL import Image

    def ink(path) -> int:
        im = Image.open(path).convert("L")
        return sum(1 for v in im.getdata() if v < 200)

    assert all(ink(p) > 2000 for p in pngs)
    # the chart page carries the server-side SVG bars (dark blue)
    chart = Image.open(pngs[1]).convert("RGB")
    assert sum(1 for r, g, b in chart.getdata() if b > 100 and r < 80 and g < 110) > 500
