import datetime as dt
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from canvass.models import AuditEvent, Intention, Outcome, QuestionKind
from canvass.surveys.services import question_create
from tests.factories import ContactRecordFactory, HouseholdFactory, VoterFactory, WalkListFactory
from tests.login import client_for
from wards.models import Segment

pytestmark = pytest.mark.django_db


def list_url(walk_list):
    return reverse("doorstep-list", args=[walk_list.pk])


def test_volunteer_lands_on_their_walk_lists_after_login(vera):
    response = client_for(vera).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("doorstep-lists")


def test_organiser_reaches_the_walk_lists_from_the_campaign_pages(olivia):
    response = client_for(olivia).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("wards:overview")
    assert reverse("doorstep-lists").encode() in response.content


def test_walk_lists_page_shows_the_lists_assigned_to_the_volunteer(vera, carpenters_round):
    WalkListFactory(name="Someone else's round", ward=carpenters_round.ward)
    response = client_for(vera).get(reverse("doorstep-lists"))
    assert [wl.name for wl in response.context["walk_lists"]] == ["Carpenters round"]
    assert b"Someone else" not in response.content
    assert b"0 of 4 doors knocked" in response.content


def test_volunteer_without_lists_sees_none_and_a_hint(victor, carpenters_round):
    response = client_for(victor).get(reverse("doorstep-lists"))
    assert response.context["walk_lists"] == []
    assert b"no walk lists yet" in response.content


def _streets_shown(content: str) -> list[tuple[str, list[int]]]:
    """The page's streets in order, each with its doors' household ids in order."""
    sections = re.findall(r'<section class="street".*?<h2[^>]*>(.*?)</h2>(.*?)</section>', content, re.S)
    return [(name, [int(pk) for pk in re.findall(r'<li class="door[^"]*" id="h\d+" data-h="(\d+)"', doors)])
            for name, doors in sections]  # fmt: skip


def test_walk_list_page_walks_street_by_street_in_walking_order(vera, carpenters_round, doors):
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    number = {door.pk: door.house_number for door in doors.values()}
    streets = _streets_shown(content)
    assert [name for name, _ in streets] == ["Carpenters Down", "Sherborne Road"]
    assert [[number[pk] for pk in shown] for _, shown in streets] == [[1, 2], [3, 4]]
    first = doors["1 Carpenters Down"]
    door_html = re.search(rf'id="h{first.pk}".*?</ul></li>', content, re.S).group(0)
    assert door_html.count("<li data-v=") == 2


def test_volunteer_gets_404_for_a_list_not_assigned_to_them(victor, carpenters_round):
    assert client_for(victor).get(list_url(carpenters_round)).status_code == 404


def test_volunteer_gets_404_for_a_list_that_does_not_exist(vera, carpenters_round):
    assert client_for(vera).get(reverse("doorstep-list", args=[carpenters_round.pk + 1000])).status_code == 404


def test_organiser_of_another_ward_gets_404(oscar, carpenters_round):
    assert client_for(oscar).get(list_url(carpenters_round)).status_code == 404


def test_organiser_of_the_ward_can_open_the_list(olivia, carpenters_round):
    assert client_for(olivia).get(list_url(carpenters_round)).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client, carpenters_round):
    response = client.get(list_url(carpenters_round))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_walk_list_page_never_shows_households_off_the_list(vera, carpenters_round, off_list_door, south_ham_door):
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    for outsider in (off_list_door, south_ham_door):
        assert f'data-h="{outsider.pk}"' not in content
        assert str(outsider) not in content
        for voter in outsider.voters.all():
            assert voter.surname not in content


def test_do_not_contact_voter_is_shown_and_not_offered(vera, carpenters_round, doors):
    voter = doors["1 Carpenters Down"].voters.first()
    voter.do_not_contact = True
    voter.save()
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    assert f'data-v="{voter.pk}" data-at="" class="dnc"' in content
    assert "Do not contact" in content


def test_a_door_where_everyone_asked_for_no_contact_is_not_offered_for_knocking(vera, carpenters_round, doors):
    doors["2 Carpenters Down"].voters.update(do_not_contact=True)
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    assert f'no-knock" id="h{doors["2 Carpenters Down"].pk}"' in content
    assert f'no-knock" id="h{doors["1 Carpenters Down"].pk}"' not in content


def test_last_contact_is_shown_with_intentions_and_likelihood(vera, carpenters_round, doors, parties):
    voter = doors["3 Sherborne Road"].voters.first()
    ContactRecordFactory(
        voter=voter,
        local_intention=Intention.PARTY,
        local_party=parties[0],
        national_intention=Intention.PARTY,
        national_party=parties[1],
        likelihood=4,
        contacted_at=timezone.make_aware(dt.datetime(2026, 11, 3, 18, 0)),
    )
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    assert "Spoke 3 Nov · local LAB, national CON · 4/5" in content


