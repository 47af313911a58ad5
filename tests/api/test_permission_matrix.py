"""Every role against every resource and action, in scope and out of scope.

Out of scope answers 404 (the object is not found, its data never shown); a role that may not act at
all answers 403; no credentials answer 401. Popley is the in-scope side for Olivia and Vera, South Ham
for Oscar; Victor, a volunteer without lists, reaches nothing.
"""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import ContactRecordFactory, VillageFactory, WalkListFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "olivia", "oscar", "vera", "victor"]


@pytest.fixture
def scene(request, popley, south_ham, popley_district, south_ham_district, veras_list, popley_voters, south_ham_voter):
    users = {name: request.getfixturevalue(name) for name in ROLES[1:]}
    sh_list = WalkListFactory(ward=south_ham, households=[south_ham_voter.household])
    return {
        "users": users,
        "popley": {
            "walk-lists": veras_list.pk,
            "wards": popley.pk,
            "polling-districts": popley_district.pk,
            "villages": VillageFactory(ward=popley).pk,
            "households": popley_voters[0].household_id,
            "voters": popley_voters[0].pk,
            "contact-records": ContactRecordFactory(voter=popley_voters[0], volunteer=users["vera"]).pk,
        },
        "south_ham": {
            "walk-lists": sh_list.pk,
            "wards": south_ham.pk,
            "polling-districts": south_ham_district.pk,
            "villages": VillageFactory(ward=south_ham).pk,
            "households": south_ham_voter.household_id,
            "voters": south_ham_voter.pk,
            "contact-records": ContactRecordFactory(voter=south_ham_voter, volunteer=users["oscar"]).pk,
        },
    }


def client_for(scene, role):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(scene["users"][role])
    return client


def statuses(scene, call):
    return {role: call(client_for(scene, role)).status_code for role in ROLES}


READABLE = ["walk-lists", "wards", "polling-districts", "villages", "households", "voters", "contact-records"]

# Who may read a Popley object and a South Ham one (Vera's reach is her list, hence Popley's ward too).
POPLEY_READERS = {"anonymous": 401, "alice": 200, "olivia": 200, "oscar": 404, "vera": 200, "victor": 404}
SOUTH_HAM_READERS = {"anonymous": 401, "alice": 200, "olivia": 404, "oscar": 200, "vera": 404, "victor": 404}


@pytest.mark.parametrize("resource", READABLE)
def test_reading_a_popley_object(scene, resource):
    pk = scene["popley"][resource]
    assert statuses(scene, lambda c: c.get(f"/api/v1/{resource}/{pk}/")) == POPLEY_READERS


@pytest.mark.parametrize("resource", READABLE)
def test_reading_a_south_ham_object(scene, resource):
    pk = scene["south_ham"][resource]
    assert statuses(scene, lambda c: c.get(f"/api/v1/{resource}/{pk}/")) == SOUTH_HAM_READERS


@pytest.mark.parametrize("resource", READABLE)
def test_listing_shows_exactly_the_objects_in_scope(scene, resource):
    seen = {}
    for role in ROLES[1:]:
        ids = {row["id"] for row in client_for(scene, role).get(f"/api/v1/{resource}/").json()["results"]}
        seen[role] = (scene["popley"][resource] in ids, scene["south_ham"][resource] in ids)
    expected = {role: (POPLEY_READERS[role] == 200, SOUTH_HAM_READERS[role] == 200) for role in ROLES[1:]}
    assert seen == expected


def test_listing_needs_credentials(scene):
    assert client_for(scene, "anonymous").get("/api/v1/voters/").status_code == 401


def test_cutting_a_walk_list_in_popley(scene):
    ward = scene["popley"]["wards"]
    got = statuses(scene, lambda c: c.post("/api/v1/walk-lists/", {"name": "New", "ward": ward}, format="json"))
    # Oscar's request names a ward he cannot see: a validation error, as if it did not exist.
    assert got == {"anonymous": 401, "alice": 201, "olivia": 201, "oscar": 400, "vera": 403, "victor": 403}


