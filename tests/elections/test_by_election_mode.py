"""By-election mode: while a by-election is open the ward's target lists, dashboard and polling day follow it;
otherwise the next election scheduled for the ward."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.elections.helpers import contest
from tests.factories import OurPartyFactory, PartyFactory, WardFactory
from tests.wards_data import district, spoke, voter
from wards.elections.selectors import current_election_for, current_elections_for
from wards.elections.services import by_election_open
from wards.models import Constituency, Contest, Election, ElectionKind, Segment
from wards.selectors import knock_up_list, target_list, ward_statistics
from wards.services import ward_statistics_recompute
from wards.services.targets import target_lists_rebuild, target_lists_rebuild_many

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def general_election(constituency, *, date):
    election = Election.objects.create(date=date, kind=ElectionKind.GENERAL)
    Contest.objects.create(election=election, constituency=constituency)
    return election


def promised(district_, *, markers="", attainer_date=None, number=1):
    """A council elector who promised us their vote: on the promises list of the ward's election."""
    person = voter(district_, number=number, markers=markers, attainer_date=attainer_date)
    spoke(person, likelihood=5)
    return person


def promises(ward):
    return [entry.voter for entry in target_list(ward=ward, segment=Segment.PROMISE)]


@pytest.fixture
def ward(db):
    OurPartyFactory()
    return WardFactory(name="Popley")


def test_a_ward_with_nothing_scheduled_follows_no_election(ward):
    assert current_election_for(ward) is None


def test_the_councils_borough_election_is_every_wards_next_election(ward):
    may = Election.objects.create(council=ward.council, date=TODAY + dt.timedelta(days=60), kind=ElectionKind.THIRDS)
    other = WardFactory(council=ward.council)
    assert current_elections_for(wards=[ward, other]) == {ward.id: may, other.id: may}


def test_an_open_by_election_comes_before_a_sooner_scheduled_election(ward):
    Election.objects.create(council=ward.council, date=TODAY + dt.timedelta(days=10), kind=ElectionKind.THIRDS)
    by_election = by_election_open(ward=ward, date=TODAY + dt.timedelta(days=40))
    assert current_election_for(ward) == by_election


def test_once_the_by_election_is_over_the_ward_follows_the_next_scheduled_one(ward):
    by_election = by_election_open(ward=ward, date=TODAY + dt.timedelta(days=10))
    may = Election.objects.create(council=ward.council, date=TODAY + dt.timedelta(days=60), kind=ElectionKind.THIRDS)
    assert current_election_for(ward, on=by_election.date) == by_election
    assert current_election_for(ward, on=by_election.date + dt.timedelta(days=1)) == may


def test_a_ward_split_between_two_constituencies_follows_the_general_election_in_both(ward):
    north, south = district(ward, "PA"), district(ward, "PB")
    whole = WardFactory(council=ward.council)
    basingstoke = Constituency.objects.create(name="Basingstoke", code="DEMO-BAS")
    basingstoke.wards.add(whole)
    basingstoke.polling_districts.add(north)
    hampshire = Constituency.objects.create(name="North West Hampshire", code="DEMO-NWH")
    hampshire.polling_districts.add(south)
    july = TODAY + dt.timedelta(days=30)
    election = general_election(basingstoke, date=july)
    Contest.objects.create(election=election, constituency=hampshire)
    outside = WardFactory(council=ward.council)
    assert current_elections_for(wards=[ward, whole, outside]) == {ward.id: election, whole.id: election}


def test_the_target_lists_leave_out_attainers_of_age_only_after_the_by_election(ward):
    pa = district(ward, "PA")
    by_election = by_election_open(ward=ward, date=TODAY + dt.timedelta(days=20))
    in_time = promised(pa, attainer_date=by_election.date, number=1)
    too_late = promised(pa, attainer_date=by_election.date + dt.timedelta(days=1), number=3)
    target_lists_rebuild(ward=ward)
    assert promises(ward) == [in_time]
    Election.objects.filter(pk=by_election.pk).update(date=TODAY - dt.timedelta(days=1))  # it is over
    target_lists_rebuild(ward=ward)
    assert promises(ward) == [in_time, too_late]


def test_the_knock_up_list_on_by_election_day_holds_its_electors_only(ward):
    pa = district(ward, "PA")
    by_election = by_election_open(ward=ward, date=TODAY + dt.timedelta(days=20))
    in_time = promised(pa, number=1)
    promised(pa, attainer_date=by_election.date + dt.timedelta(days=1), number=3)
    target_lists_rebuild(ward=ward)
    assert [entry.voter for entry in knock_up_list(ward=ward, election_date=by_election.date)] == [in_time]


