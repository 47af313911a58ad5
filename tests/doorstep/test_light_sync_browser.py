"""At 390x844 in headless Chromium: after a contact is sent the page asks only for what changed (bytes pinned),
another volunteer's contact shows up through that, a record made before a reload or on another phone offers
"Change", and the parties the ward records most come first."""

import gzip
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from canvass.models import AuditEvent, ContactRecord, Outcome, Voter
from canvass.services.contacts import contact_records_sync
from tests.doorstep.test_faster_door_browser import PHONE, wait_for
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PartyFactory,
    ProfileFactory,
    VoterFactory,
    WalkListFactory,
)
from tests.login import client_for, log_in
from wards.models import Reason, Segment, TargetListEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the phone downloads after sending one contact: the sync's answer and the changes since its token.
AFTER_ONE_CONTACT_BYTES = 2000


@pytest.fixture
def long_street(popley_district):
    """Forty doors on Elm Road, two voters each: a list whose page is worth not downloading again."""
    made = []
    for number in range(1, 41):
        household = HouseholdFactory(polling_district=popley_district, street="Elm Road", house_number=number)
        for name in ("Ann", "Bob"):
            VoterFactory(household=household, forenames=name, surname=f"Elm{number}")
        made.append(household)
    return made


@pytest.fixture
def elm_round(vera, olivia, popley, long_street, parties):
    return WalkListFactory(name="Elm round", ward=popley, created_by=olivia, households=long_street, assigned_to=[vera])


@pytest.fixture
def no_recompute():
    """No recompute of the ward after a sync (on SQLite it runs at once and rebuilds the target lists): the
    reasons stay as the test sets them."""
    from canvass.signals import contacts_recorded

    assert contacts_recorded.disconnect(dispatch_uid="wards.recompute_after_contacts")
    yield
    from wards import receivers

    contacts_recorded.connect(receivers.recompute_after_contacts, dispatch_uid="wards.recompute_after_contacts")


@pytest.fixture
def wendy(elm_round):
    user = ProfileFactory(user__username="wendy", role="volunteer").user
    elm_round.assigned_to.add(user)
    return user


def open_list(chromium, live_server, user, name):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server.url, user, lands_on="/doorstep/")
    page.get_by_role("link", name=re.compile(name)).click()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)
    page.wait_for_function("Number(document.getElementById('doorstep').dataset.changesAsked || 0) >= 1")
    return context, page


def asked(page) -> int:
    return int(page.evaluate("Number(document.getElementById('doorstep').dataset.changesAsked || 0)"))


def spoke_sheet(page, door, voter, local, national, likelihood=None):
    door.get_by_role("button", name=f"Spoke to {voter.full_name}").tap()
    sheet = page.get_by_role("dialog")
    sheet.get_by_role("group", name="Council vote (local)").get_by_label(local).tap()
    sheet.get_by_role("group", name="General election vote (national)").get_by_label(national).tap()
    if likelihood:
        sheet.get_by_label(re.compile(f"^{likelihood} ")).tap()
    sheet.get_by_role("button", name="Save").tap()


