"""The doorstep scene: Vera's walk list in Popley, two streets, and doors she must never see.

Vera's list has four doors on two streets, out of walking order in the database so the page must put them
right; a fifth Popley door is in Olivia's ward but not on Vera's list, and South Ham is another ward.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import HouseholdFactory, PartyFactory, PollingDistrictFactory, VoterFactory, WalkListFactory


@pytest.fixture
def kept():
    """Built walk-list answers and pages, and the wards' party use, kept in a shared cache (as deployed with Redis),
    empty to begin with."""
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "walk-lists"}}
    with override_settings(CACHES=caches, WALK_LIST_BODY_CACHE_SECONDS=300, PARTY_USE_CACHE_SECONDS=120):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def parties(our_party):
    return [our_party, PartyFactory(code="CON", name="Conservative", colour="#0087dc")]


@pytest.fixture
def doors(popley_district):
    """Four doors for Vera: 2 and 1 Carpenters Down, 4 and 3 Sherborne Road (each with two voters)."""
    made = {}
    for street, number in (
        ("Carpenters Down", 2),
        ("Carpenters Down", 1),
        ("Sherborne Road", 4),
        ("Sherborne Road", 3),
    ):
        household = HouseholdFactory(polling_district=popley_district, street=street, house_number=number)
        VoterFactory(household=household, forenames="Ann", surname=f"Door{number}{street[0]}")
        VoterFactory(household=household, forenames="Bob", surname=f"Door{number}{street[0]}")
        made[f"{number} {street}"] = household
    return made


@pytest.fixture
def off_list_door(popley_district):
    household = HouseholdFactory(polling_district=popley_district, street="Carpenters Down", house_number=99)
    VoterFactory(household=household, forenames="Olive", surname="Offlist")
    return household


@pytest.fixture
def south_ham_door(south_ham):
    district = PollingDistrictFactory(ward=south_ham, code="SH1")
    household = HouseholdFactory(polling_district=district, street="Sullivan Road", house_number=5)
    VoterFactory(household=household, forenames="Sam", surname="Southam")
    return household


@pytest.fixture
def carpenters_round(vera, olivia, popley, doors):
    ordered = [
        doors["1 Carpenters Down"],
        doors["2 Carpenters Down"],
        doors["3 Sherborne Road"],
        doors["4 Sherborne Road"],
    ]
    return WalkListFactory(
        name="Carpenters round", ward=popley, created_by=olivia, households=ordered, assigned_to=[vera]
    )


@pytest.fixture
def as_user():
    """An API client signed in as the given user (`as_user(vera)`)."""

    def login(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return login
