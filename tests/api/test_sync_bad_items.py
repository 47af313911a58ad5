"""What a phone may send that is wrong: each bad item answers for itself, the rest are stored."""

import json
import uuid

import pytest

from canvass.models import ContactRecord
from tests.api.test_contact_sync import SYNC, item

pytestmark = pytest.mark.django_db


def post(api, contacts):
    """As a phone sends it: json.dumps escapes a lone surrogate, where the test client's renderer cannot."""
    return api.post(SYNC, json.dumps({"contacts": contacts}), content_type="application/json")


BAD = {
    "contacted_at": ["2026-02-30T10:00:00Z", "2026-05-02T25:00:00Z", "0001-01-01T00:00:00+05:00"],
    "notes": ["dog\x00gate", "dog \ud800 gate"],
    "voter": [2**63],
}


@pytest.mark.parametrize(("field", "value"), [(field, value) for field, values in BAD.items() for value in values])
def test_a_bad_item_gets_its_own_error_and_the_good_ones_are_stored(
    as_user, vera, veras_list, popley_voters, field, value
):
    good = item(popley_voters[0])
    bad = {**item(popley_voters[1]), field: value}
    response = post(as_user(vera), [bad, good])
    assert response.status_code == 200
    bad_result, good_result = response.json()["results"]
    assert (bad_result["status"], list(bad_result["errors"])) == ("error", [field])
    assert bad_result["client_uuid"] == bad["client_uuid"]
    assert good_result["status"] == "ok"
    assert ContactRecord.objects.get().client_uuid == uuid.UUID(good["client_uuid"])


def test_a_lone_surrogate_in_a_client_uuid_is_answered_in_encodable_json(as_user, vera, veras_list, popley_voters):
    bad = {**item(popley_voters[0]), "client_uuid": "\ud800"}
    response = post(as_user(vera), [bad])
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "error"


def test_deeply_nested_json_is_a_clear_400(as_user, vera):
    body = '{"contacts": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    response = as_user(vera).post(SYNC, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_replay_with_other_content_is_a_conflict_naming_the_record_that_stands(
    as_user, vera, veras_list, popley_voters
):
    first = item(popley_voters[0], outcome="spoke")
    api = as_user(vera)
    stored = api.post(SYNC, {"contacts": [first]}, format="json").json()["results"][0]
    (result,) = api.post(SYNC, {"contacts": [{**first, "outcome": "not_in"}]}, format="json").json()["results"]
    assert (result["status"], result["id"]) == ("conflict", stored["id"])
    assert str(stored["id"]) in result["errors"]["client_uuid"][0]
    assert ContactRecord.objects.get().outcome == "spoke"


def test_a_replay_with_the_same_content_is_still_ok(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0], issues=["Buses"], notes=" Dog ")
    api = as_user(vera)
    api.post(SYNC, {"contacts": [first]}, format="json")
    (result,) = api.post(SYNC, {"contacts": [first]}, format="json").json()["results"]
    assert result["status"] == "ok"


def test_the_same_uuid_twice_in_one_batch_with_other_content_is_a_conflict(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0])
    results = as_user(vera).post(SYNC, {"contacts": [first, {**first, "outcome": "not_in"}]}, format="json")
    assert [r["status"] for r in results.json()["results"]] == ["ok", "conflict"]


def test_a_single_contact_replayed_with_other_content_answers_409(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0])
    api = as_user(vera)
    api.post("/api/v1/contacts/", first, format="json")
    assert api.post("/api/v1/contacts/", {**first, "outcome": "not_in"}, format="json").status_code == 409


def test_a_voter_and_a_household_that_do_not_belong_together_are_refused(as_user, vera, veras_list, popley_voters):
    mismatched = item(popley_voters[0], household=popley_voters[1].household)
    (result,) = as_user(vera).post(SYNC, {"contacts": [mismatched]}, format="json").json()["results"]
    assert (result["status"], list(result["errors"])) == ("error", ["household"])
    assert not ContactRecord.objects.exists()


def test_the_results_are_valid_json(as_user, vera, veras_list, popley_voters):
    response = post(as_user(vera), [item(popley_voters[0], notes="x\ud800")])
    json.loads(response.content)


@pytest.mark.parametrize("raw", [[], {}, {"client_uuid": ""}, {"client_uuid": "not-a-uuid"}, {"client_uuid": 7}])
def test_an_item_without_a_uuid_is_answered_with_a_null_uuid(as_user, vera, raw):
    # Not "": a client following the answer to DELETE /contacts/{client_uuid}/ reached DELETE /contacts/ (a 405).
    response = post(as_user(vera), [raw])
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert (result["status"], result["client_uuid"]) == ("error", None)
