"""A built walk-list answer is kept in the shared cache under its ETag: an unchanged list is not built again."""

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from canvass.models import AuditEvent, Outcome
from canvass.sql import is_postgres
from tests.factories import ContactRecordFactory

pytestmark = pytest.mark.django_db


def api_url(walk_list, view=""):
    return f"/api/v1/walk-lists/{walk_list.pk}/" + (f"?view={view}" if view else "")


@pytest.mark.parametrize("view", ["", "door"])
def test_an_unchanged_list_is_answered_from_the_shared_cache_without_building_it(
    kept, as_user, vera, carpenters_round, view, django_assert_num_queries
):
    api = as_user(vera)
    first = api.get(api_url(carpenters_round, view))
    # list, its validator, audit (and the assigned volunteers where no trigger keeps the list's version): no
    # doors, voters or contacts read
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        again = api.get(api_url(carpenters_round, view))
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_list_answered_from_the_shared_cache_is_audited_like_a_built_one(kept, as_user, vera, carpenters_round):
    api = as_user(vera)
    api.get(api_url(carpenters_round))
    api.get(api_url(carpenters_round))
    built, kept_copy = AuditEvent.objects.order_by("id")
    assert kept_copy.object_ids == built.object_ids and built.object_ids


def test_a_contact_at_one_of_its_doors_builds_the_answer_again(kept, as_user, vera, carpenters_round, doors):
    api = as_user(vera)
    first = api.get(api_url(carpenters_round, "door"))
    voter = doors["3 Sherborne Road"].voters.first()
    ContactRecordFactory(voter=voter, outcome=Outcome.NOT_IN, contacted_at=timezone.now())
    again = api.get(api_url(carpenters_round, "door"))
    assert again["ETag"] != first["ETag"]
    assert again.json()["progress"]["contacts"] == first.json()["progress"]["contacts"] + 1


@override_settings(WALK_LIST_BODY_CACHE_SECONDS=0)
def test_with_the_cache_off_every_answer_is_built(as_user, vera, carpenters_round, django_assert_num_queries):
    api = as_user(vera)
    api.get(api_url(carpenters_round))
    # list, assigned volunteers, its validator, audit, and the doors and voters: on PostgreSQL one query building
    # their JSON, elsewhere two (no contacts to read)
    with django_assert_num_queries(5 if is_postgres() else 6):
        api.get(api_url(carpenters_round))
