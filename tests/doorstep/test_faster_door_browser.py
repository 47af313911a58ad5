"""The door at 390x844 in headless Chromium: an organiser's question asked at five doors offline, a correction,
an undo, a new resident, then the ward dashboard counting each answer once. Taps and screen heights pinned."""

import re
import time

import pytest
from playwright.sync_api import expect

from canvass.models import Answer, ContactRecord, NewResident, Voter
from tests.factories import HouseholdFactory, PartyFactory, VoterFactory, WalkListFactory
from tests.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
# Taps at a door, pinned: "Not in" is one; a voter who speaks is Spoke, council party, national party, the
# campaign's question, Save; a second voter who moved is one more.
NOT_IN_TAPS, SPOKE_TAPS = 1, 5


class Taps:
    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        locator.tap()
        self.count += 1


@pytest.fixture
def five_doors(popley_district):
    """Five doors on Mill Lane; the third has three voters."""
    made = []
    for number in range(1, 6):
        household = HouseholdFactory(polling_district=popley_district, street="Mill Lane", house_number=number)
        names = ["Ann", "Bob", "Cat"] if number == 3 else ["Ann"]
        for name in names:
            VoterFactory(household=household, forenames=name, surname=f"Mill{number}")
        made.append(household)
    return made


@pytest.fixture
def mill_round(vera, olivia, popley, five_doors):
    return WalkListFactory(name="Mill round", ward=popley, created_by=olivia, households=five_doors, assigned_to=[vera])


@pytest.fixture
def standing(parties):
    """Labour and the Conservatives stand for Parliament; the residents' association stands only locally."""
    return [*parties, PartyFactory(code="RES", name="Residents First", stands_nationally=False)]


def organiser_adds_the_poster_question(chromium, live_server, olivia):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server.url, olivia, lands_on="/campaign/")
    page.get_by_role("link", name="Questions").click()
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Wording").fill("May we put up a poster?")
    page.get_by_label("Kind").select_option("yes_no")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("link", name="May we put up a poster?")).to_be_visible()
    page.get_by_label("Script").fill("Hello, I'm from your local Labour team.")
    page.get_by_role("button", name="Save the script").click()
    # The organiser's page fits a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    return context