def test_a_general_election_ahead_lists_parliamentary_electors(ward):
    pa = district(ward, "PA")
    Constituency.objects.create(name="Basingstoke", code="DEMO-BAS").wards.add(ward)
    european = promised(pa, markers="G", number=1)  # a council vote, none at a general election
    overseas = promised(pa, markers="F", number=3)  # the reverse
    target_lists_rebuild(ward=ward)
    assert promises(ward) == [european]
    general_election(Constituency.objects.get(), date=TODAY + dt.timedelta(days=30))
    target_lists_rebuild(ward=ward)
    assert promises(ward) == [overseas]
    by_election_open(ward=ward, date=TODAY + dt.timedelta(days=40))  # the by-election comes first
    target_lists_rebuild(ward=ward)
    assert promises(ward) == [european]


def test_one_rebuild_of_every_ward_gives_each_the_electors_of_its_own_election(ward):
    other = WardFactory(council=ward.council)
    pa, ob = district(ward, "PA"), district(other, "OB")
    Constituency.objects.create(name="Basingstoke", code="DEMO-BAS").wards.add(ward)
    general_election(Constituency.objects.get(), date=TODAY + dt.timedelta(days=30))
    here = {markers: promised(pa, markers=markers, number=n) for n, markers in ((1, "G"), (3, "F"))}
    there = {markers: promised(ob, markers=markers, number=n) for n, markers in ((1, "G"), (3, "F"))}
    target_lists_rebuild_many(ward_ids=None)
    assert promises(ward) == [here["F"]]
    assert promises(other) == [there["G"]]
    target_lists_rebuild_many(ward_ids=[ward.id, other.id])
    assert (promises(ward), promises(other)) == ([here["F"]], [there["G"]])


def test_the_dashboard_follows_the_open_by_election(client, olivia, popley):
    client.force_login(olivia)
    by_election = by_election_open(ward=popley, date=TODAY + dt.timedelta(days=12))
    response = client.get(reverse("wards:ward", args=[popley.pk]))
    context = response.context
    assert (context["election"], context["by_election"], context["days_to_go"]) == (by_election, by_election, 12)
    assert context["seats_up"] == 1
    page = response.content.decode()
    assert "in 12 days" in page
    assert f"council electors on the register who may vote on {by_election.date:%-d %B %Y}" in page


def test_the_dashboard_names_the_scheduled_election_and_its_seats_when_no_by_election_is_open(client, olivia, popley):
    client.force_login(olivia)
    popley.council.cycle = ElectionKind.ALL_OUT
    popley.council.save()
    may = Election.objects.create(council=popley.council, date=TODAY + dt.timedelta(days=1), kind=ElectionKind.ALL_OUT)
    context = client.get(reverse("wards:ward", args=[popley.pk])).context
    assert (context["election"], context["by_election"], context["seats_up"]) == (may, None, popley.seats)
    assert "in 1 day" in client.get(reverse("wards:ward", args=[popley.pk])).content.decode()


def test_the_overview_marks_the_ward_with_a_by_election_in_its_list(client, olivia, popley):
    client.force_login(olivia)
    by_election_open(ward=popley, date=TODAY + dt.timedelta(days=12))
    rows = client.get(reverse("wards:overview")).context["rows"]
    marked = {row.ward for row in rows if row.by_election is not None}
    assert marked == {popley}


def test_the_projection_follows_the_by_election_over_a_sooner_all_out_election(ward):
    ward.council.cycle = ElectionKind.ALL_OUT
    ward.council.save()
    ward.seats_held = 0
    ward.save()
    ours, theirs = OurPartyFactory(), PartyFactory(code="CON")
    contest(
        ward,
        kind=ElectionKind.ALL_OUT,
        date=dt.date(2021, 5, 6),
        seats=3,
        ballots=1000,
        electorate=4000,
        candidates=[*((f"Lab {n}", ours, 900 - n, True) for n in range(3)), ("Con", theirs, 600, False)],
    )
    Election.objects.create(council=ward.council, date=TODAY + dt.timedelta(days=2), kind=ElectionKind.ALL_OUT)
    ward_statistics_recompute(ward_ids=[ward.id])
    assert ward_statistics(ward=ward).seats_projected_gain == 3
    by_election_open(ward=ward, date=TODAY + dt.timedelta(days=5))
    ward_statistics_recompute(ward_ids=[ward.id])
    assert ward_statistics(ward=ward).seats_projected_gain == 1
