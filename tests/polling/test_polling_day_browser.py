"""Polling day in headless Chromium: a teller offline, a volunteer's knock-up round, the board, the sheet."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ElectionFactory, ProfileFactory
from tests.login import log_in
from tests.wards_data import district, spoke, voter
from wards.models import TellerReturn
from wards.polling.models import PollingStation
from wards.polling.services import knock_up_round_send, knock_up_rounds_build, polling_day_open, teller_assign
from wards.services import target_lists_rebuild

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(popley, our_party, vera):
    ab1 = district(popley, "AB1")
    promises = [voter(ab1, street="Church Street", number=n, elector_number=100 + n) for n in range(1, 13)]
    for person in promises:
        spoke(person, local=our_party, likelihood=5)
    target_lists_rebuild(ward=popley)
    # Open all day today, so the numbers the teller types now are inside the hours whenever the test runs.
    election = ElectionFactory(council=popley.council, date=timezone.localdate())
    day = polling_day_open(election=election, wards=[popley], opens_at=dt.time(0), closes_at=dt.time(23, 59, 59))
    station = PollingStation.objects.get(polling_day=day)
    tara = ProfileFactory(user__username="tara").user
    teller_assign(station=station, user=tara)
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=20)
    knock_up_round_send(round=round_, volunteer=vera)
    return {"day": day, "station": station, "round": round_, "tara": tara, "promises": promises}


def test_a_teller_offline_enters_ten_numbers_and_the_knock_up_round_board_and_sheet_follow(
    live_server, chromium, scene, vera, olivia
):
    base = live_server.url
    station, round_ = scene["station"], scene["round"]

    volunteer = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    log_in(volunteer, base, vera, lands_on=f"/polling/rounds/{round_.id}/", asked_for=True)
    volunteer.wait_for_function("document.querySelector('[data-round]').dataset.ready === 'true'")
    expect(volunteer.locator("[data-status]")).to_have_text(re.compile(r"^12 still to vote"))

    teller = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    log_in(teller, base, scene["tara"], lands_on=f"/polling/stations/{station.id}/teller/", asked_for=True)
    teller.wait_for_function("document.querySelector('[data-teller]').dataset.ready === 'true'")
    expect(teller.locator("body")).not_to_contain_text(scene["promises"][0].surname)

    teller.context.set_offline(True)
    forms = ["101", "102/0", "AB1 103", "AB1-104", "105.0", "ab1 106", "107", "108", "109", "AB1-110"]
    for typed in forms:
        teller.get_by_label("Number").fill(typed)
        teller.get_by_role("button", name="Enter").click()
    expect(teller.locator("[data-waiting]")).to_have_text("10 waiting to send")
    assert not TellerReturn.objects.exists()

    teller.context.set_offline(False)
    expect(teller.locator("[data-waiting]")).to_have_text("All sent", timeout=15000)
    assert TellerReturn.objects.count() == 10
    expect(teller.locator("[data-recent] li").first).to_contain_text("AB1-110 recorded")

    # The volunteer's next sync (every 30 s, or when the signal returns) drops the ten who voted.
    volunteer.evaluate("window.dispatchEvent(new Event('online'))")
    expect(volunteer.locator("[data-status]")).to_have_text(re.compile(r"^2 still to vote"))
    left = [int(v) for v in volunteer.locator("[data-voter]").evaluate_all("els => els.map(e => e.dataset.voter)")]
    assert left == [p.id for p in scene["promises"][10:]]

    board = chromium.new_context(viewport={"width": 1024, "height": 768}).new_page()
    log_in(board, base, olivia, lands_on=f"/polling/{scene['day'].id}/board/", asked_for=True)
    ward_row = board.locator("[data-board=wards] tbody tr").first
    expect(ward_row).to_contain_text("Popley")
    assert [c.strip() for c in ward_row.locator("td").all_inner_texts()[:4]] == ["Popley", "12", "10", "2"]
    # The station's row: 12 promises, 10 voted, 2 outstanding; turnout 10 of its 12 electors.
    station_cells = [
        c.strip() for c in board.locator("[data-board=stations] tbody tr").first.locator("td").all_inner_texts()
    ]
    assert station_cells[:6] == [station.name, "12", "10", "2", "10 (83.3%)", "12"]

    volunteer.goto(f"{base}/polling/rounds/{round_.id}/print/")
    assert volunteer.locator("tr.voted s").count() == 20  # ten doors, address and name struck on each
    assert volunteer.locator("tr:not(.voted)[data-voter]").count() == 2
    for page in (volunteer, teller, board):
        page.context.close()


def test_the_teller_page_reopens_with_no_signal_and_sends_when_it_returns(live_server, chromium, scene):
    base, station = live_server.url, scene["station"]
    teller = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    log_in(teller, base, scene["tara"], lands_on=f"/polling/stations/{station.id}/teller/", asked_for=True)
    teller.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)

    teller.context.set_offline(True)
    teller.reload()
    teller.wait_for_function("document.querySelector('[data-teller]').dataset.ready === 'true'")
    for typed in ("101", "AB1-102"):
        teller.get_by_label("Number").fill(typed)
        teller.get_by_role("button", name="Enter").click()
    expect(teller.locator("[data-waiting]")).to_have_text("2 waiting to send")

    teller.context.set_offline(False)
    expect(teller.locator("[data-waiting]")).to_have_text("All sent", timeout=15000)
    assert TellerReturn.objects.count() == 2
    teller.context.close()
