import pytest

from canvass.walklists.services import WalkListCutError, walk_list_cut
from tests.factories import HouseholdFactory, PollingDistrictFactory

pytestmark = pytest.mark.django_db


def test_cut_orders_households_by_street_then_odd_side_then_even_side(olivia, popley):
    district = PollingDistrictFactory(ward=popley)
    for street, number in [("Oak Road", 2), ("Ash Way", 4), ("Oak Road", 1), ("Ash Way", 3), ("Ash Way", 1)]:
        HouseholdFactory(polling_district=district, street=street, house_number=number)
    walk_list = walk_list_cut(created_by=olivia, name="Ash and Oak", polling_district=district)
    doors = [(s.household.street, s.household.house_number) for s in walk_list.stops.select_related("household")]
    assert doors == [("Ash Way", 1), ("Ash Way", 3), ("Ash Way", 4), ("Oak Road", 1), ("Oak Road", 2)]
    assert walk_list.ward == popley


def test_cut_by_streets_keeps_only_those_streets_and_assigns(olivia, vera, popley):
    district = PollingDistrictFactory(ward=popley)
    HouseholdFactory(polling_district=district, street="Oak Road")
    kept = HouseholdFactory(polling_district=district, street="Elm Close")
    walk_list = walk_list_cut(
        created_by=olivia, name="Elm", polling_district=district, streets=["Elm Close"], assign_to=[vera]
    )
    assert list(walk_list.households.all()) == [kept]
    assert list(walk_list.assigned_to.all()) == [vera]
    assert "Elm Close" in walk_list.source


def test_cut_refuses_households_from_two_wards(olivia, popley, south_ham):
    households = [
        HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley)),
        HouseholdFactory(polling_district=PollingDistrictFactory(ward=south_ham)),
    ]
    with pytest.raises(WalkListCutError, match="one ward"):
        walk_list_cut(created_by=olivia, name="Mixed", households=households)


def test_cut_with_nothing_matching_is_refused(olivia, popley):
    with pytest.raises(WalkListCutError, match="No household"):
        walk_list_cut(created_by=olivia, name="Empty", ward=popley)
