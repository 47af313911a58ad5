"""Polling day's cast: Popley and South Ham opened for the borough election held yesterday (so every
hour of it has passed), one station per district, Tara telling at AB1 and promises on the knock-up list."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.factories import ElectionFactory, ProfileFactory
from tests.wards_data import district, spoke, voter
from wards.polling.models import PollingStation
from wards.polling.services import polling_day_open
from wards.services import target_lists_rebuild


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def at(hour: int, minute: int = 0) -> dt.datetime:
    """A time on polling day (yesterday), London time."""
    return timezone.make_aware(dt.datetime.combine(yesterday(), dt.time(hour, minute)))


def uid() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def ab1(popley):
    return district(popley, "AB1")


@pytest.fixture
def ab2(popley):
    return district(popley, "AB2")


@pytest.fixture
def sh1(south_ham):
    return district(south_ham, "SH1")


@pytest.fixture
def election(popley):
    """The borough election, held yesterday in Popley's council."""
    return ElectionFactory(council=popley.council, date=yesterday())


@pytest.fixture
def day(election, popley, south_ham, ab1, ab2, sh1, olivia):
    return polling_day_open(election=election, wards=[popley, south_ham], opened_by=olivia)


@pytest.fixture
def station(day, ab1):
    return PollingStation.objects.get(polling_day=day, districts=ab1)


@pytest.fixture
def tara(db, station):
    """Tara tells at the AB1 station: she sees its entries, numbers only, and nothing else."""
    user = ProfileFactory(user__username="tara").user
    station.tellers.add(user)
    return user


@pytest.fixture
def promises(popley, ab1, our_party):
    """Four promises in AB1 in walking order: 1 and 3 Church Street (3 with a postal vote), 5 and 7."""
    people = [
        voter(ab1, number=1, elector_number=101),
        voter(ab1, number=3, elector_number=103, is_postal_voter=True),
        voter(ab1, number=5, elector_number=105),
        voter(ab1, number=7, elector_number=107),
    ]
    for person in people:
        spoke(person, local=our_party, likelihood=5)
    target_lists_rebuild(ward=popley)
    return people
