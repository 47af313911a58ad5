import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import AuditEvent, Outcome, WalkList
from canvass.sql import is_postgres
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)

pytestmark = pytest.mark.django_db


def _long_list(ward, volunteer, doors):
    district = PollingDistrictFactory(ward=ward)
    households = [HouseholdFactory(polling_district=district, street="Long Lane") for _ in range(doors)]
    for household in households:
        voter = VoterFactory(household=household)
        VoterFactory(household=household)
        ContactRecordFactory(voter=voter, outcome=Outcome.SPOKE)
        ContactRecordFactory(voter=None, household=household, ward=ward, outcome=Outcome.NOT_IN)
    return WalkListFactory(ward=ward, households=households, assigned_to=[volunteer])


@pytest.mark.parametrize("doors", [3, 30])
def test_walk_list_detail_takes_the_same_queries_whatever_its_length(
    as_user, vera, popley, doors, django_assert_num_queries
):
    walk_list = _long_list(popley, vera, doors)
    api = as_user(vera)
    # profile, list, its validator (one query, read first), audit, and the doors with their progress, voters and
    # last contacts: on PostgreSQL one query building their JSON, elsewhere three (doors, voters, contacts)
    with django_assert_num_queries(5 if is_postgres() else 7):
        response = api.get(f"/api/v1/walk-lists/{walk_list.pk}/")
    assert response.status_code == 200
    assert len(response.json()["households"]) == doors


def test_walk_list_detail_gives_doors_in_walking_order_with_voters_and_last_contacts(as_user, vera, popley):
    district = PollingDistrictFactory(ward=popley)
    even = HouseholdFactory(polling_district=district, street="Ash Way", house_number=2)
    odd = HouseholdFactory(polling_district=district, street="Ash Way", house_number=1)
    voter = VoterFactory(household=odd)
    older = ContactRecordFactory(voter=voter, contacted_at=timezone.now() - dt.timedelta(days=9))
    newer = ContactRecordFactory(voter=voter, contacted_at=timezone.now() - dt.timedelta(days=2), likelihood=5)
    walk_list = WalkListFactory(ward=popley, households=[odd, even], assigned_to=[vera])
    body = as_user(vera).get(f"/api/v1/walk-lists/{walk_list.pk}/").json()
    assert [h["id"] for h in body["households"]] == [odd.pk, even.pk]
    (shown,) = body["households"][0]["voters"]
    assert shown["reference"] == voter.reference
    assert shown["last_contact"]["client_uuid"] == str(newer.client_uuid) != str(older.client_uuid)
    assert shown["last_contact"]["likelihood"] == 5
    assert body["households"][1]["voters"] == []


def test_progress_counts_knocked_doors_and_keeps_not_in_doors_to_do(as_user, olivia, popley):
    district = PollingDistrictFactory(ward=popley)
    voters = [VoterFactory(household=HouseholdFactory(polling_district=district)) for _ in range(3)]
    walk_list = WalkListFactory(ward=popley, households=[v.household for v in voters])
    ContactRecordFactory(voter=voters[0], outcome=Outcome.SPOKE, contacted_at=timezone.now())
    ContactRecordFactory(voter=voters[1], outcome=Outcome.NOT_IN, contacted_at=timezone.now())
    ContactRecordFactory(voter=voters[2], outcome=Outcome.SPOKE, contacted_at=timezone.now() - dt.timedelta(days=30))
    progress = as_user(olivia).get(f"/api/v1/walk-lists/{walk_list.pk}/").json()["progress"]
    assert progress == {"households": 3, "knocked": 2, "contacts": 2, "to_do": 2}


def test_do_not_contact_door_is_flagged_and_not_to_do(as_user, vera, popley):
    household = HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    VoterFactory(household=household, do_not_contact=True)
    walk_list = WalkListFactory(ward=popley, households=[household], assigned_to=[vera])
    body = as_user(vera).get(f"/api/v1/walk-lists/{walk_list.pk}/").json()
    door = body["households"][0]
    assert (door["knockable"], door["do_not_contact"], door["voters"][0]["do_not_contact"]) == (False, True, True)
    assert body["progress"]["to_do"] == 0


def test_viewing_a_walk_list_records_an_audit_event_without_names(as_user, vera, veras_list, popley_voters):
    as_user(vera).get(f"/api/v1/walk-lists/{veras_list.pk}/")
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.resource) == (vera, "view", "walk_list.voters")
    assert sorted(event.object_ids) == sorted(v.pk for v in popley_voters[:2])
    assert popley_voters[0].surname not in str(event.__dict__)


