"""A sync item the server refuses is kept for an organiser to see: who, when, why, what, free text withheld."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from canvass.models import AuditEvent, ContactRecord, RefusedSyncItem
from canvass.privacy.services import retention
from canvass.services.refusals import item_minimised
from tests.api.test_contact_sync import SYNC, item

pytestmark = pytest.mark.django_db

PAGE = "/campaign/refused-contacts/"


def post(api, contacts):
    return api.post(SYNC, json.dumps({"contacts": contacts}), content_type="application/json")


def test_a_refused_item_is_kept_with_who_why_and_its_ward(as_user, vera, veras_list, popley, popley_voters):
    bad = item(popley_voters[0], contacted_at="2026-02-30T10:00:00Z")
    post(as_user(vera), [bad, item(popley_voters[1])])

    refused = RefusedSyncItem.objects.get()
    assert (refused.volunteer, refused.username, refused.ward) == (vera, "vera", popley)
    assert (refused.client_uuid, refused.status) == (bad["client_uuid"], "error")
    assert list(refused.errors) == ["contacted_at"]
    assert ContactRecord.objects.count() == 1


def test_stored_items_leave_no_refusal(as_user, vera, veras_list, popley_voters):
    post(as_user(vera), [item(popley_voters[0]), item(popley_voters[1])])

    assert not RefusedSyncItem.objects.exists()


def test_free_text_is_withheld_and_only_its_size_kept(as_user, vera, veras_list, popley_voters):
    bad = item(popley_voters[0], notes="Mrs Jones at no. 4 has dementia", issues=["housing"], likelihood=9)
    post(as_user(vera), [bad])

    kept = RefusedSyncItem.objects.get().item
    assert kept["notes"] == "[31 characters withheld]"
    assert kept["issues"] == "[1 issues withheld]"
    assert kept["likelihood"] == 9 and kept["voter"] == popley_voters[0].pk
    assert "Jones" not in json.dumps(kept)


def test_what_cannot_be_stored_is_kept_as_text():
    kept = item_minimised({"voter": 2**70, "outcome": "spo\x00ke", "channel": "\ud800", "household": {"a": [1]}})

    assert kept == {
        "voter": str(2**70),
        "outcome": "spo\\x00ke",
        "channel": "\\ud800",
        "household": "[dict withheld]",
    }


def test_fields_that_are_not_contact_fields_are_named_but_not_kept():
    assert item_minimised({"surname": "Jones"}) == {"surname": "[not a contact field: withheld]"}


def test_a_conflict_is_kept_as_a_conflict(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0], outcome="spoke")
    api = as_user(vera)
    post(api, [first])
    post(api, [{**first, "outcome": "not_in"}])

    refused = RefusedSyncItem.objects.get()
    assert refused.status == "conflict"
    assert "stands" in refused.errors["client_uuid"][0]


def test_the_same_refusal_sent_again_is_one_row_counted_twice(as_user, vera, veras_list, popley_voters):
    bad = item(popley_voters[0], contacted_at="2026-02-30T10:00:00Z")
    api = as_user(vera)
    post(api, [bad])
    post(api, [bad])

    assert RefusedSyncItem.objects.get().times == 2


def test_a_batch_refused_whole_is_kept_without_content(as_user, vera):
    response = as_user(vera).post(
        SYNC, '{"contacts": [' + "[" * 100_000 + "]" * 100_000 + "]}", content_type="application/json"
    )

    assert response.status_code == 400
    refused = RefusedSyncItem.objects.get()
    assert (refused.item, refused.client_uuid) == ({}, "")
    assert "nested too deeply" in refused.errors["detail"][0]


def test_a_single_contact_refused_is_kept(as_user, vera, veras_list, south_ham, south_ham_voter):
    response = as_user(vera).post("/api/v1/contacts/", item(south_ham_voter), format="json")

    assert response.status_code == 400
    assert RefusedSyncItem.objects.get().ward == south_ham


@pytest.fixture
def refusals(as_user, vera, victor, veras_list, popley_voters, south_ham_voter):
    """One refusal in Popley, one in South Ham, and one naming no real voter by Vera, who walks Popley."""
    post(as_user(vera), [item(popley_voters[0], outcome="no such outcome")])
    post(as_user(victor), [item(south_ham_voter, outcome="no such outcome")])
    post(as_user(vera), [{**item(), "voter": 999_999}])
    return list(RefusedSyncItem.objects.order_by("pk"))


def test_an_organiser_sees_the_refusals_of_their_wards_and_of_their_walkers(client, olivia, refusals):
    client.force_login(olivia)
    response = client.get(PAGE)

    assert response.status_code == 200
    shown = {row.pk for row in response.context["page"]}
    assert shown == {refusals[0].pk, refusals[2].pk}
    assert "no such outcome" in response.content.decode()


def test_the_page_is_audited(client, olivia, refusals):
    client.force_login(olivia)
    client.get(PAGE)

    event = AuditEvent.objects.get(resource="refused_sync_item")
    assert (event.user, event.action, sorted(event.object_ids)) == (olivia, "list", [refusals[0].pk, refusals[2].pk])


def test_another_wards_organiser_sees_only_theirs(client, oscar, refusals):
    client.force_login(oscar)

    assert {row.pk for row in client.get(PAGE).context["page"]} == {refusals[1].pk}


def test_volunteers_may_not_open_the_page(client, vera, refusals):
    client.force_login(vera)

    assert client.get(PAGE).status_code == 403


def test_the_page_reads_in_constant_queries(client, olivia, refusals, django_assert_num_queries):
    client.force_login(olivia)
    # session, user, profile role, count, page of rows (with ward and volunteer), audit insert
    with django_assert_num_queries(6):
        client.get(PAGE)


def test_refusals_past_their_retention_are_purged(refusals):
    old = refusals[0]
    RefusedSyncItem.objects.filter(pk=old.pk).update(last_refused_at=timezone.now() - dt.timedelta(days=91))

    run = retention.retention_run()

    assert run.counts["refused_syncs"] == 1
    assert set(RefusedSyncItem.objects.values_list("pk", flat=True)) == {refusals[1].pk, refusals[2].pk}
