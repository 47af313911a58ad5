"""The pages' query counts do not grow with the register: 10,000 electors cost what 100 do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvass.models import ContactRecord, Voter
from tests.dashboards import scene
from tests.elections.helpers import contest
from tests.login import client_for

# Session, user and the organiser's profile (3), then the page: ward in scope, parties, ward statistics,
# contact-rate samples, last result, polling districts and villages (one), segment counts, volunteer activity,
# marked-register turnout, leaflets' coverage, upcoming sessions, walk lists with their live progress, the ward's
# election history and its candidates, the campaign's survey questions (15; with questions, three more for their
# versions and answers), and the election it follows: its contests ahead, its council's borough elections,
# general elections in its constituencies (3).
WARD_DASHBOARD_QUERIES = 21
# Session, user, profile, then council, parties, wards, campaign, ward ranking, visible wards, zones
# taken, zone statistics, council statistics, road to majority, open by-elections, constituencies (and
# a fixed handful per constituency, none here).
OVERVIEW_QUERIES = 15


@pytest.fixture
def big_campaign(db, popley, south_ham, our_party, vera, victor, olivia, oscar, alice):
    """Popley with 10,000 electors (8,000 in PA1, 2,000 in PA2), 4,000 contacts and a result per ward."""
    built = scene.build(
        popley=popley, south_ham=south_ham, ours=our_party, volunteers=[vera, victor], popley_households=4000
    )
    for ward in (popley, south_ham):
        contest(ward, ballots=3000, electorate=10_000, candidates=[("Ann Able", our_party, 1500, True)])
    return built


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_ward_dashboard_with_10000_electors_renders_in_a_constant_number_of_queries(
    big_campaign, olivia, popley, south_ham, alice, django_assert_num_queries
):
    assert Voter.objects.filter(polling_district__ward=popley).count() == 10_000
    organiser = client_for(olivia)
    with django_assert_num_queries(WARD_DASHBOARD_QUERIES):
        organiser.get(reverse("wards:ward", args=[popley.pk]))
    # The admin has no profile row to read, and the same count for a ward of 40 electors as of 10,000.
    admin = client_for(alice)
    with django_assert_num_queries(WARD_DASHBOARD_QUERIES - 1):
        admin.get(reverse("wards:ward", args=[popley.pk]))
    with django_assert_num_queries(WARD_DASHBOARD_QUERIES - 1):
        admin.get(reverse("wards:ward", args=[south_ham.pk]))


def test_ward_dashboard_reads_statistics_not_raw_contacts(campaign, olivia, popley):
    _, sqls = count_queries(client_for(olivia), reverse("wards:ward", args=[popley.pk]))
    contacts = ContactRecord._meta.db_table
    # The walk lists' live progress reads the contacts at their own doors (canvass.walklists.selectors).
    touching = [sql for sql in sqls if contacts in sql and "canvass_walklist" not in sql]
    # Otherwise only the volunteer activity reads contacts, over an indexed date range of the ward's recent weeks.
    assert len(touching) == 1
    unquoted = touching[0].replace('"', "")
    assert "contacted_at >=" in unquoted and "ward_id =" in unquoted


def test_overview_query_count_does_not_grow_with_the_wards(campaign, olivia, django_assert_num_queries):
    from tests.factories import WardFactory

    client = client_for(olivia)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(reverse("wards:overview"))
    for n in range(5):
        WardFactory(name=f"Extra {n}", zone="villages")
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(reverse("wards:overview"))


def test_segment_page_and_walk_sheet_do_not_grow_with_their_length(campaign, olivia, popley, django_assert_num_queries):
    from tests.factories import WalkListFactory

    client = client_for(olivia)
    doors = list(popley.polling_districts.get(code="PA1").households.in_walking_order())
    short, long = WalkListFactory(ward=popley, households=doors[:2]), WalkListFactory(ward=popley, households=doors)
    few, _ = count_queries(client, reverse("wards:walk-sheet", args=[short.pk]))
    with django_assert_num_queries(few):
        client.get(reverse("wards:walk-sheet", args=[long.pk]))
    few, _ = count_queries(client, reverse("wards:walk-list", args=[short.pk]))
    with django_assert_num_queries(few):
        client.get(reverse("wards:walk-list", args=[long.pk]))
