"""The phone's offline copy belongs to the volunteer who downloaded it (static/doorstep/ownership.js)."""

import time

import pytest
from django.templatetags.static import static
from playwright.sync_api import expect

from canvass.models import ContactRecord
from tests.doorstep.test_offline_browser import door, open_list, waiting
from tests.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SYNC = "**/api/v1/contacts/sync/"


def _list_is_cached(page, walk_list) -> bool:
    return page.evaluate(
        """url => caches.open('doorstep-data-v1').then(c => c.match(url, {ignoreVary: true})).then(r => !!r)""",
        f"/doorstep/lists/{walk_list.pk}/",
    )


def _queued_for(page, user) -> int:
    return page.evaluate(
        "([src, user]) => import(src).then(db => db.outboxForUser(user)).then(rows => rows.length)",
        [static("doorstep/db.js"), user.pk],
    )


def _settled(page, *, kept: bool = True):
    """Wait for the worker to finish keeping the page, then close the phone: nothing left in flight when the
    database is flushed."""
    if kept:
        page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)
    page.context.close()
    time.sleep(0.5)  # the live server finishes any request the closed phone had in flight


def _first_sync_done(page):
    """The page checked the offline copy, then sent (or kept) the queue: static/doorstep/app.js `start`."""
    page.wait_for_function("document.getElementById('doorstep')?.dataset.synced === '1'", timeout=20000)


def _copy_checked(page):
    page.wait_for_function("document.getElementById('doorstep')?.dataset.offlineCopy !== undefined")
    return page.evaluate("document.getElementById('doorstep').dataset.offlineCopy")


def test_another_volunteer_signing_in_clears_the_copy_but_keeps_the_first_ones_queue(
    live_server, phone_page, vera, victor, carpenters_round, doors
):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    page.route(SYNC, lambda route: route.abort())  # no signal for the sync: the contact stays queued
    door(page, doors["1 Carpenters Down"]).get_by_role("button", name="Not in").tap()
    expect(waiting(page)).to_have_text("1 waiting to send")
    assert _list_is_cached(page, carpenters_round)

    page.context.clear_cookies()  # Vera's session ends without a logout; Victor picks the phone up
    log_in(page, live_server.url, victor, lands_on="/doorstep/")

    assert _copy_checked(page) == "cleared"
    assert not _list_is_cached(page, carpenters_round)
    _first_sync_done(page)
    assert _queued_for(page, vera) == 1
    expect(waiting(page)).to_have_text("All sent")  # Victor is shown, and sends, only his own
    assert ContactRecord.objects.count() == 0
    # Victor's page is kept before he hands the phone back: nothing of his still in flight.
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)

    page.unroute(SYNC)
    page.context.clear_cookies()
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    # "All sent" is also what the page says before it has read its queue: wait for its first pass.
    _first_sync_done(page)
    assert _queued_for(page, vera) == 0
    expect(waiting(page)).to_have_text("All sent")
    assert ContactRecord.objects.get().volunteer == vera
    _settled(page)


def test_a_copy_fourteen_days_without_sync_is_expired_offline(live_server, phone_page, vera, carpenters_round, doors):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    name = doors["1 Carpenters Down"].voters.first().full_name
    expect(page.get_by_text(name)).to_be_visible()
    page.evaluate(
        "src => import(src).then(db => db.metaSet('offline_synced_at', Date.now() - 15 * 86400000))",
        static("doorstep/db.js"),
    )

    page.context.set_offline(True)
    page.reload()

    assert _copy_checked(page) == "expired"
    expect(page.get_by_text("expired after 14 days")).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    assert not _list_is_cached(page, carpenters_round)
    _settled(page, kept=False)
