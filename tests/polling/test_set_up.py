"""Opening polling day for an election, and placing tellers at stations."""

import datetime as dt

import pytest

from tests.factories import CouncilFactory, ElectionFactory, ProfileFactory, UserFactory, WardFactory
from wards.models import Contest
from wards.polling.models import PollingStation
from wards.polling.services import PollingDayError, polling_day_open, teller_assign, teller_unassign


def test_polling_day_takes_the_elections_date(popley, ab1):
    election = ElectionFactory(council=popley.council, date=dt.date(2027, 5, 6))
    day = polling_day_open(election=election, wards=[popley])
    assert (day.election, day.election_date) == (election, dt.date(2027, 5, 6))
    assert election.polling_day == day


def test_an_election_has_one_polling_day(popley, ab1):
    election = ElectionFactory(council=popley.council)
    polling_day_open(election=election, wards=[popley])
    with pytest.raises(PollingDayError, match="already open"):
        polling_day_open(election=election, wards=[popley])


def test_polls_on_one_date_share_one_polling_day(popley, ab1):
    polling_day_open(election=ElectionFactory(council=popley.council), wards=[popley])
    county = ElectionFactory(council=None, kind="county")
    with pytest.raises(PollingDayError, match="6 May 2027 is already open"):
        polling_day_open(election=county, wards=[popley])


def test_wards_of_another_council_are_refused(popley, ab1):
    elsewhere = WardFactory(name="Tadley", council=CouncilFactory(name="Hart", ons_code="E07000089"))
    with pytest.raises(PollingDayError, match="^Tadley: not in Basingstoke and Deane, which holds Borough"):
        polling_day_open(election=ElectionFactory(council=popley.council), wards=[popley, elsewhere])


def test_a_by_election_is_held_only_in_its_wards(popley, south_ham, ab1):
    by_election = ElectionFactory(council=popley.council, kind="by_election", name="Popley by-election")
    Contest.objects.create(election=by_election, ward=popley)
    with pytest.raises(PollingDayError, match="South Ham: no poll at Popley by-election"):
        polling_day_open(election=by_election, wards=[popley, south_ham])
    assert polling_day_open(election=by_election, wards=[popley]).wards.get() == popley


def test_a_teller_stands_at_one_station_of_the_day(day, ab1, ab2):
    at_ab1 = PollingStation.objects.get(polling_day=day, districts=ab1)
    at_ab2 = PollingStation.objects.get(polling_day=day, districts=ab2)
    tom = ProfileFactory(user__username="tom").user
    assert teller_assign(station=at_ab1, user=tom) is None
    assert teller_assign(station=at_ab2, user=tom) == at_ab1
    assert list(PollingStation.objects.filter(tellers=tom)) == [at_ab2]


def test_a_member_with_no_role_cannot_tell(station):
    with pytest.raises(PollingDayError, match="no role in the campaign"):
        teller_assign(station=station, user=UserFactory(username="nobody"))
    assert not station.tellers.exists()


def test_a_teller_leaves_a_station(station, tara):
    teller_unassign(station=station, user=tara)
    assert not station.tellers.exists()
    with pytest.raises(PollingDayError, match="does not tell at"):
        teller_unassign(station=station, user=tara)