def test_assigning_a_popley_walk_list(scene):
    pk, vera = scene["popley"]["walk-lists"], scene["users"]["vera"].pk
    got = statuses(scene, lambda c: c.post(f"/api/v1/walk-lists/{pk}/assign/", {"assign_to": [vera]}, format="json"))
    assert got == {"anonymous": 401, "alice": 200, "olivia": 200, "oscar": 404, "vera": 403, "victor": 403}


def test_deleting_a_popley_walk_list(scene):
    popley = scene["popley"]["wards"]

    def delete(client):
        walk_list = WalkListFactory(ward_id=popley, assigned_to=[scene["users"]["vera"]])
        return client.delete(f"/api/v1/walk-lists/{walk_list.pk}/")

    assert statuses(scene, delete) == {
        "anonymous": 401,
        "alice": 204,
        "olivia": 204,
        "oscar": 404,
        "vera": 403,
        "victor": 403,
    }


def test_updating_a_popley_wards_expected_turnout(scene):
    pk = scene["popley"]["wards"]
    got = statuses(
        scene, lambda c: c.patch(f"/api/v1/wards/{pk}/", {"expected_turnout_percent": "33.5"}, format="json")
    )
    assert got == {"anonymous": 401, "alice": 200, "olivia": 200, "oscar": 404, "vera": 403, "victor": 403}


@pytest.mark.parametrize("resource", ["polling-districts", "villages", "households", "voters", "contact-records"])
def test_read_only_resources_refuse_writes(scene, resource):
    pk = scene["popley"][resource]
    got = {role: client_for(scene, role).delete(f"/api/v1/{resource}/{pk}/").status_code for role in ROLES[1:]}
    assert set(got.values()) == {405}


def test_recording_do_not_contact_for_a_popley_voter(scene):
    pk = scene["popley"]["voters"]
    got = statuses(scene, lambda c: c.post(f"/api/v1/voters/{pk}/do-not-contact/"))
    assert got == POPLEY_READERS


def test_logging_a_contact_for_a_popley_voter(scene):
    voter = scene["popley"]["voters"]

    def log(client):
        return client.post(
            "/api/v1/contacts/",
            {
                "client_uuid": str(uuid.uuid4()),
                "voter": voter,
                "contacted_at": "2026-01-01T10:00:00Z",
                "outcome": "spoke",
            },
            format="json",
        )

    # Out of scope is an error naming the voter field (400), not a stored contact.
    assert statuses(scene, log) == {
        "anonymous": 401,
        "alice": 201,
        "olivia": 201,
        "oscar": 400,
        "vera": 201,
        "victor": 400,
    }


def test_undoing_veras_contact(scene):
    def undo(client):
        contact = ContactRecordFactory(
            voter_id=scene["popley"]["voters"],
            household_id=scene["popley"]["households"],
            ward_id=scene["popley"]["wards"],
            volunteer=scene["users"]["vera"],
        )
        return client.delete(f"/api/v1/contacts/{contact.client_uuid}/")

    assert statuses(scene, undo) == {
        "anonymous": 401,
        "alice": 204,
        "olivia": 204,
        "oscar": 404,
        "vera": 204,
        "victor": 404,
    }


def test_audit_trail_is_for_admins_only(scene):
    got = statuses(scene, lambda c: c.get("/api/v1/audit-events/"))
    assert got == {"anonymous": 401, "alice": 200, "olivia": 403, "oscar": 403, "vera": 403, "victor": 403}


def test_parties_and_me_are_for_every_member(scene):
    assert statuses(scene, lambda c: c.get("/api/v1/parties/")) == {
        "anonymous": 401,
        "alice": 200,
        "olivia": 200,
        "oscar": 200,
        "vera": 200,
        "victor": 200,
    }


def test_me_tells_role_and_wards(scene):
    popley, south_ham = scene["popley"]["wards"], scene["south_ham"]["wards"]
    answers = {role: client_for(scene, role).get("/api/v1/me/").json() for role in ROLES[1:]}
    assert {role: (a["role"], a["wards"]) for role, a in answers.items()} == {
        "alice": ("admin", sorted([popley, south_ham])),
        "olivia": ("organiser", [popley]),
        "oscar": ("organiser", [south_ham]),
        "vera": ("volunteer", [popley]),
        "victor": ("volunteer", []),
    }
