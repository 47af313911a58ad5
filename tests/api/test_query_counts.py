"""List endpoints cost the same number of queries for a few rows or many (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/voters/",
    "/api/v1/households/",
    "/api/v1/contact-records/",
    "/api/v1/walk-lists/",
    "/api/v1/wards/",
    "/api/v1/polling-districts/",
    "/api/v1/villages/",
    "/api/v1/voters/export/",
]


def populate(ward, volunteer, size):
    district = PollingDistrictFactory(ward=ward)
    for _ in range(size):
        voter = VoterFactory(household=HouseholdFactory(polling_district=district))
        ContactRecordFactory(voter=voter, volunteer=volunteer)
        WalkListFactory(ward=ward, households=[voter.household], assigned_to=[volunteer])


def queries_for(api, url):
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_list_costs_the_same_queries_for_two_rows_or_twelve(as_user, olivia, vera, popley, url):
    api = as_user(olivia)
    populate(popley, vera, 2)
    few = queries_for(api, url)
    populate(popley, vera, 10)
    assert queries_for(api, url) == few