def wait_for(condition, seconds: float = 10) -> None:
    """The status line says "All sent" as the last answer arrives: give the server's commit a moment."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def in_view(page, locator) -> bool:
    """Wholly on screen and above the status bar, without scrolling."""
    box = locator.bounding_box()
    bar = page.locator("#status").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bar["y"]


def speak(page, taps, door, voter, local, national, poster):
    taps(door.get_by_role("button", name=f"Spoke to {voter.full_name}"))
    sheet = page.get_by_role("dialog")
    # The common case fits one screen: no scrolling in the sheet to reach Save.
    assert page.evaluate(
        "(() => { const d = document.getElementById('spoke'); return d.scrollHeight <= d.clientHeight; })()"
    )
    taps(sheet.get_by_role("group", name="Council vote (local)").get_by_label(local))
    taps(sheet.get_by_role("group", name="General election vote (national)").get_by_label(national))
    taps(sheet.get_by_role("group", name="May we put up a poster?").get_by_label(poster))
    taps(sheet.get_by_role("button", name="Save"))


def test_five_doors_offline_with_the_campaigns_question_then_counted_once(
    live_server, chromium, vera, olivia, popley, mill_round, five_doors, standing
):
    organiser = organiser_adds_the_poster_question(chromium, live_server, olivia)
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    page.get_by_role("link", name=re.compile("Mill round")).click()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'", timeout=20000)
    door = lambda n: page.locator(f"#h{five_doors[n].pk}")  # noqa: E731
    voter = lambda n, name="Ann": Voter.objects.get(household=five_doors[n], forenames=name)  # noqa: E731

    page.context.set_offline(True)
    # The script at the top of the open door.
    expect(door(0).locator(".script")).to_have_text("Hello, I'm from your local Labour team.")

    taps = Taps()
    taps(door(0).get_by_role("button", name="Not in"))
    assert taps.count == NOT_IN_TAPS

    expect(door(1)).to_have_class(re.compile(r"\bopen\b"))
    taps.count = 0
    speak(page, taps, door(1), voter(1), "Labour", "Conservative", "Yes")
    assert taps.count == SPOKE_TAPS
    # Only parties standing nationally are offered for the general election; ours first locally.
    expect(page.locator("#spoke [data-parties='national']").get_by_text("Residents First")).to_have_count(0)
    expect(page.locator("#spoke [data-parties='local']").get_by_text("Residents First")).to_have_count(1)
    expect(page.locator("#spoke [data-parties='local'] .party").first).to_have_text("Labour")
    # The door reads back what was recorded.
    expect(door(1).locator(".recorded-text")).to_have_text("LAB / CON")
    # Everyone at that door done: the page moves on to the three-voter door, whose "Next door" is on screen
    # (above the status bar) without scrolling.
    expect(door(2)).to_have_class(re.compile(r"\bopen\b"))
    page.wait_for_timeout(800)  # the smooth scroll to the door
    assert in_view(page, door(2).get_by_role("button", name="Next door ›"))

    # A correction: the national vote was Labour too.
    door(1).get_by_role("button", name="Change").tap()
    page.get_by_role("dialog").get_by_role("group", name="General election vote (national)").get_by_label(
        "Labour"
    ).tap()
    page.get_by_role("dialog").get_by_role("button", name="Save").tap()
    expect(door(1).locator(".recorded-text")).to_have_text("LAB / LAB")

    taps.count = 0
    speak(page, taps, door(2), voter(2, "Ann"), "Conservative", "Conservative", "No")
    taps(door(2).get_by_role("button", name=f"{voter(2, 'Bob').full_name} moved away"))
    speak(page, taps, door(2), voter(2, "Cat"), "Labour", "Labour", "Yes")
    assert taps.count == 2 * SPOKE_TAPS + 1

    # A new resident at the fourth door, held off the register.
    expect(door(3)).to_have_class(re.compile(r"\bopen\b"))
    door(3).get_by_role("button", name="Someone new here").tap()
    page.get_by_label("Name").fill("Nell Newcome")
    page.get_by_role("dialog", name=re.compile("Someone new")).get_by_role("button", name="Save").tap()
    expect(door(3).locator(".newcomer")).to_contain_text("Nell Newcome")

    # The fifth door: a "not in", undone; the page goes back to that door and names it.
    door(4).locator(".door-head").tap()
    door(4).get_by_role("button", name="Not in").tap()
    page.get_by_role("button", name="Undo last").tap()
    expect(door(4)).to_have_class(re.compile(r"\bopen\b"))
    expect(page.locator("#status .message")).to_contain_text("5 Mill Lane")
    speak(page, Taps(), door(4), voter(4), "Labour", "Conservative", "Yes")

    # Every entry is on the phone (a tap returns before the page has written it) before the reload.
    expect(page.locator("[data-waiting]")).to_have_text("8 waiting to send")
    page.reload()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    expect(page.locator("[data-waiting]")).to_have_text("8 waiting to send")
    assert ContactRecord.objects.count() == 0
    page.context.set_offline(False)
    expect(page.locator("[data-waiting]")).to_have_text("All sent", timeout=20000)

    # door 1: not in; door 2: spoke + correction; door 3: 2 spoke + moved; door 4: new resident; door 5: spoke.
    wait_for(lambda: ContactRecord.objects.count() == 8)
    corrected = ContactRecord.objects.get(is_superseded=True)
    assert corrected.superseded_by.national_party.code == "LAB"
    assert NewResident.objects.get().name == "Nell Newcome"
    assert Voter.objects.filter(forenames="Nell").count() == 0
    # Each answer once per counted contact: Yes at doors 2 (corrected, so once), 3 (Cat) and 5; No at door 3 (Ann).
    counted = Answer.objects.filter(contact__is_superseded=False)
    assert sorted(counted.values_list("choice", flat=True)) == ["No", "Yes", "Yes", "Yes"]

    dashboard = organiser.pages[0]
    dashboard.goto(f"{live_server.url}/campaign/wards/{popley.pk}/")
    table = dashboard.locator("table.survey-question")
    expect(table.locator("caption")).to_contain_text("4 answers")
    expect(table.get_by_role("row", name=re.compile("^Yes"))).to_contain_text("3")
    expect(table.get_by_role("row", name=re.compile("^No"))).to_contain_text("1")
    context.close()
    organiser.close()
