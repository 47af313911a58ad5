import datetime as dt

import pytest

from canvass.models import Household, Voter
from canvass.register import generator
from canvass.register.services import register_import
from tests.register.conftest import XPRESS_HEADER, csv_bytes


@pytest.mark.parametrize("layout", ["xpress13", "xpress14", "idox", "halarose"])
def test_each_layout_imports_every_elector_with_names_and_addresses(council, register, layout):
    report = register_import(file=generator.register_bytes(register, layout=layout), council=council)

    assert report.applied and report.rejected_total == 0
    assert report.counts["new"] == Voter.objects.count() == len(register)
    imported = {(v.reference, v.surname, v.forenames) for v in Voter.objects.select_related("polling_district")}
    assert imported == {(e.reference, e.surname, e.forenames) for e in register}


def test_each_layout_gives_the_same_households(council, register):
    households = {}
    for layout in ("xpress13", "xpress14", "idox", "halarose"):
        register_import(file=generator.register_bytes(register, layout=layout), council=council)
        households[layout] = set(Household.objects.values_list("polling_district__code", "address_key"))
    assert len({frozenset(found) for found in households.values()}) == 1


def test_electors_are_grouped_into_households_by_normalised_address_and_postcode(council):
    data = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,12 Foo Road,Basingstoke,,,,RG21 7AB",
        "AB1,2,0,,,SMITH Jane,rg217ab,12  foo road.,BASINGSTOKE,,,,",
        "AB1,3,0,,,JONES Ann,RG21 7AB,14 Foo Road,Basingstoke,,,,",
    )

    register_import(file=data, council=council)

    assert Household.objects.count() == 2
    smiths = Household.objects.get(voters__elector_number=1)
    assert set(smiths.voters.values_list("forenames", flat=True)) == {"John", "Jane"}
    assert (smiths.postcode, smiths.street, smiths.house_number) == ("RG21 7AB", "Foo Road", 12)


def test_polling_district_prefix_links_the_voter_to_its_ward(council):
    data = csv_bytes(XPRESS_HEADER, "CD1,7,0,,,SMITH John,RG22 4AA,1 Bar Lane,,,,,")

    register_import(file=data, council=council)

    assert Voter.objects.get().polling_district.ward.name == "South Ham"


def test_markers_suffix_and_attainer_date_are_kept(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,124,1,G,15/08/2008,DE LA CRUZ Maria José,RG21 7AB,1 Foo Road,,,,,")

    register_import(file=data, council=council)

    voter = Voter.objects.get()
    assert voter.reference == "AB1-124/1"
    assert (voter.surname, voter.forenames, voter.markers) == ("DE LA CRUZ", "Maria José", "G")
    assert voter.attainer_date == dt.date(2008, 8, 15)
    assert voter.can_vote_in_council_election


def test_anonymous_elector_is_imported_by_number_only(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,5,0,N,,,,,,,,,")

    register_import(file=data, council=council)

    voter = Voter.objects.get()
    assert (voter.reference, voter.markers, voter.surname) == ("AB1-5", "N", "")
