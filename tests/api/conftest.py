"""The API's scene: Popley and South Ham each with a street of voters, and Vera's walk list in Popley.

Vera's list holds the first two Popley households only, so the third is in Olivia's ward but off
Vera's list: the case that separates a volunteer's scope from an organiser's.
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import HouseholdFactory, PollingDistrictFactory, VoterFactory, WalkListFactory


@pytest.fixture
def south_ham_district(south_ham):
    return PollingDistrictFactory(ward=south_ham, code="SH1")


@pytest.fixture
def popley_households(popley_district):
    return [HouseholdFactory(polling_district=popley_district, street="Carpenters Down") for _ in range(3)]


@pytest.fixture
def popley_voters(popley_households):
    return [VoterFactory(household=household) for household in popley_households]


@pytest.fixture
def south_ham_voter(south_ham_district):
    return VoterFactory(household=HouseholdFactory(polling_district=south_ham_district, street="Sullivan Road"))


@pytest.fixture
def veras_list(vera, popley, popley_households, popley_voters, olivia):
    return WalkListFactory(ward=popley, created_by=olivia, households=popley_households[:2], assigned_to=[vera])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    def login(user):
        api.force_authenticate(user)
        return api

    return login
