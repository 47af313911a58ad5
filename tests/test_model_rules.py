import pytest
from django.db import IntegrityError

from canvass.franchise import Franchise, franchise_for_markers
from canvass.models import Household
from tests.factories import (
    ContactRecordFactory,
    CouncilFactory,
    HouseholdFactory,
    PollingDistrictFactory,
    VoterFactory,
)


@pytest.mark.django_db
def test_voter_reference_omits_a_zero_suffix():
    voter = VoterFactory(polling_district=PollingDistrictFactory(code="AB1"), elector_number=124)
    assert voter.reference == "AB1-124"


@pytest.mark.django_db
def test_voter_reference_writes_a_non_zero_suffix():
    voter = VoterFactory(polling_district=PollingDistrictFactory(code="AB1"), elector_number=124, elector_suffix=1)
    assert voter.reference == "AB1-124/1"


@pytest.mark.parametrize(("seats", "majority"), [(54, 28), (60, 31), (55, 28), (1, 1)])
def test_majority_is_more_than_half_the_seats(seats, majority):
    assert CouncilFactory.build(total_seats=seats).majority == majority


@pytest.mark.parametrize(
    ("markers", "franchise"),
    [
        ("", Franchise.ALL),
        ("F", Franchise.WESTMINSTER_ONLY),
        ("G", Franchise.LOCAL_ONLY),
        ("B", Franchise.LOCAL_ONLY),
        ("L", Franchise.LOCAL_ONLY),
        ("N", Franchise.ALL),
        ("Z", Franchise.ALL),
        ("gz", Franchise.LOCAL_ONLY),
    ],
)
def test_franchise_follows_the_register_markers(markers, franchise):
    assert franchise_for_markers(markers) == franchise


@pytest.mark.django_db
def test_client_uuid_is_unique():
    first = ContactRecordFactory()
    with pytest.raises(IntegrityError):
        ContactRecordFactory(client_uuid=first.client_uuid, voter=first.voter)


@pytest.mark.django_db
def test_walking_order_takes_the_odd_side_then_the_even_side_then_doors_without_numbers():
    district = PollingDistrictFactory()
    for number in (4, 1, 2, 3, None):
        HouseholdFactory(
            polling_district=district,
            street="Mill Lane",
            house_number=number,
            address=f"{number or 'Rose Cottage'} Mill Lane",
        )
    HouseholdFactory(polling_district=district, street="Ash Road", house_number=9)
    walked = [(h.street, h.house_number) for h in Household.objects.in_walking_order()]
    assert walked == [
        ("Ash Road", 9),
        ("Mill Lane", 1),
        ("Mill Lane", 3),
        ("Mill Lane", 2),
        ("Mill Lane", 4),
        ("Mill Lane", None),
    ]
