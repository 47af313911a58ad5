"""The doorstep pages in real headless Chromium on a 360 px touch phone, with the signal coming and going."""

import re

import pytest
from playwright.sync_api import expect

from canvass.models import ContactRecord, Intention, Outcome, Voter
from tests.factories import WalkListFactory
from tests.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_list(page, name):
    page.get_by_role("link", name=re.compile(name)).click()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    # Only once the page and its data are in the service worker's cache may the signal go.
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)


def door(page, household):
    return page.locator(f"#h{household.pk}")


def waiting(page):
    return page.locator("[data-waiting]")


def test_five_doors_recorded_offline_survive_a_reload_and_arrive_exactly_once(
    live_server, phone_page, vera, carpenters_round, doors, parties
):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    first, second, third, fourth = (
        doors["1 Carpenters Down"],
        doors["2 Carpenters Down"],
        doors["3 Sherborne Road"],
        doors["4 Sherborne Road"],
    )
    ann3, bob3 = third.voters.order_by("forenames")
    ann4 = fourth.voters.get(forenames="Ann")

    page.context.set_offline(True)
    expect(door(page, first)).to_have_class(re.compile(r"\bopen\b"))
    door(page, first).get_by_role("button", name="Not in").tap()
    expect(door(page, second)).to_have_class(re.compile(r"\bopen\b"))
    door(page, second).get_by_role("button", name="Refused").tap()

    door(page, third).get_by_role("button", name=f"Spoke to {ann3.full_name}").tap()
    sheet = page.get_by_role("dialog")
    sheet.get_by_role("group", name="Council vote (local)").get_by_label("Labour").check()
    sheet.get_by_role("group", name="General election vote (national)").get_by_label("Conservative").check()
    sheet.get_by_label("5 Promise").check()
    sheet.get_by_text("Issues, follow-up, note").tap()  # folded away: the common case fits one screen
    sheet.get_by_label("Housing").check()
    sheet.get_by_label("Other issues").fill("Bus shelter, dog fouling")
    sheet.get_by_label("Will take a poster or board").check()
    sheet.get_by_label("Wants a postal vote").check()
    sheet.get_by_label("Note").fill("Call back about the bus shelter")
    sheet.get_by_role("button", name="Save").tap()
    door(page, third).get_by_role("button", name=f"{bob3.full_name} moved away").tap()

    expect(door(page, fourth)).to_have_class(re.compile(r"\bopen\b"))
    door(page, fourth).get_by_role("button", name=f"Spoke to {ann4.full_name}").tap()
    sheet.get_by_role("group", name="Council vote (local)").get_by_label("Undecided").check()
    sheet.get_by_role("group", name="General election vote (national)").get_by_label("Won't say").check()
    sheet.get_by_label("3 Undecided").check()
    sheet.get_by_text("Issues, follow-up, note").tap()
    sheet.get_by_label("Do not knock again").check()
    sheet.get_by_role("button", name="Save").tap()

    expect(waiting(page)).to_have_text("5 waiting to send")
    assert ContactRecord.objects.count() == 0

    page.reload()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    expect(waiting(page)).to_have_text("5 waiting to send")
    expect(door(page, first).locator(".state")).to_have_text(re.compile("Not in"))
    expect(page.locator('[data-progress="knocked"]')).to_have_text("4")
    assert ContactRecord.objects.count() == 0

    page.context.set_offline(False)
    expect(waiting(page)).to_have_text("All sent", timeout=20000)

    contacts = {(c.household_id, c.voter_id): c for c in ContactRecord.objects.all()}
    assert len(contacts) == ContactRecord.objects.count() == 5
    assert contacts[(first.pk, None)].outcome == Outcome.NOT_IN
    assert contacts[(second.pk, None)].outcome == Outcome.REFUSED
    spoke = contacts[(third.pk, ann3.pk)]
    assert (spoke.outcome, spoke.local_intention, spoke.local_party, spoke.national_party, spoke.likelihood) == (
        Outcome.SPOKE,
        Intention.PARTY,
        parties[0],
        parties[1],
        5,
    )
    assert spoke.issues == ["Housing", "Bus shelter", "dog fouling"]
    assert (spoke.will_take_poster, spoke.wants_postal_vote, spoke.wants_to_volunteer) == (True, True, False)
    assert spoke.notes == "Call back about the bus shelter"
    assert contacts[(third.pk, bob3.pk)].outcome == Outcome.MOVED_AWAY
    last = contacts[(fourth.pk, ann4.pk)]
    assert (last.local_intention, last.national_intention, last.likelihood, last.do_not_knock) == (
        Intention.UNDECIDED,
        Intention.WONT_SAY,
        3,
        True,
    )
    assert Voter.objects.get(pk=ann4.pk).do_not_contact
    assert {c.volunteer for c in contacts.values()} == {vera}
    assert {c.ward for c in contacts.values()} == {carpenters_round.ward}


