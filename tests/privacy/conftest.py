"""Hand-made Popley data for the privacy duties: two doors, three voters, contacts with notes and answers."""

import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import Intention
from tests.doorstep.conftest import carpenters_round, doors, parties  # noqa: F401  (the doorstep scene)
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    OurPartyFactory,
    PollingDistrictFactory,
    VoterFactory,
)


@pytest.fixture
def ab1(popley):
    return PollingDistrictFactory(ward=popley, code="AB1")


@pytest.fixture
def ours(db):
    return OurPartyFactory()


@pytest.fixture
def people(ab1, ours, vera):
    """Ann (a promise, with notes and answers), Bob at her door, Cath next door."""
    door = HouseholdFactory(polling_district=ab1)
    ann = VoterFactory(household=door, elector_number=1, surname="Archer", forenames="Ann")
    bob = VoterFactory(household=door, elector_number=2, surname="Archer", forenames="Bob")
    cath = VoterFactory(polling_district=ab1, elector_number=3, surname="Cole", forenames="Cath")
    ContactRecordFactory(
        voter=ann,
        volunteer=vera,
        local_intention=Intention.PARTY,
        local_party=ours,
        likelihood=5,
        notes="Has a bad knee; ring twice",
        issues=["potholes"],
        casework=True,
    )
    ContactRecordFactory(voter=bob, volunteer=vera, local_intention=Intention.UNDECIDED, likelihood=3)
    ContactRecordFactory(
        voter=cath,
        volunteer=vera,
        local_intention=Intention.PARTY,
        local_party=ours,
        likelihood=4,
        contacted_at=timezone.now() - dt.timedelta(days=3),
    )
    return {"ann": ann, "bob": bob, "cath": cath}
