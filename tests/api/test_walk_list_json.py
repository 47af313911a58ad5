"""On PostgreSQL the full walk-list detail's households and progress are built as JSON in the database
(`walk_list_households_json`): the same answer as the serializer over the tree, to the character."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from canvass.api.serializers.walklists import WalkListDetailSerializer, walk_list_detail_answer
from canvass.models import Intention, Outcome, WalkList
from canvass.walklists.selectors import walk_list_detail, walk_list_households_json
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PartyFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)
from wards.models import Reason, Segment, TargetListEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

UTC = dt.UTC


def _target(voter, segment, reason, position=1):
    return TargetListEntry.objects.create(
        ward=voter.polling_district.ward,
        segment=segment,
        reason=reason,
        position=position,
        voter=voter,
        household=voter.household,
        built_at=timezone.now(),
    )


@pytest.fixture
def rounds(popley, olivia):
    district = PollingDistrictFactory(ward=popley, code="PJ1")
    odd = HouseholdFactory(polling_district=district, address='1 "Quoted" Way\nFlat <2> & Co\nBasingstoke')
    none_number = HouseholdFactory(polling_district=district, house_number=None, address="Rose Cottage")
    nobody = HouseholdFactory(polling_district=district, address="")
    all_dnc = HouseholdFactory(polling_district=district)
    zoe = VoterFactory(household=odd, forenames="Zoë", surname="O'Brien \\ Smith", title="Dr", markers="E")
    ann = VoterFactory(household=odd, forenames="", surname="", elector_suffix=2, is_postal_voter=True)
    sam = VoterFactory(household=none_number, forenames="Sam", surname="Jones")
    VoterFactory(household=all_dnc, do_not_contact=True)
    VoterFactory(household=odd, on_register=False)
    labour, green = PartyFactory(code="LAB", name="Labour"), PartyFactory(code="GRN", name="Green")
    _target(zoe, Segment.PERSUADABLE, Reason.UNDECIDED)
    _target(zoe, Segment.SOFT_SUPPORTER, Reason.PROBABLE)
    _target(sam, Segment.SOFT_SUPPORTER, Reason.SPLIT_TICKET, position=2)
    doors = [odd, none_number, nobody, all_dnc]
    lists = [
        WalkListFactory(ward=popley, created_by=olivia, households=doors),
        WalkListFactory(ward=popley, created_by=olivia, households=doors[::-1], segment=Segment.SOFT_SUPPORTER),
    ]
    cut = min(walk_list.created_at for walk_list in lists)
    # Winter (UTC: 'Z'), summer (+01:00), whole seconds (no microseconds), before and after the cut.
    ContactRecordFactory(voter=zoe, contacted_at=dt.datetime(2026, 1, 5, 9, 30, tzinfo=UTC), outcome=Outcome.NOT_IN)
    ContactRecordFactory(
        voter=zoe,
        contacted_at=dt.datetime(2026, 7, 1, 18, 5, 7, 120, tzinfo=UTC),
        local_intention=Intention.PARTY,
        local_party=labour,
        national_intention=Intention.PARTY,
        national_party=green,
        likelihood=4,
    )
    ContactRecordFactory(voter=ann, contacted_at=cut + dt.timedelta(minutes=5), local_intention=Intention.UNDECIDED)
    ContactRecordFactory(voter=sam, contacted_at=cut + dt.timedelta(minutes=6), is_superseded=True)
    ContactRecordFactory(voter=sam, contacted_at=cut + dt.timedelta(minutes=6, microseconds=500_000))
    ContactRecordFactory(
        voter=None, household=none_number, ward=popley, contacted_at=cut + dt.timedelta(minutes=7), outcome="not_in"
    )
    ContactRecordFactory(
        voter=None, household=nobody, ward=popley, contacted_at=cut - dt.timedelta(days=40), outcome="not_in"
    )
    return lists


def _rendered(value) -> bytes:
    return JSONRenderer().render(value)


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "America/New_York"])
def test_the_households_built_in_postgresql_are_the_serializers(rounds, zone):
    with timezone.override(zone):
        for walk_list in WalkList.objects.filter(pk__in=[w.pk for w in rounds]).select_related("ward"):
            expected = WalkListDetailSerializer(walk_list_detail(walk_list)).data
            built = walk_list_households_json(walk_list)
            assert built["progress"] == expected["progress"]
            assert _rendered(built["households"]) == _rendered(expected["households"])
            answer = walk_list_detail_answer(WalkList.objects.select_related("ward").get(pk=walk_list.pk))
            assert _rendered(answer) == _rendered(expected)


def test_an_empty_list_is_built_empty(popley, olivia):
    walk_list = WalkListFactory(ward=popley, created_by=olivia)
    assert walk_list_households_json(walk_list) == {
        "progress": {"households": 0, "knocked": 0, "contacts": 0, "to_do": 0},
        "households": [],
    }
