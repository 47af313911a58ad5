"""Organising the ground in headless Chromium: rounds cut, assigned, walked and their progress seen by the
organiser; a leaflet round marked offline; thirty paper results keyed with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from canvass.models import ContactRecord, Delivery, Outcome, Voter, WalkListCut
from canvass.walklists.services import leaflet_rounds_cut
from tests.dashboards import scene
from tests.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign_live(transactional_db, popley, south_ham, our_party, vera, victor, olivia, alice):
    return scene.build(popley=popley, south_ham=south_ham, ours=our_party, volunteers=[vera, victor])


def test_rounds_are_cut_assigned_walked_and_their_progress_seen(
    live_server, desktop_page, phone_page, campaign_live, olivia, vera, popley
):
    organiser = desktop_page
    log_in(organiser, live_server.url, olivia, lands_on="/campaign/")
    organiser.goto(f"{live_server.url}/campaign/wards/{popley.pk}/walk-lists/new/")
    organiser.get_by_label("Name").fill("Saturday")
    for street in ("Popley Way", "Abbey Road"):
        organiser.get_by_label(re.compile(f"{street} \\(\\d+ doors\\)")).check()
    organiser.get_by_label("Doors per round").fill("8")
    organiser.get_by_role("button", name="Preview the rounds").click()
    expect(organiser.get_by_role("heading", name=re.compile(r"Preview: \d+ doors in \d+ rounds"))).to_be_visible()
    organiser.get_by_role("button", name="Cut the walk list").click()
    organiser.wait_for_url(re.compile(r"/campaign/walk-list-cuts/\d+/"))
    cut = WalkListCut.objects.get()
    first = cut.rounds.order_by("pk").first()
    organiser.get_by_label(f"Volunteer for {first.name}").select_option(label="vera")
    organiser.get_by_role("button", name="Save the assignments").click()
    expect(organiser.get_by_text("Rounds assigned.")).to_be_visible()
    assert list(first.assigned_to.all()) == [vera]

    last_before = ContactRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    phone = phone_page
    log_in(phone, live_server.url, vera, lands_on="/doorstep/")
    phone.get_by_role("link", name=re.compile(re.escape(first.name))).click()
    phone.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    household = first.stops.order_by("position").first().household
    phone.locator(f"#h{household.pk}").get_by_role("button", name="Not in").tap()
    expect(phone.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)
    for _ in range(100):  # "All sent" may show a moment before the tap's contact is queued and sent
        if ContactRecord.objects.filter(id__gt=last_before).exists():
            break
        phone.wait_for_timeout(200)
    new = ContactRecord.objects.get(id__gt=last_before)
    assert (new.household, new.outcome, new.volunteer) == (household, Outcome.NOT_IN, vera)

    organiser.reload()
    row = organiser.get_by_role("row", name=re.compile(re.escape(first.name)))
    expect(row).to_contain_text(f"1 of {first.stops.count()}")
    expect(row).to_contain_text("by vera")


def test_a_leaflet_round_is_marked_offline_and_sent_once_back_in_signal(
    live_server, phone_page, campaign_live, olivia, vera, popley
):
    leaflet = leaflet_rounds_cut(
        ward=popley, created_by=olivia, name="Focus", streets=["Popley Way", "Abbey Road"], size=500
    )
    walk_list = leaflet.rounds.get()
    walk_list.assigned_to.set([vera])
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    page.get_by_role("link", name=re.compile(re.escape(walk_list.name))).click()
    page.wait_for_function("document.querySelector('[data-delivery]')?.dataset.ready === 'true'")
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)

    page.context.set_offline(True)
    first_street, second_street = page.locator("[data-street]").all()
    doors = first_street.locator("[data-door]").all()
    doors[0].get_by_role("button", name="Delivered").tap()
    doors[1].get_by_role("button", name="No letterbox").tap()
    second_street.get_by_role("button", name="Whole street delivered").tap()
    total = walk_list.stops.count()
    expect(page.locator("[data-status]")).to_contain_text("waiting to be sent")
    assert not Delivery.objects.exists()

    page.reload()
    page.wait_for_function("document.querySelector('[data-delivery]')?.dataset.ready === 'true'")
    expect(page.locator("[data-door][data-mark='no_letterbox']")).to_have_count(1)
    marked = 2 + second_street.locator("[data-door]").count()
    expect(page.locator("[data-status]")).to_contain_text(f"{marked} of {total} doors marked")

    page.context.set_offline(False)
    expect(page.locator("[data-status]")).to_contain_text("every mark sent", timeout=20000)
    statuses = list(Delivery.objects.values_list("status", flat=True))
    assert len(statuses) == marked and statuses.count("no_letterbox") == 1


def test_thirty_paper_results_are_keyed_with_the_keyboard_only(
    live_server, desktop_page, campaign_live, olivia, popley
):
    page = desktop_page
    log_in(page, live_server.url, olivia, lands_on="/campaign/")
    page.goto(f"{live_server.url}/campaign/paper-returns/")
    voters = list(Voter.objects.filter(polling_district__code="PA1").order_by("elector_number")[:30])
    codes = ["S LAB CON 5 PV", "N", "S U - 3", "R DNK", "S CON CON 1"]
    before = ContactRecord.objects.count()
    for n, voter in enumerate(voters, start=1):
        page.keyboard.type(f"PA1-{voter.elector_number}")
        page.keyboard.press("Enter")
        expect(page.locator("#paper-voter")).to_contain_text(voter.full_name)
        page.keyboard.type(codes[n % len(codes)])
        page.keyboard.press("Enter")
        expect(page.locator("#paper-count")).to_have_text(str(n))
        expect(page.locator("#paper-reference")).to_be_focused()
    assert ContactRecord.objects.count() - before == 30
    assert ContactRecord.objects.filter(volunteer=olivia).count() == 30

    page.keyboard.press("Alt+u")
    expect(page.locator("#paper-count")).to_have_text("29")
    assert ContactRecord.objects.filter(volunteer=olivia).count() == 29

    page.keyboard.type("SH1-1")  # South Ham: not Olivia's
    page.keyboard.press("Enter")
    expect(page.locator("#paper-error")).to_have_text("Elector SH1-1 is outside your wards.")
