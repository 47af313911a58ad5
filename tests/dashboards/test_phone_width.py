"""Organiser pages on a 390x844 phone: nothing wider than the screen, so no sideways scrolling."""

import pytest

from tests.dashboards.test_browser import campaign_live  # noqa: F401 - the live campaign fixture
from tests.login import log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def organiser_phone(live_server, chromium, campaign_live, olivia):  # noqa: F811
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, olivia, lands_on="/campaign/")
    yield page
    context.close()


def too_wide(page) -> list[str]:
    """The elements reaching past the right edge, to name in a failure."""
    return page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                ? '.' + el.className.split(' ').join('.') : ''))
            .slice(0, 10)""",
        PHONE["width"],
    )


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "/campaign/",
        "/campaign/wards/{ward}/",
        "/campaign/wards/{ward}/segments/persuadable/",
        "/campaign/wards/{ward}/walk-lists/new/",
    ],
)
def test_organiser_page_fits_a_390px_phone(live_server, organiser_phone, popley, path):
    organiser_phone.goto(live_server.url + path.format(ward=popley.pk))
    organiser_phone.wait_for_load_state("networkidle")
    scroll_width = organiser_phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], too_wide(organiser_phone)
