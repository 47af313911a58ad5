"""The sync's statements: a new batch is inserted without looking its uuids up first; a replay is answered
from what was stored, whatever the checks would say now (bench/sync_load.py measures the cost)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canvass.models import ContactRecord, WalkListHousehold
from tests.factories import HouseholdFactory, VoterFactory

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/contacts/sync/"


def item(voter, **fields):
    return {
        "client_uuid": str(uuid.uuid4()),
        "voter": voter.pk,
        "contacted_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "outcome": "spoke",
        **fields,
    }


def statements(api, batch) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = api.post(SYNC, {"contacts": batch}, format="json")
    assert response.status_code == 200
    assert {r["status"] for r in response.json()["results"]} == {"ok"}
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def many_voters(veras_list, popley_households):
    # Twenty voters at the two doors of Vera's list.
    return [VoterFactory(household=popley_households[n % 2]) for n in range(20)]


def test_a_new_batch_costs_the_same_statements_for_two_contacts_or_twenty(as_user, vera, many_voters):
    api = as_user(vera)
    few = statements(api, [item(voter) for voter in many_voters[:2]])
    many = statements(api, [item(voter) for voter in many_voters])
    assert len(few) == len(many)
    assert ContactRecord.objects.count() == 22


def test_a_new_batch_does_not_look_its_uuids_up_before_inserting(as_user, vera, many_voters):
    sql = statements(as_user(vera), [item(voter) for voter in many_voters])
    contact_reads = [s for s in sql if s.startswith("SELECT") and '"canvass_contactrecord"' in s.split("WHERE")[0]]
    assert contact_reads == []
    assert sum(s.startswith("INSERT") for s in sql) == 1


def test_a_replay_costs_one_lookup_more_and_stores_nothing(as_user, vera, many_voters):
    api = as_user(vera)
    batch = [item(voter) for voter in many_voters]
    first = statements(api, batch)
    again = statements(api, batch)
    assert len(again) == len(first) + 1
    assert ContactRecord.objects.count() == 20


def test_a_replay_after_the_door_left_the_list_answers_as_the_first_time(as_user, vera, veras_list, popley_voters):
    api = as_user(vera)
    batch = {"contacts": [item(popley_voters[0])]}
    first = api.post(SYNC, batch, format="json").json()
    WalkListHousehold.objects.filter(walk_list=veras_list).delete()  # now out of Vera's reach
    again = api.post(SYNC, batch, format="json").json()
    assert again == first
    assert first["results"][0]["status"] == "ok"
    fresh = api.post(SYNC, {"contacts": [item(popley_voters[0])]}, format="json").json()
    assert fresh["results"][0]["status"] == "error"  # a new contact there is refused


def test_a_replay_with_other_content_is_a_conflict_and_changes_nothing(as_user, vera, veras_list, popley_voters):
    api = as_user(vera)
    original = item(popley_voters[0], outcome="spoke")
    api.post(SYNC, {"contacts": [original]}, format="json")
    changed = {**original, "outcome": "not_in"}
    (result,) = api.post(SYNC, {"contacts": [changed]}, format="json").json()["results"]
    assert result["status"] == "conflict"
    assert ContactRecord.objects.get().outcome == "spoke"


def test_a_uuid_twice_in_one_new_batch_is_stored_once(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0])
    results = as_user(vera).post(SYNC, {"contacts": [first, dict(first)]}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert results[0]["id"] == results[1]["id"]
    assert ContactRecord.objects.count() == 1


def test_a_household_contact_is_inserted_with_its_door(as_user, vera, veras_list, popley_households):
    door = popley_households[0]
    contact = {**item(VoterFactory(household=HouseholdFactory())), "voter": None, "household": door.pk}
    (result,) = as_user(vera).post(SYNC, {"contacts": [contact]}, format="json").json()["results"]
    assert result["status"] == "ok"
    stored = ContactRecord.objects.get()
    assert (stored.household_id, stored.voter_id, stored.ward_id) == (door.pk, None, door.polling_district.ward_id)