def test_volunteer_lists_only_walk_lists_assigned_to_them(as_user, vera, victor, veras_list):
    body = as_user(vera).get("/api/v1/walk-lists/").json()
    assert [row["id"] for row in body["results"]] == [veras_list.pk]
    assert body["results"][0]["households_count"] == 2
    assert body["results"][0]["assigned_to"] == [vera.pk]
    assert as_user(victor).get("/api/v1/walk-lists/").json()["results"] == []


def test_organiser_cuts_a_list_from_a_polling_district_and_assigns_it(as_user, olivia, vera, popley_district):
    HouseholdFactory(polling_district=popley_district)
    response = as_user(olivia).post(
        "/api/v1/walk-lists/",
        {"name": "Saturday", "polling_district": popley_district.pk, "assign_to": [vera.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert WalkList.objects.get(pk=response.json()["id"]).assigned_to.get() == vera


def test_organiser_cannot_cut_from_another_wards_district(as_user, oscar, popley_district):
    HouseholdFactory(polling_district=popley_district)
    response = as_user(oscar).post(
        "/api/v1/walk-lists/", {"name": "Raid", "polling_district": popley_district.pk}, format="json"
    )
    assert response.status_code == 400
    assert "polling_district" in response.json()


def test_cut_with_no_households_names_the_reason(as_user, olivia, popley):
    response = as_user(olivia).post("/api/v1/walk-lists/", {"name": "Empty", "ward": popley.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "walk_list_cut_failed"


def test_organiser_reassigns_a_list(as_user, olivia, victor, veras_list):
    response = as_user(olivia).post(
        f"/api/v1/walk-lists/{veras_list.pk}/assign/", {"assign_to": [victor.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["assigned_to"] == [victor.pk]


def test_a_form_post_without_volunteers_does_not_clear_the_assignment(as_user, olivia, vera, veras_list):
    response = as_user(olivia).post(f"/api/v1/walk-lists/{veras_list.pk}/assign/", {}, format="multipart")
    assert response.status_code == 415
    assert list(veras_list.assigned_to.all()) == [vera]


def test_an_assignment_without_volunteers_is_a_400(as_user, olivia, vera, veras_list):
    response = as_user(olivia).post(f"/api/v1/walk-lists/{veras_list.pk}/assign/", {}, format="json")
    assert response.status_code == 400
    assert list(veras_list.assigned_to.all()) == [vera]


def test_walk_list_detail_says_why_a_voter_is_on_the_wards_target_list(as_user, vera, popley):
    from wards.models import Reason, Segment, TargetListEntry

    household = HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    targeted, other = VoterFactory(household=household), VoterFactory(household=household)
    TargetListEntry.objects.create(
        ward=popley,
        segment=Segment.PERSUADABLE,
        reason=Reason.SPLIT_TICKET,
        position=1,
        voter=targeted,
        household=household,
        built_at=timezone.now(),
    )
    walk_list = WalkListFactory(ward=popley, households=[household], assigned_to=[vera])
    voters = as_user(vera).get(f"/api/v1/walk-lists/{walk_list.pk}/").json()["households"][0]["voters"]
    reasons = {voter["id"]: voter["target_reason"] for voter in voters}
    assert reasons == {targeted.pk: Reason.SPLIT_TICKET, other.pk: None}


def test_volunteers_sent_as_an_object_rather_than_a_list_are_a_400(as_user, olivia, vera, veras_list):
    # DRF reads any iterable as the list, so `{}` was "nobody" and cleared the assignment (schemathesis ST201).
    response = as_user(olivia).post(f"/api/v1/walk-lists/{veras_list.pk}/assign/", {"assign_to": {}}, format="json")
    assert response.status_code == 400
    assert "assign_to" in response.json()
    assert list(veras_list.assigned_to.all()) == [vera]


@pytest.mark.parametrize(
    "body", ['{"name": "x", "ward": 1e400}', '{"name": "x", "households": [1e400]}', '{"name": "x", "village": 1e400}']
)
def test_an_id_beyond_a_doubles_range_is_a_400_naming_the_field(as_user, olivia, popley, body):
    """JSON reads 1e400 as infinity, which went to the database lookup: an OverflowError, a 500."""
    response = as_user(olivia).post("/api/v1/walk-lists/", body, content_type="application/json")
    assert response.status_code == 400 and "Incorrect type" in str(response.json())


def test_assigning_an_id_beyond_a_doubles_range_is_a_400(as_user, olivia, popley):
    walk_list = WalkListFactory(ward=popley)
    url = f"/api/v1/walk-lists/{walk_list.pk}/assign/"
    response = as_user(olivia).post(url, '{"assign_to": [1e400]}', content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["assign_to"]