def test_progress_counts_as_the_api_does_since_the_list_was_cut(vera, carpenters_round, doors):
    first, second = doors["1 Carpenters Down"], doors["2 Carpenters Down"]
    ContactRecordFactory(voter=first.voters.first())
    ContactRecordFactory(voter=first.voters.first(), contacted_at=timezone.now())
    ContactRecordFactory(
        voter=None, household=second, ward=carpenters_round.ward, outcome=Outcome.NOT_IN, contacted_at=timezone.now()
    )
    response = client_for(vera).get(list_url(carpenters_round))
    # The not-in door is knocked but still to do; yesterday's contact predates the list.
    assert response.context["doors"].progress == {"households": 4, "knocked": 2, "contacts": 2, "to_do": 3}
    assert b'data-progress="to_do" data-base="3"' in response.content


def test_a_not_in_door_stays_on_the_list_marked(vera, carpenters_round, doors):
    door = doors["2 Carpenters Down"]
    ContactRecordFactory(
        voter=None, household=door, ward=carpenters_round.ward, outcome=Outcome.NOT_IN, contacted_at=timezone.now()
    )
    content = client_for(vera).get(list_url(carpenters_round)).content.decode()
    assert f'class="door knocked not-in to-do" id="h{door.pk}"' in content


@override_settings(WALK_LIST_BODY_CACHE_SECONDS=0)  # every page built (tests/doorstep/test_page_shared_cache.py)
def test_walk_list_page_costs_the_same_queries_whatever_its_length(
    vera, popley, popley_district, django_assert_num_queries
):
    client = client_for(vera)

    def list_of(size):
        households = [HouseholdFactory(polling_district=popley_district, street="Long Lane") for _ in range(size)]
        for household in households:
            voter = VoterFactory(household=household)
            ContactRecordFactory(voter=voter)
        return WalkListFactory(ward=popley, households=households, assigned_to=[vera])

    short, long = list_of(2), list_of(30)
    # A survey question limited to a target segment: the page reads the questions, their wards, their
    # current versions, the voters' segments, the scripts and the new residents at its doors once each,
    # whatever the list's length.
    question_create(
        council=popley.council, kind=QuestionKind.YES_NO, wording="Poster?", segments=[Segment.PERSUADABLE], by=None
    )
    client.get(list_url(short))  # session and user loaded once, as on any later page
    # session, user, profile, list, its validator (one query), doors, voters, contacts, audit, and the six above;
    # the ward's party use (and, the ward having none yet, the campaign's); the changes token's watermark comes
    # from the validator and the tree, and the records the volunteer may change are looked for only among
    # contacts since the cut (none here): no query of their own
    with django_assert_num_queries(17) as short_queries:
        client.get(list_url(short))
    with django_assert_num_queries(len(short_queries.captured_queries)):
        client.get(list_url(long))


def test_opening_a_walk_list_is_recorded_in_the_audit_trail(vera, carpenters_round):
    client_for(vera).get(list_url(carpenters_round))
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.resource, event.count) == (vera, "list", "voter", 8)


def test_walk_list_page_is_not_kept_in_the_browsers_http_cache(vera, carpenters_round):
    response = client_for(vera).get(list_url(carpenters_round))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_service_worker_is_served_at_the_root_uncached_with_its_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "/static/doorstep/walk.js" in body
    assert reverse("doorstep-offline") in body


def test_manifest_is_public_and_its_icons_exist(client):
    response = client.get(reverse("doorstep-manifest"))
    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"] == reverse("doorstep-lists")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_offline_page_carries_no_personal_data_and_needs_no_login(client):
    response = client.get(reverse("doorstep-offline"))
    assert response.status_code == 200
    assert b"No signal" in response.content


def test_page_progress_matches_the_api_for_the_same_list(vera, carpenters_round, doors):
    ContactRecordFactory(voter=doors["1 Carpenters Down"].voters.first(), contacted_at=timezone.now())
    ContactRecordFactory(
        voter=None,
        household=doors["2 Carpenters Down"],
        ward=carpenters_round.ward,
        outcome=Outcome.NOT_IN,
        contacted_at=timezone.now(),
    )
    doors["4 Sherborne Road"].voters.update(do_not_contact=True)
    client = client_for(vera)
    page = client.get(list_url(carpenters_round)).context["doors"].progress
    api = client.get(f"/api/v1/walk-lists/{carpenters_round.pk}/").json()["progress"]
    assert page == {key: api[key] for key in page}


def test_a_door_with_no_street_is_shown_under_no_street(vera, popley, doors):
    lone = HouseholdFactory(polling_district=doors["1 Carpenters Down"].polling_district, street="")
    VoterFactory(household=lone, forenames="Nora", surname="Nostreet")
    walk_list = WalkListFactory(ward=popley, households=[lone], assigned_to=[vera])
    content = client_for(vera).get(list_url(walk_list)).content.decode()
    assert _streets_shown(content) == [("No street", [lone.pk])]


def test_a_list_with_no_doors_says_so(vera, popley):
    walk_list = WalkListFactory(ward=popley, households=[], assigned_to=[vera])
    assert "This list has no doors." in client_for(vera).get(list_url(walk_list)).content.decode()