def test_after_one_contact_the_page_downloads_only_what_changed(
    live_server, chromium, vera, wendy, elm_round, long_street
):
    context, page = open_list(chromium, live_server, vera, "Elm round")
    full_page = client_for(vera).get(reverse("doorstep-list", args=[elm_round.pk]), HTTP_ACCEPT_ENCODING="gzip")
    page_bytes = (
        len(full_page.content) if full_page.get("Content-Encoding") == "gzip" else len(gzip.compress(full_page.content))
    )
    lists_served = AuditEvent.objects.filter(user=vera, resource="voter").count()
    received = []
    page.on("response", lambda response: received.append(response))
    before = asked(page)

    door = page.locator(f"#h{long_street[0].pk}")
    door.get_by_role("button", name="Not in").tap()
    expect(page.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)
    page.wait_for_function(f"Number(document.getElementById('doorstep').dataset.changesAsked) > {before}")

    # As transferred (the body's bytes on the wire): the browser keeps no body for what its service worker relayed.
    downloaded = sum(response.request.sizes()["responseBodySize"] for response in received)
    urls = [response.url.removeprefix(live_server.url).split("?")[0] for response in received]
    assert urls == ["/api/v1/contacts/sync/", f"/api/v1/walk-lists/{elm_round.pk}/changes/"]
    assert downloaded < AFTER_ONE_CONTACT_BYTES
    assert downloaded * 4 < page_bytes  # the page, gzipped, that was downloaded after each contact before
    print(f"\nafter one contact: {downloaded} bytes; the whole list's page: {page_bytes} bytes gzipped")
    # Neither the page nor its service worker fetched the list again.
    assert AuditEvent.objects.filter(user=vera, resource="voter").count() == lists_served
    expect(door).to_have_class(re.compile(r"\bnot-in\b"))

    # Wendy, on her own phone, speaks to someone at the second door; Vera's next sync brings it in.
    ann = Voter.objects.get(household=long_street[1], forenames="Ann")
    (result,) = contact_records_sync(
        user=wendy,
        items=[{"client_uuid": uuid.uuid4(), "voter": ann.pk, "contacted_at": timezone.now(),
                "outcome": Outcome.SPOKE, "local_intention": "undecided"}],
    )  # fmt: skip
    assert result.status == "ok"
    before = asked(page)
    page.locator(f"#h{long_street[2].pk}").locator(".door-head").tap()
    page.locator(f"#h{long_street[2].pk}").get_by_role("button", name="Not in").tap()
    page.wait_for_function(f"Number(document.getElementById('doorstep').dataset.changesAsked) > {before}")
    second = page.locator(f"#h{long_street[1].pk}")
    expect(second.locator(f'[data-v="{ann.pk}"] .last')).to_contain_text("Undecided")
    expect(second).to_have_class(re.compile(r"\bknocked\b"))
    # Wendy's record is hers to change, not Vera's.
    expect(second.get_by_role("button", name="Change")).to_have_count(0)
    expect(page.locator('[data-progress="knocked"]')).to_have_text("3")

    # Someone new at the fourth door: once sent, the server's copy of her replaces the phone's.
    fourth = page.locator(f"#h{long_street[3].pk}")
    expect(fourth).to_have_class(re.compile(r"\bopen\b"))  # the next door after the third's "not in"
    before = asked(page)
    fourth.get_by_role("button", name="Someone new here").tap()
    page.get_by_label("Name").fill("Nell Newcome")
    page.get_by_role("dialog", name=re.compile("Someone new")).get_by_role("button", name="Save").tap()
    page.wait_for_function(f"Number(document.getElementById('doorstep').dataset.changesAsked) > {before}")
    expect(fourth.locator(".newcomer")).to_have_count(1)
    expect(fourth.locator(".newcomer")).to_contain_text("Nell Newcome")

    # With no signal, a reload shows what the page learnt (kept on the phone over its offline copy).
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    expect(second.locator(f'[data-v="{ann.pk}"] .last')).to_contain_text("Undecided")
    expect(page.locator('[data-progress="knocked"]')).to_have_text("4")
    expect(fourth.locator(".newcomer")).to_have_count(1)
    context.close()


def test_a_record_made_on_another_phone_offers_change(live_server, chromium, vera, wendy, elm_round, long_street):
    first_phone, page = open_list(chromium, live_server, vera, "Elm round")
    door = page.locator(f"#h{long_street[0].pk}")
    ann = Voter.objects.get(household=long_street[0], forenames="Ann")
    spoke_sheet(page, door, ann, "Labour", "Conservative", likelihood=4)
    expect(door.locator(f'[data-v="{ann.pk}"] .recorded-text')).to_have_text("LAB / CON, 4")
    expect(page.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)
    first_phone.close()

    # Her other phone: the page from the server shows what was recorded and offers "change".
    second_phone, page = open_list(chromium, live_server, vera, "Elm round")
    row = page.locator(f"#h{long_street[0].pk}").locator(f'[data-v="{ann.pk}"]')
    page.locator(f"#h{long_street[0].pk}").locator(".door-head").tap()
    expect(row.locator(".recorded-text")).to_have_text("LAB / CON, 4")
    row.get_by_role("button", name="Change").tap()
    sheet = page.get_by_role("dialog")
    expect(sheet.get_by_role("group", name="Council vote (local)").get_by_label("Labour")).to_be_checked()
    sheet.get_by_role("group", name="General election vote (national)").get_by_label("Labour").tap()
    sheet.get_by_role("button", name="Save").tap()
    expect(row.locator(".recorded-text")).to_have_text("LAB / LAB, 4")
    expect(page.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)
    wait_for(lambda: ContactRecord.objects.filter(is_superseded=True).count() == 1)
    original = ContactRecord.objects.get(is_superseded=True)
    assert (original.national_party.code, original.superseded_by.national_party.code) == ("CON", "LAB")
    assert original.superseded_by.likelihood == 4
    # And after its sync the page offers to change the correction, now the record that stands.
    page.wait_for_function("Number(document.getElementById('doorstep').dataset.changesAsked) >= 2")
    expect(row.get_by_role("button", name="Change")).to_have_count(1)
    second_phone.close()


