"""The first load of a walk list fits a cheap phone on a weak signal: under 150 KB on the wire.

Measured from the browser's own network log (Playwright's per-request sizes: encoded body plus headers,
as transferred), against a server set up as in production: static files collected and compressed by
WhiteNoise and served by it, the page gzipped by the view. The service worker's own downloads (its
script and the app shell it stores) are counted too.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from tests.factories import ContactRecordFactory, HouseholdFactory, VoterFactory, WalkListFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 150 * 1024


@pytest.fixture
def production_static_server(tmp_path):
    """A live server whose static files come from WhiteNoise, compressed, as after `collectstatic`."""
    production = override_settings(
        STATIC_ROOT=tmp_path / "static",
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}},
        WHITENOISE_USE_FINDERS=False,
        SECURE_SSL_REDIRECT=False,
    )
    with production:
        call_command("collectstatic", interactive=False, verbosity=0)
        # No test file handlers in front of the app: WhiteNoise answers for /static/ as it does in production.
        server = LiveServer("localhost", start=False)
        server.thread.static_handler = lambda files_handler: files_handler.application
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def long_list(vera, popley_district, popley, parties):
    """300 doors on six streets, two voters each, every voter with a past contact: a big evening's list."""
    households = []
    for n in range(300):
        household = HouseholdFactory(
            polling_district=popley_district, street=f"Street {n // 50}", house_number=n % 50 + 1
        )
        for forenames in ("Alexandra", "Christopher"):
            voter = VoterFactory(household=household, forenames=forenames, surname="Wetherington-Smythe")
            ContactRecordFactory(voter=voter, local_intention="party", local_party=parties[0], likelihood=4)
        households.append(household)
    return WalkListFactory(name="Long round", ward=popley, households=households, assigned_to=[vera])


def test_first_load_of_a_300_door_walk_list_transfers_under_150_kb(
    production_static_server, chromium, client, vera, long_list
):
    client.force_login(vera)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    base = production_static_server.url
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    transfers = []
    context.on("requestfinished", lambda request: transfers.append(request))
    page = context.new_page()
    try:
        landed = page.goto(f"{base}{reverse('doorstep-list', args=[long_list.pk])}")
        page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
        page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=30000)
        page.wait_for_load_state("networkidle")
        last_door = long_list.stops.order_by("-position").values_list("household_id", flat=True).first()
        shows_the_last_door = page.locator(f"#h{last_door}").count() == 1
        rows = []
        for request in transfers:
            response = request.response()
            if response is None or response.from_service_worker:
                continue  # answered from the worker's cache: no bytes on the wire
            sizes = request.sizes()
            encoding = response.headers.get("content-encoding", "-")
            body = sizes["responseBodySize"]
            if encoding == "-" and response.status == 200:
                # Chromium reports no body size for some uncompressed answers (the worker's script):
                # count the body itself, which can only overstate what was sent.
                body = max(body, len(response.body()))
            rows.append((request.url.removeprefix(base), encoding, body + sizes["responseHeadersSize"]))
    finally:
        context.close()
    total = sum(size for _, _, size in rows)
    report = "\n".join(f"{size:>8} {encoding:<5} {url}" for url, encoding, size in rows)
    print(f"\nfirst load of a 300-door walk list:\n{report}\n{total:>8} bytes in total")
    assert landed.status == 200 and shows_the_last_door  # the whole list really loaded before we measured
    assert any(url.startswith("/doorstep/lists/") and encoding == "gzip" for url, encoding, _ in rows), report
    assert any(url.endswith("walk.js") and encoding == "gzip" for url, encoding, _ in rows), report
    assert not [url for url, _, _ in rows if not url.startswith("/")], "everything comes from the app itself"
    assert total < BUDGET_BYTES, report