def test_undo_drops_a_contact_still_waiting_to_send(live_server, phone_page, vera, carpenters_round, doors):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    first = doors["1 Carpenters Down"]
    page.context.set_offline(True)
    door(page, first).get_by_role("button", name="Not in").tap()
    expect(waiting(page)).to_have_text("1 waiting to send")
    page.get_by_role("button", name="Undo last").tap()
    expect(waiting(page)).to_have_text("All sent")
    expect(door(page, first).locator(".state")).to_have_text("")
    page.context.set_offline(False)
    page.reload()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    expect(waiting(page)).to_have_text("All sent")
    assert ContactRecord.objects.count() == 0


def test_undo_of_a_sent_contact_is_queued_offline_then_deleted_on_the_server(
    live_server, phone_page, vera, carpenters_round, doors
):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    with page.expect_response(lambda response: response.url.endswith("/api/v1/contacts/sync/")):
        door(page, doors["1 Carpenters Down"]).get_by_role("button", name="Refused").tap()
    expect(waiting(page)).to_have_text("All sent")
    assert ContactRecord.objects.count() == 1

    page.context.set_offline(True)
    page.get_by_role("button", name="Undo last").tap()
    expect(waiting(page)).to_have_text("1 waiting to send")
    assert ContactRecord.objects.count() == 1
    page.context.set_offline(False)
    expect(waiting(page)).to_have_text("All sent", timeout=20000)
    assert ContactRecord.objects.count() == 0


def test_two_tabs_coming_back_online_send_each_contact_once(live_server, phone_page, vera, carpenters_round, doors):
    first_tab = phone_page
    log_in(first_tab, live_server.url, vera, lands_on="/doorstep/")
    open_list(first_tab, "Carpenters round")
    second_tab = first_tab.context.new_page()
    second_tab.goto(first_tab.url)
    second_tab.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")

    first_tab.context.set_offline(True)
    door(first_tab, doors["1 Carpenters Down"]).get_by_role("button", name="Not in").tap()
    door(first_tab, doors["2 Carpenters Down"]).get_by_role("button", name="Refused").tap()
    third = door(second_tab, doors["3 Sherborne Road"])
    third.locator(".door-head").tap()
    third.get_by_role("button", name="Not in").tap()
    expect(waiting(second_tab)).to_have_text("3 waiting to send")

    sent = []
    first_tab.context.on(
        "request",
        lambda request: (
            request.method == "POST"
            and request.url.endswith("/api/v1/contacts/sync/")
            and sent.extend(item["client_uuid"] for item in request.post_data_json["contacts"])
        ),
    )
    first_tab.context.set_offline(False)
    expect(waiting(first_tab)).to_have_text("All sent", timeout=20000)
    expect(waiting(second_tab)).to_have_text("All sent", timeout=20000)
    # One tab sent the queue; the other waited for the lock and found nothing left to send.
    assert len(sent) == len(set(sent)) == 3
    assert ContactRecord.objects.count() == 3
    assert ContactRecord.objects.values("client_uuid").distinct().count() == 3


