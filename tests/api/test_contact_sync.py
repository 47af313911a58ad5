import datetime as dt
import uuid

import pytest
from django.utils import timezone

from canvass.models import ContactRecord, Voter
from canvass.signals import contacts_recorded

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/contacts/sync/"


def item(voter=None, household=None, **fields):
    return {
        "client_uuid": str(uuid.uuid4()),
        "voter": voter.pk if voter else None,
        "household": household.pk if household else None,
        "contacted_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "channel": "door",
        "outcome": "spoke",
        **fields,
    }


def test_a_batch_stores_every_good_item(as_user, vera, veras_list, popley_voters):
    batch = [item(popley_voters[0], local_intention="undecided"), item(household=popley_voters[1].household)]
    response = as_user(vera).post(SYNC, {"contacts": batch}, format="json")
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["ok", "ok"]
    assert ContactRecord.objects.filter(volunteer=vera).count() == 2


def test_replaying_a_batch_creates_nothing_and_answers_the_same(as_user, vera, veras_list, popley_voters):
    batch = {"contacts": [item(popley_voters[0]), item(popley_voters[1], outcome="not_in")]}
    api = as_user(vera)
    first = api.post(SYNC, batch, format="json").json()
    again = api.post(SYNC, batch, format="json").json()
    assert first == again
    assert ContactRecord.objects.count() == 2


def test_one_bad_item_does_not_sink_the_others(as_user, vera, veras_list, popley_voters):
    good, bad = item(popley_voters[0]), item(popley_voters[1], outcome="shouted")
    results = as_user(vera).post(SYNC, {"contacts": [bad, good]}, format="json").json()["results"]
    assert results[0]["status"] == "error"
    assert "outcome" in results[0]["errors"]
    assert (results[1]["status"], results[1]["client_uuid"]) == ("ok", good["client_uuid"])
    assert ContactRecord.objects.get().client_uuid == uuid.UUID(good["client_uuid"])


def test_item_for_a_voter_off_the_callers_lists_is_an_error(as_user, vera, veras_list, popley_voters):
    results = as_user(vera).post(SYNC, {"contacts": [item(popley_voters[2])]}, format="json").json()["results"]
    assert results[0]["status"] == "error"
    assert "voter" in results[0]["errors"]
    assert not ContactRecord.objects.exists()


def test_party_is_required_iff_intention_is_party(as_user, vera, veras_list, popley_voters):
    results = (
        as_user(vera)
        .post(SYNC, {"contacts": [item(popley_voters[0], local_intention="party")]}, format="json")
        .json()["results"]
    )
    assert results[0]["errors"] == {"local_party": ["Required when local_intention is 'party'."]}


def test_contact_for_a_voter_who_left_the_register_is_kept_and_flagged(as_user, vera, veras_list, popley_voters):
    Voter.objects.filter(pk=popley_voters[0].pk).update(on_register=False)
    results = as_user(vera).post(SYNC, {"contacts": [item(popley_voters[0])]}, format="json").json()["results"]
    assert (results[0]["status"], results[0]["voter_was_off_register"]) == ("ok", True)
    assert ContactRecord.objects.get().voter_was_off_register


def test_do_not_knock_sets_the_voters_do_not_contact_at_once(as_user, vera, veras_list, popley_voters):
    as_user(vera).post(SYNC, {"contacts": [item(popley_voters[0], do_not_knock=True)]}, format="json")
    voter = Voter.objects.get(pk=popley_voters[0].pk)
    assert voter.do_not_contact
    assert voter.do_not_contact_since is not None


def test_someone_elses_client_uuid_is_refused(as_user, vera, olivia, veras_list, popley_voters):
    taken = item(popley_voters[0])
    as_user(olivia).post(SYNC, {"contacts": [taken]}, format="json")
    results = as_user(vera).post(SYNC, {"contacts": [taken]}, format="json").json()["results"]
    assert results[0]["errors"] == {"client_uuid": ["This client UUID is already used by another contact."]}


def test_sync_announces_the_touched_wards_after_commit(
    as_user, vera, veras_list, popley, popley_voters, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, ward_ids, **kwargs):
        heard.append(ward_ids)

    contacts_recorded.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            as_user(vera).post(SYNC, {"contacts": [item(popley_voters[0])]}, format="json")
    finally:
        contacts_recorded.disconnect(listener)
    assert heard == [[popley.pk]]


def test_an_empty_or_oversized_batch_is_refused_naming_the_field(as_user, vera):
    assert "contacts" in as_user(vera).post(SYNC, {"contacts": []}, format="json").json()


def test_single_contact_answers_201_then_200_on_replay(as_user, vera, veras_list, popley_voters):
    one = item(popley_voters[0])
    api = as_user(vera)
    first, again = api.post("/api/v1/contacts/", one, format="json"), api.post("/api/v1/contacts/", one, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()


def test_undo_deletes_the_callers_own_contact_and_is_idempotent(as_user, vera, veras_list, popley_voters):
    one = item(popley_voters[0])
    api = as_user(vera)
    api.post("/api/v1/contacts/", one, format="json")
    assert api.delete(f"/api/v1/contacts/{one['client_uuid']}/").status_code == 204
    assert api.delete(f"/api/v1/contacts/{one['client_uuid']}/").status_code == 204
    assert not ContactRecord.objects.exists()


def test_undo_of_someone_elses_contact_out_of_scope_is_404(as_user, vera, victor, veras_list, popley_voters):
    one = item(popley_voters[0])
    as_user(vera).post("/api/v1/contacts/", one, format="json")
    assert as_user(victor).delete(f"/api/v1/contacts/{one['client_uuid']}/").status_code == 404
    assert ContactRecord.objects.exists()