def test_the_parties_the_ward_records_most_come_first(
    live_server, chromium, vera, olivia, elm_round, long_street, parties
):
    ours, con = parties
    residents = PartyFactory(code="RES", name="Residents First", stands_nationally=False)
    libdem = PartyFactory(code="LD", name="Liberal Democrat")
    voters = list(Voter.objects.filter(household__in=long_street[20:]))
    for voter in voters[:6]:  # this week in the ward: Residents First locally, the Liberal Democrats nationally
        ContactRecordFactory(
            voter=voter, volunteer=olivia, local_intention="party", local_party=residents,
            national_intention="party", national_party=libdem,
        )  # fmt: skip
    for voter in voters[6:8]:
        ContactRecordFactory(voter=voter, volunteer=olivia, national_intention="party", national_party=con)
    context, page = open_list(chromium, live_server, vera, "Elm round")
    ann = Voter.objects.get(household=long_street[0], forenames="Ann")
    page.locator(f"#h{long_street[0].pk}").get_by_role("button", name=f"Spoke to {ann.full_name}").tap()
    local = page.locator("#spoke [data-parties='local'] .party")
    national = page.locator("#spoke [data-parties='national'] .party")
    expect(local).to_have_text(["Labour", "Residents First", "Conservative", "Liberal Democrat"])
    expect(national).to_have_text(["Labour", "Liberal Democrat", "Conservative"])  # only those standing nationally
    context.close()


def test_a_voter_joining_a_door_makes_the_page_load_the_list_again(live_server, chromium, vera, elm_round, long_street):
    context, page = open_list(chromium, live_server, vera, "Elm round")
    cat = VoterFactory(household=long_street[5], forenames="Cat", surname="Newly")
    page.evaluate("window.sameCopy = true")
    page.locator(f"#h{long_street[0].pk}").get_by_role("button", name="Not in").tap()
    expect(page.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)
    # The changes call says the structure changed: the page reloads and shows her.
    expect(page.locator(f'[data-v="{cat.pk}"]')).to_have_count(1, timeout=20000)
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    assert page.evaluate("window.sameCopy === undefined")  # loaded again, not patched
    expect(page.locator(f"#h{long_street[0].pk}")).to_have_class(re.compile(r"\bnot-in\b"))
    context.close()


def test_a_door_sent_back_shows_its_voters_reasons_as_they_are_now(
    live_server, chromium, vera, elm_round, long_street, no_recompute
):
    context, page = open_list(chromium, live_server, vera, "Elm round")
    bob = Voter.objects.get(household=long_street[0], forenames="Bob")
    TargetListEntry.objects.create(
        ward=elm_round.ward, segment=Segment.PERSUADABLE, voter=bob, household=bob.household, position=1,
        reason=Reason.UNDECIDED, built_at=timezone.now(),
    )  # fmt: skip
    before = asked(page)
    page.locator(f"#h{long_street[0].pk}").get_by_role("button", name="Not in").tap()
    page.wait_for_function(f"Number(document.getElementById('doorstep').dataset.changesAsked) > {before}")
    row = page.locator(f'[data-v="{bob.pk}"]')
    expect(row.locator(".why")).to_have_text("Undecided")
    expect(row).to_have_class(re.compile(r"\btarget\b"))
    context.close()
