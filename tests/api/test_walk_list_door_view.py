"""`GET /api/v1/walk-lists/{id}/?view=door`: what the door needs, sent once."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from canvass.models import Intention, Outcome
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)
from wards.models import Reason, Segment, TargetListEntry

pytestmark = pytest.mark.django_db


def door_view(api, walk_list):
    response = api.get(f"/api/v1/walk-lists/{walk_list.pk}/?view=door")
    assert response.status_code == 200
    return response.json()


def voters_of(body):
    return [voter for street in body["streets"] for door in street["doors"] for voter in door["v"]]


def word(body, index):
    """A repeated value, named by its index in the answer's `values`."""
    return None if index is None else body["values"][index]


def test_the_door_view_names_each_field_once_and_gives_the_voters_in_walking_order(as_user, vera, popley):
    district = PollingDistrictFactory(ward=popley, code="PZ1")
    door = HouseholdFactory(polling_district=district, street="Ash Way", house_number=1, postcode="RG24 9AA")
    voter = VoterFactory(household=door, forenames="Ann", surname="Ash", elector_number=17, is_postal_voter=True)
    walk_list = WalkListFactory(ward=popley, households=[door], assigned_to=[vera])
    body = door_view(as_user(vera), walk_list)
    (street,) = body["streets"]
    assert (street["name"], street["postcode"], street["district"]) == ("Ash Way", "RG24 9AA", "PZ1")
    assert dict(zip(body["voter_fields"], voters_of(body)[0], strict=False)) == {
        "id": voter.pk, "no": 17, "name": "Ann Ash", "last": None, "extras": {"p": 1},
    }  # fmt: skip


def test_the_door_view_gives_the_last_contact_in_short(as_user, vera, popley, our_party):
    voter = VoterFactory(household=HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley)))
    walk_list = WalkListFactory(ward=popley, households=[voter.household], assigned_to=[vera])
    when = timezone.now() - dt.timedelta(days=3)
    ContactRecordFactory(
        voter=voter, contacted_at=when, outcome=Outcome.SPOKE, local_intention=Intention.PARTY,
        local_party=our_party, national_intention=Intention.UNDECIDED, likelihood=4,
    )  # fmt: skip
    body = door_view(as_user(vera), walk_list)
    (shown,) = voters_of(body)
    at, outcome, local, national, likelihood = shown[3]
    cut = walk_list.created_at.replace(second=0, microsecond=0)
    assert cut + dt.timedelta(minutes=at) == when.replace(second=0, microsecond=0)
    assert (word(body, outcome), word(body, local), word(body, national), likelihood) == (
        "spoke", our_party.code, "undecided", 4,
    )  # fmt: skip


def test_the_door_view_names_each_repeated_word_once(as_user, vera, popley):
    district = PollingDistrictFactory(ward=popley)
    households = [HouseholdFactory(polling_district=district) for _ in range(3)]
    for household in households:
        ContactRecordFactory(voter=VoterFactory(household=household, title="Mrs"), outcome=Outcome.NOT_IN)
    walk_list = WalkListFactory(ward=popley, households=households, assigned_to=[vera])
    body = door_view(as_user(vera), walk_list)
    assert sorted(body["values"]) == ["Mrs", "not_in"]
    assert {(voter[3][1], voter[4]["t"]) for voter in voters_of(body)} == {
        (body["values"].index("not_in"), body["values"].index("Mrs"))
    }


def test_the_door_view_names_a_visit_since_the_cut_by_its_voter(as_user, vera, popley):
    household = HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    VoterFactory(household=household)
    voter = VoterFactory(household=household)
    walk_list = WalkListFactory(ward=popley, households=[household], assigned_to=[vera])
    ContactRecordFactory(voter=voter, contacted_at=timezone.now(), outcome=Outcome.NOT_IN)
    (door,) = door_view(as_user(vera), walk_list)["streets"][0]["doors"]
    assert door["knocked"] == 1
    assert door["v"][door["visit"]][0] == voter.pk
    assert "done" not in door  # "not in" stays to do


def test_the_door_view_carries_the_target_reason_and_do_not_contact(as_user, vera, popley):
    household = HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    target = VoterFactory(household=household)
    VoterFactory(household=household, do_not_contact=True)
    TargetListEntry.objects.create(
        ward=popley, segment=Segment.PERSUADABLE, reason=Reason.UNDECIDED, position=1, voter=target,
        household=household, built_at=timezone.now(),
    )  # fmt: skip
    walk_list = WalkListFactory(ward=popley, households=[household], assigned_to=[vera])
    body = door_view(as_user(vera), walk_list)
    extras = {row[0]: row[4] for row in voters_of(body) if len(row) > 4}
    assert extras[target.pk] == {"r": body["values"].index(Reason.UNDECIDED)}
    assert {"dnc": 1} in extras.values()


def test_the_door_view_is_under_a_third_of_the_full_detail(as_user, vera, popley):
    district = PollingDistrictFactory(ward=popley)
    households = [HouseholdFactory(polling_district=district, street="Long Lane") for _ in range(30)]
    for household in households:
        for _ in range(2):
            ContactRecordFactory(voter=VoterFactory(household=household), outcome=Outcome.NOT_IN)
    walk_list = WalkListFactory(ward=popley, households=households, assigned_to=[vera])
    api = as_user(vera)
    full = api.get(f"/api/v1/walk-lists/{walk_list.pk}/").content
    door = api.get(f"/api/v1/walk-lists/{walk_list.pk}/?view=door").content
    assert len(door) < len(full) / 3, (len(door), len(full))
    assert len(voters_of(json.loads(door))) == 60


def test_the_door_view_has_its_own_validator(as_user, vera, popley):
    household = HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    VoterFactory(household=household)
    walk_list = WalkListFactory(ward=popley, households=[household], assigned_to=[vera])
    api = as_user(vera)
    full = api.get(f"/api/v1/walk-lists/{walk_list.pk}/")
    door = api.get(f"/api/v1/walk-lists/{walk_list.pk}/?view=door", HTTP_IF_NONE_MATCH=full["ETag"])
    assert door.status_code == 200
    again = api.get(f"/api/v1/walk-lists/{walk_list.pk}/?view=door", HTTP_IF_NONE_MATCH=door["ETag"])
    assert again.status_code == 304


def test_a_view_the_api_does_not_have_is_a_400(as_user, vera, popley):
    walk_list = WalkListFactory(
        ward=popley,
        households=[HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))],
        assigned_to=[vera],
    )
    response = as_user(vera).get(f"/api/v1/walk-lists/{walk_list.pk}/?view=AAA")
    assert response.status_code == 400
    assert "view" in response.json()
