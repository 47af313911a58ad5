"""The charts really draw in Chromium: SVG elements present with a non-zero size.

Saves screenshots in a temporary folder; REFRESH_SCREENSHOTS=1 writes them to docs/screenshots/ instead.
"""

import os
from pathlib import Path

import pytest

from tests.dashboards import scene
from tests.login import log_in

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path):
    """Where the screenshots go: a test's temporary folder, so a test run changes no tracked file."""
    if os.environ.get("REFRESH_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path


@pytest.fixture
def campaign_live(transactional_db, popley, south_ham, our_party, vera, victor, olivia, alice):
    return scene.build(popley=popley, south_ham=south_ham, ours=our_party, volunteers=[vera, victor])


def log_in_to_the_campaign(page, live_server, user):
    log_in(page, live_server.url, user, lands_on="/campaign/")
    page.wait_for_load_state("networkidle")


def drawn_charts(page) -> dict[str, dict]:
    return page.eval_on_selector_all(
        "svg.chart",
        """charts => Object.fromEntries(charts.map(svg => {
            const box = svg.getBoundingClientRect();
            const marks = svg.querySelectorAll('rect.bar, rect.segment, rect.seat, polyline.line, .point');
            const drawn = [...marks].filter(m => {
                const b = m.getBoundingClientRect();
                return b.width > 0 && b.height > 0;
            });
            return [svg.id, {width: box.width, height: box.height, marks: drawn.length}];
        }))""",
    )


@pytest.mark.browser
def test_admin_lands_on_the_overview_and_its_charts_are_drawn(
    live_server, screenshots, desktop_page, campaign_live, alice
):
    log_in_to_the_campaign(desktop_page, live_server, alice)
    charts = drawn_charts(desktop_page)
    assert set(charts) == {"road-to-majority", "zone-seats"}
    for chart in charts.values():
        assert chart["width"] > 300 and chart["height"] > 50 and chart["marks"] > 0
    assert charts["road-to-majority"]["marks"] == 54  # one slat per seat of the council
    assert desktop_page.locator("table.wards-table tbody tr").count() == 7  # every ward, on one screen
    desktop_page.screenshot(path=screenshots / "dashboard-overview.png", full_page=True)


@pytest.mark.browser
def test_organiser_opens_their_ward_from_the_overview_and_every_chart_is_drawn(
    live_server, screenshots, desktop_page, campaign_live, olivia, popley
):
    log_in_to_the_campaign(desktop_page, live_server, olivia)
    assert desktop_page.locator("table.wards-table tbody tr").count() == 1
    desktop_page.get_by_role("link", name="Popley").click()
    desktop_page.wait_for_load_state("networkidle")
    charts = drawn_charts(desktop_page)
    expected = {"contact-rate", "intention", "split-ticket", "turnout", "last-result", "volunteer-activity", "segments"}
    assert expected <= set(charts)
    for name in expected:
        assert charts[name]["width"] > 200 and charts[name]["height"] > 30, name
        assert charts[name]["marks"] > 0, name
    desktop_page.screenshot(path=screenshots / "dashboard-ward.png", full_page=True)


@pytest.mark.browser
def test_walk_sheet_prints_on_a4(live_server, screenshots, desktop_page, campaign_live, olivia, popley):
    log_in_to_the_campaign(desktop_page, live_server, olivia)
    desktop_page.goto(f"{live_server.url}/campaign/wards/{popley.pk}/walk-lists/new/?segment=persuadable")
    desktop_page.get_by_label("Name").fill("Saturday round")
    desktop_page.get_by_label("vera").check()
    desktop_page.get_by_role("button", name="Cut the walk list").click()
    desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.get_by_text("Saturday round").first.is_visible()
    with desktop_page.context.expect_page() as sheet_info:
        desktop_page.get_by_role("link", name="Printable walk sheet").first.click()  # the first round's
    sheet = sheet_info.value
    sheet.wait_for_load_state("networkidle")
    sheet.emulate_media(media="print")
    assert not sheet.get_by_role("button", name="Print this sheet").is_visible()
    assert sheet.locator("span.box").count() > 0
    sheet.screenshot(path=screenshots / "dashboard-walk-sheet.png", full_page=True)
    pdf = sheet.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.browser
def test_ward_dashboard_fits_a_tablet(live_server, screenshots, chromium, campaign_live, olivia, popley):
    context = chromium.new_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    page = context.new_page()
    try:
        log_in_to_the_campaign(page, live_server, olivia)
        page.goto(f"{live_server.url}/campaign/wards/{popley.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 820  # no sideways scrolling
        assert all(chart["width"] > 300 for chart in drawn_charts(page).values())
        page.screenshot(path=screenshots / "dashboard-ward-tablet.png", full_page=True)
    finally:
        context.close()