def test_a_sync_cut_off_half_way_is_sent_again_without_doubling(live_server, chromium, vera, carpenters_round, doors):
    # Without the service worker, so the test can cut the sync's answer off on its way back to the phone.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, service_workers="block"
    )
    cut, replays = [], []

    def answer_lost(route):
        if cut:
            replays.append(route.request.post_data_json["contacts"])
            route.continue_()
            return
        cut.append(route.fetch())  # the server stores the batch...
        route.abort("connectionreset")  # ...and the phone never hears back

    context.route("**/api/v1/contacts/sync/", answer_lost)
    page = context.new_page()
    try:
        log_in(page, live_server.url, vera, lands_on="/doorstep/")
        page.get_by_role("link", name=re.compile("Carpenters round")).click()
        page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
        with page.expect_event("requestfailed", lambda request: "/contacts/sync/" in request.url):
            door(page, doors["1 Carpenters Down"]).get_by_role("button", name="Not in").tap()
        expect(waiting(page)).to_have_text("1 waiting to send")
        assert cut[0].status == 200
        assert ContactRecord.objects.count() == 1  # stored, but the phone does not know it yet

        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(waiting(page)).to_have_text("All sent", timeout=20000)
        assert [item["client_uuid"] for item in replays[0]] == [str(ContactRecord.objects.get().client_uuid)]
        assert ContactRecord.objects.count() == 1
    finally:
        context.close()


def test_volunteer_never_sees_a_household_outside_their_lists(
    live_server, phone_page, vera, carpenters_round, off_list_door, south_ham_door
):
    page = phone_page
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    open_list(page, "Carpenters round")
    html = page.content()
    for outsider in (off_list_door, south_ham_door):
        assert f"h{outsider.pk}" not in html
        assert outsider.voters.get().surname not in html
    others = WalkListFactory(ward=south_ham_door.polling_district.ward, households=[south_ham_door])
    response = page.goto(f"{live_server.url}/doorstep/lists/{others.pk}/")
    assert response.status == 404
    assert "Southam" not in page.content()


def test_a_contact_the_server_refuses_is_kept_shown_and_not_sent_again(
    live_server, chromium, vera, carpenters_round, doors
):
    # The server answers 400 to any batch holding the first door's contact: the phone must send the others.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, service_workers="block"
    )
    poisoned, sent_again = [], []

    def refuse_one(route):
        uuids = [item["client_uuid"] for item in route.request.post_data_json["contacts"]]
        if poisoned and poisoned[0] in uuids:
            if len(uuids) == 1:
                sent_again.append(uuids[0])
            route.fulfill(status=400, json={"detail": "Refused for the test.", "code": "invalid"})
            return
        route.continue_()

    page = context.new_page()
    try:
        log_in(page, live_server.url, vera, lands_on="/doorstep/")
        page.get_by_role("link", name=re.compile("Carpenters round")).click()
        page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
        context.set_offline(True)
        door(page, doors["1 Carpenters Down"]).get_by_role("button", name="Not in").tap()
        door(page, doors["2 Carpenters Down"]).get_by_role("button", name="Not in").tap()
        expect(waiting(page)).to_have_text("2 waiting to send")
        poisoned.append(
            page.evaluate("""async () => {
            const { outboxForUser } = await import('/static/doorstep/db.js');
            const rows = await outboxForUser(Number(document.getElementById('doorstep').dataset.user));
            return rows.sort((a, b) => a.seq - b.seq)[0].client_uuid;
        }""")
        )
        context.route("**/api/v1/contacts/sync/", refuse_one)
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(waiting(page)).to_have_text("All sent", timeout=20000)
        expect(page.locator("[data-message]")).to_have_text(re.compile("1 could not be sent"))
        assert ContactRecord.objects.get().household == doors["2 Carpenters Down"]
        refusals = len(sent_again)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(1500)
        assert len(sent_again) == refusals == 1
    finally:
        context.close()


def test_the_doorstep_pages_work_under_the_content_security_policy(
    live_server, chromium, vera, carpenters_round, doors
):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=False)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    try:
        log_in(page, live_server.url, vera, lands_on="/doorstep/")
        page.get_by_role("link", name=re.compile("Carpenters round")).click()
        page.wait_for_selector("#doorstep[data-ready='1']")
        assert violations == []
    finally:
        context.close()
