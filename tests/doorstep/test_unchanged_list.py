"""An unchanged walk list costs a validator check, not a rebuild: ETag, and 304 to If-None-Match."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from canvass.models import AuditEvent, Outcome
from canvass.services.contacts import contact_record_delete, contact_records_sync
from canvass.surveys.models import QuestionKind, Script
from canvass.surveys.services import question_create
from tests.factories import ContactRecordFactory, HouseholdFactory, VoterFactory, WalkListFactory
from tests.login import client_for

pytestmark = pytest.mark.django_db


def list_url(walk_list):
    return reverse("doorstep-list", args=[walk_list.pk])


def api_url(walk_list):
    return f"/api/v1/walk-lists/{walk_list.pk}/"


def asked_again(client, url, response, **headers):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


def test_the_page_asked_again_unchanged_answers_304_without_a_body(vera, carpenters_round):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    again = asked_again(client, list_url(carpenters_round), first)
    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_the_page_is_rebuilt_after_a_contact_at_one_of_its_doors(vera, carpenters_round, doors):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    ContactRecordFactory(voter=doors["3 Sherborne Road"].voters.first(), outcome=Outcome.NOT_IN)
    again = asked_again(client, list_url(carpenters_round), first)
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_the_page_is_rebuilt_after_the_campaign_adds_a_question(vera, carpenters_round):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    question_create(council=carpenters_round.ward.council, kind=QuestionKind.YES_NO, wording="Poster?", by=None)
    again = asked_again(client, list_url(carpenters_round), first)
    assert again.status_code == 200
    assert "Poster?" in again.content.decode()


def test_the_page_is_rebuilt_after_the_list_gets_a_script(vera, carpenters_round):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    Script.objects.create(walk_list=carpenters_round, text="Ask about the bus route.")
    again = asked_again(client, list_url(carpenters_round), first)
    assert again.status_code == 200
    assert "Ask about the bus route." in again.content.decode()


def test_the_page_is_rebuilt_after_a_contact_is_undone(vera, carpenters_round, doors):
    voter = doors["1 Carpenters Down"].voters.first()
    (result,) = contact_records_sync(
        user=vera,
        items=[{"client_uuid": uuid.uuid4(), "voter": voter.pk,
                "contacted_at": timezone.now(),
                "outcome": Outcome.SPOKE}],
    )  # fmt: skip
    assert result.status == "ok"
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    assert contact_record_delete(user=vera, client_uuid=result.client_uuid)
    again = asked_again(client, list_url(carpenters_round), first)
    assert again.status_code == 200


def test_the_page_is_rebuilt_when_a_voter_asks_for_no_contact(vera, carpenters_round, doors):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    doors["4 Sherborne Road"].voters.update(do_not_contact=True)
    assert asked_again(client, list_url(carpenters_round), first).status_code == 200


def test_the_page_is_rebuilt_when_a_voter_joins_one_of_its_doors(vera, carpenters_round, doors):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    VoterFactory(household=doors["2 Carpenters Down"], forenames="Cat")
    assert asked_again(client, list_url(carpenters_round), first).status_code == 200


def test_a_contact_at_a_door_off_the_list_leaves_it_unchanged(vera, carpenters_round, off_list_door):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    ContactRecordFactory(voter=off_list_door.voters.first())
    assert asked_again(client, list_url(carpenters_round), first).status_code == 304


def test_another_user_does_not_share_the_validator(vera, olivia, carpenters_round):
    first = client_for(vera).get(list_url(carpenters_round))
    assert asked_again(client_for(olivia), list_url(carpenters_round), first).status_code == 200


def test_an_unchanged_answer_is_still_recorded_in_the_audit_trail(vera, carpenters_round):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    before = AuditEvent.objects.filter(user=vera, resource="voter").count()
    asked_again(client, list_url(carpenters_round), first)
    assert AuditEvent.objects.filter(user=vera, resource="voter").count() == before + 1


def test_a_weak_validator_from_a_compressed_answer_matches(vera, carpenters_round):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    again = client.get(list_url(carpenters_round), HTTP_IF_NONE_MATCH=f"W/{first['ETag']}")
    assert again.status_code == 304


def test_an_unchanged_page_costs_the_same_few_queries_whatever_its_length(
    vera, popley, popley_district, django_assert_num_queries
):
    client = client_for(vera)

    def list_of(size):
        households = [HouseholdFactory(polling_district=popley_district, street="Long Lane") for _ in range(size)]
        for household in households:
            ContactRecordFactory(voter=VoterFactory(household=household))
        return WalkListFactory(ward=popley, households=households, assigned_to=[vera])

    short, long = list_of(2), list_of(30)
    short_first, long_first = client.get(list_url(short)), client.get(list_url(long))
    # session, user, profile, list, its validator (one query: doors, voters and counts), the campaign's
    # questions and scripts, audit
    with django_assert_num_queries(8):
        assert asked_again(client, list_url(short), short_first).status_code == 304
    with django_assert_num_queries(8):
        assert asked_again(client, list_url(long), long_first).status_code == 304


def test_the_api_list_asked_again_unchanged_answers_304(as_user, vera, carpenters_round, django_assert_num_queries):
    api = as_user(vera)
    first = api.get(api_url(carpenters_round))
    # list, its validator (one query: the contacts at its doors; the list's version, raised by the database
    # when its doors, voters or assigned volunteers change, came with the list), audit
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        again = api.get(api_url(carpenters_round), HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert not again.content


def test_the_api_list_is_rebuilt_after_a_contact_at_one_of_its_doors(as_user, vera, carpenters_round, doors):
    api = as_user(vera)
    first = api.get(api_url(carpenters_round))
    ContactRecordFactory(
        voter=None, household=doors["2 Carpenters Down"], ward=carpenters_round.ward, contacted_at=timezone.now()
    )
    again = api.get(api_url(carpenters_round), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again.json()["progress"]["knocked"] == 1


def test_the_api_list_is_rebuilt_when_it_is_reassigned(as_user, vera, victor, carpenters_round):
    api = as_user(vera)
    first = api.get(api_url(carpenters_round))
    carpenters_round.assigned_to.add(victor)
    assert api.get(api_url(carpenters_round), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_changed_list_asked_with_an_old_validator_is_rebuilt_with_the_new_one(vera, carpenters_round, doors):
    client = client_for(vera)
    first = client.get(list_url(carpenters_round))
    ContactRecordFactory(voter=doors["3 Sherborne Road"].voters.first(), outcome=Outcome.NOT_IN)
    changed = asked_again(client, list_url(carpenters_round), first)
    assert changed.status_code == 200
    assert asked_again(client, list_url(carpenters_round), changed).status_code == 304
