"""Phone screenshots of the doorstep pages for docs/screenshots/ (360 px wide, as the volunteers' phones).

Run `.venv/bin/python scripts/doorstep_screenshots.py`: it builds a throwaway SQLite database with a made-up
Popley walk list, serves the app in a thread, and drives Debian's headless Chromium through the pages.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "doorstep-pass-1"
STREETS = {
    "Carpenters Down": [
        (1, ["Mrs Patricia Okafor", "Mr Daniel Okafor"]),
        (3, ["Ms Joanne Whitlock"]),
        (2, ["Mr Ravi Shah", "Mrs Meera Shah"]),
        (4, ["Mr Tom Baxter"]),
    ],
    "Sherborne Road": [
        (11, ["Ms Ellie Marsh"]),
        (15, ["Mr George Petrov", "Mrs Anna Petrova"]),
        (12, ["Mr Colin Fry"]),
    ],
}


def scene():
    from django.utils import timezone

    from canvass.models import Outcome, Role
    from tests.factories import (
        ContactRecordFactory,
        HouseholdFactory,
        OurPartyFactory,
        PartyFactory,
        PollingDistrictFactory,
        ProfileFactory,
        VoterFactory,
        WalkListFactory,
        WardFactory,
    )

    ours = OurPartyFactory()
    PartyFactory(code="CON", name="Conservative", colour="#0087dc")
    PartyFactory(code="LD", name="Liberal Democrat", colour="#faa61a")
    PartyFactory(code="GRN", name="Green", colour="#02a95b")
    popley = WardFactory(name="Popley")
    district = PollingDistrictFactory(ward=popley, code="PA1")
    vera = ProfileFactory(user__username="vera", user__first_name="Vera", role=Role.VOLUNTEER).user
    households, number = [], 100
    for street, doors in STREETS.items():
        for house, people in doors:
            household = HouseholdFactory(
                polling_district=district, street=street, house_number=house, postcode="RG24 9AB"
            )
            for person in people:
                title, forenames, surname = person.split(" ", 2)
                number += 1
                VoterFactory(
                    household=household, title=title, forenames=forenames, surname=surname, elector_number=number
                )
            households.append(household)
    walk_list = WalkListFactory(
        name="Popley: Carpenters Down round",
        ward=popley,
        households=sorted(households, key=lambda h: (h.street, -(h.house_number % 2), h.house_number)),
        assigned_to=[vera],
    )
    WalkListFactory(
        name="Popley: Sherborne Road leaflet follow-up", ward=popley, households=households[4:], assigned_to=[vera]
    )
    shah = households[2].voters.order_by("elector_number").first()
    ContactRecordFactory(
        voter=shah,
        local_intention="party",
        local_party=ours,
        likelihood=5,
        contacted_at=timezone.now() - timezone.timedelta(days=20),
    )
    whitlock = households[1].voters.get()
    whitlock.do_not_contact = True
    whitlock.save()
    ContactRecordFactory(voter=None, household=households[5], ward=popley, outcome=Outcome.NOT_IN)
    return walk_list


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="doorstep-shots-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{workdir / 'shots.sqlite3'}",
        DEBUG="true",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        CACHE_URL="dummy://",
        SECRET_KEY="screenshots-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
        DJANGO_SETTINGS_MODULE="canvass.config.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import expect, sync_playwright

    call_command("migrate", verbosity=0)
    walk_list = scene()
    server = LiveServerThread("localhost", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://localhost:{server.port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, device_scale_factor=2
            )
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill("vera")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/doorstep/")
            page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)
            page.screenshot(path=OUT / "phone-walk-lists.png")

            page.goto(f"{base}/doorstep/lists/{walk_list.pk}/")
            page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)
            page.screenshot(path=OUT / "phone-walk-list.png")

            page.locator(".door.open").get_by_role("button", name="Spoke to Mrs Patricia Okafor").tap()
            sheet = page.get_by_role("dialog")
            sheet.get_by_role("group", name="Council vote (local)").get_by_label("Labour").check()
            sheet.get_by_role("group", name="General election vote (national)").get_by_label("Conservative").check()
            sheet.get_by_label("4 Probable").check()
            sheet.get_by_label("Buses").check()
            sheet.evaluate("dialog => { dialog.scrollTop = 0; }")
            page.screenshot(path=OUT / "phone-spoke.png")
            sheet.get_by_label("Will take a poster or board").check()
            sheet.get_by_role("button", name="Save").tap()

            context.set_offline(True)
            page.locator(".door.open").get_by_role("button", name="Mr Daniel Okafor moved away").tap()
            expect(page.locator(".door.open .addr")).to_have_text("2 Carpenters Down")
            page.locator(".door.open").get_by_role("button", name="Not in").tap()
            expect(page.locator(".door.open .addr")).to_have_text("4 Carpenters Down")
            page.locator(".door.open").get_by_role("button", name="Refused").tap()
            page.wait_for_timeout(1000)  # let the smooth scroll to the next door finish
            page.evaluate("document.scrollingElement.scrollTop = 0")
            page.wait_for_timeout(300)
            page.screenshot(path=OUT / "phone-offline-queue.png")
            context.set_offline(False)
            page.wait_for_function("document.querySelector('[data-waiting]').textContent === 'All sent'", timeout=20000)
            browser.close()
    finally:
        server.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
    for path in sorted(OUT.glob("phone-*.png")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
