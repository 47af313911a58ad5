"""What the organiser pages show of elections: by-elections first, the three steps, the seat."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import PartyFactory
from wards.models import Candidate, Constituency, Contest, Election, ElectionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client, olivia):
    client.force_login(olivia)
    return client


def test_an_organiser_opens_a_by_election_and_the_overview_shows_it_first(organiser, popley, our_party, eager_tasks):
    when = dt.date.today() + dt.timedelta(days=40)
    response = organiser.post(reverse("wards:by-election-open", args=[popley.pk]), {"date": when.isoformat()})
    assert response.status_code == 302
    contest_ = Contest.objects.get(ward=popley)
    assert (contest_.election.kind, contest_.election.date, contest_.seats_contested) == ("by_election", when, 1)
    page = organiser.get(reverse("wards:overview")).content.decode()
    assert page.index("By-election ahead") < page.index("Rollout: north")
    dashboard = organiser.get(reverse("wards:ward", args=[popley.pk]))
    assert dashboard.context["by_election"] == contest_.election
    assert dashboard.context["seats_up"] == 1


def test_a_by_election_with_a_bad_date_is_not_opened(organiser, popley):
    response = organiser.post(reverse("wards:by-election-open", args=[popley.pk]), {"date": "next week"}, follow=True)
    assert "The by-election was not opened" in response.content.decode()
    assert not Contest.objects.exists()


def test_an_organiser_cannot_open_a_by_election_outside_their_wards(organiser, south_ham):
    when = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    assert organiser.post(reverse("wards:by-election-open", args=[south_ham.pk]), {"date": when}).status_code == 404


def test_the_overview_shows_the_three_steps_and_the_road_to_the_seat(organiser, popley, our_party):
    seat = Constituency.objects.create(name="Basingstoke", code="DEMO-BAS")
    seat.wards.add(popley)
    election = Election.objects.create(date=dt.date(2024, 7, 4), kind=ElectionKind.GENERAL)
    made = Contest.objects.create(election=election, constituency=seat, ballots_issued=40_000, electorate=70_000)
    Candidate.objects.create(
        contest=made,
        name="Them",
        party=PartyFactory(code="CON", name="Conservative"),
        votes=18_000,
        elected=True,
    )
    Candidate.objects.create(contest=made, name="Us", party=our_party, votes=15_000)
    response = organiser.get(reverse("wards:overview"))
    page = response.content.decode()
    assert "Three steps: councillors, the council, the MP" in page
    assert "Road to the seat: Basingstoke" in page
    assert response.context["seats"][0].votes_needed == 3001
    assert "Basingstoke: 3001 votes short" in page


def test_the_road_to_the_seat_costs_the_same_queries_however_many_voters(
    organiser, popley, our_party, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.wards_data import district, spoke, voter

    seat = Constituency.objects.create(name="Basingstoke", code="DEMO-BAS")
    seat.wards.add(popley)
    po1 = district(popley, "PO1")
    spoke(voter(po1, number=1), national=our_party)
    with CaptureQueriesContext(connection) as few:
        organiser.get(reverse("wards:overview"))
    for number in range(2, 30):
        spoke(voter(po1, number=number), national=our_party)
    with django_assert_num_queries(len(few)):
        organiser.get(reverse("wards:overview"))
