"""What the schemathesis probe (bench/schemathesis_probe.sh, every check) found, each pinned here.

The schema documents every answer (errors included); filters take ids as numbers; a parameter given twice,
a page size out of range or a boolean that is not one is a 400 instead of being quietly ignored.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from canvass.models import RefusedSyncItem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_its_error_answers(schema):
    voter = schema["paths"]["/api/v1/voters/{id}/"]["get"]["responses"]
    voters = schema["paths"]["/api/v1/voters/"]["get"]["responses"]
    sync = schema["paths"]["/api/v1/contacts/sync/"]["post"]["responses"]
    assert {"401", "403", "404"} <= set(voter)
    assert {"400", "401", "403", "404"} <= set(voters)
    assert {"400", "401", "403"} <= set(sync)


def test_an_operation_with_parameters_documents_the_servers_too_long_address(schema):
    # gunicorn answers 414 (an HTML page) to a request line over 4,094 bytes: the fuzzer's long query strings.
    listing = schema["paths"]["/api/v1/contact-records/"]["get"]["responses"]
    one = schema["paths"]["/api/v1/polling/entries/{client_uuid}/"]["delete"]["responses"]
    assert "414" in listing and "414" in one
    assert "content" not in listing["414"]
    assert "414" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]


def test_the_token_login_documents_its_throttle(schema):
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_a_foreign_key_filter_is_an_integer_id(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/contact-records/"]["get"]["parameters"]}
    assert parameters["voter"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_a_filter_on_an_id_that_does_not_exist_matches_nothing(as_user, olivia, popley_voters):
    response = as_user(olivia).get("/api/v1/contact-records/", {"voter": 999_999})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_filter_on_a_walk_list_volunteer_that_does_not_exist_matches_nothing(as_user, olivia):
    response = as_user(olivia).get("/api/v1/walk-lists/", {"assigned_to": 999_999})

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_a_parameter_given_twice_is_a_400_naming_it(as_user, olivia):
    response = as_user(olivia).get("/api/v1/households/?page_size=5&page_size=6")

    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give this parameter once."]}


# "²" is a digit to str.isdigit() but not to int(): it was a 500.
@pytest.mark.parametrize("size", ["0", "501", "null", "-1", "²"])
def test_a_page_size_out_of_range_is_a_400(as_user, olivia, size):
    response = as_user(olivia).get("/api/v1/voters/", {"page_size": size})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_page_size_in_range_is_taken(as_user, olivia, popley_voters):
    response = as_user(olivia).get("/api/v1/voters/", {"page_size": "2"})

    assert len(response.json()["results"]) == 2


def test_a_boolean_filter_that_is_not_true_or_false_is_a_400(as_user, olivia):
    response = as_user(olivia).get("/api/v1/contact-records/", {"voter_was_off_register": "null"})

    assert response.status_code == 400
    assert response.json() == {"voter_was_off_register": ["Give true or false."]}


def test_the_sync_takes_json_only(as_user, vera):
    response = as_user(vera).post("/api/v1/contacts/sync/", {"contacts": "x"}, format="multipart")

    assert response.status_code == 415
    assert not RefusedSyncItem.objects.exists()


def test_the_sync_documents_items_as_any_value_answered_on_its_own(schema):
    batch = schema["components"]["schemas"]["ContactBatchDoc"]["properties"]["contacts"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 500)
    assert "$ref" not in batch["items"]


@pytest.mark.parametrize("value", [".", "-", "101", 0, 33.5])
def test_an_expected_turnout_the_schema_refuses_is_refused(as_user, olivia, popley, value):
    response = as_user(olivia).patch(f"/api/v1/wards/{popley.pk}/", {"expected_turnout_percent": value}, format="json")

    assert response.status_code == 400


def test_an_expected_turnout_is_documented_as_zero_to_a_hundred(schema):
    field = schema["components"]["schemas"]["Ward"]["properties"]["expected_turnout_percent"]
    assert field["pattern"] == r"^(|100(\.0)?|\d{1,2}(\.\d)?)$"


def test_an_expected_turnout_is_cleared_with_null(as_user, olivia, popley):
    response = as_user(olivia).patch(f"/api/v1/wards/{popley.pk}/", {"expected_turnout_percent": None}, format="json")

    assert (response.status_code, response.json()["expected_turnout_percent"]) == (200, None)


def test_a_ward_is_updated_with_json_only(as_user, olivia, popley):
    response = as_user(olivia).patch(f"/api/v1/wards/{popley.pk}/", {"zone": "north"}, format="multipart")

    assert response.status_code == 415


@pytest.mark.parametrize("when", ["0651-08-03T05:09:44-23:03", "2026-05-02T10:00:00+20:00"])
def test_a_time_filter_with_an_offset_postgresql_refuses_is_turned_to_utc(as_user, olivia, when):
    response = as_user(olivia).get("/api/v1/contact-records/", {"contacted_after": when})

    assert response.status_code == 200


def test_a_time_filter_with_no_utc_equivalent_is_a_400(as_user, olivia):
    response = as_user(olivia).get("/api/v1/contact-records/", {"contacted_after": "0001-01-01T00:00:00+05:00"})

    assert response.status_code == 400
    assert response.json() == {"contacted_after": ["This time is out of range."]}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/voters/", "polling_district"),
        ("/api/v1/contact-records/", "contacted_before"),
        ("/api/v1/villages/", "kind"),
        ("/api/v1/wards/", "page"),
        ("/api/v1/voters/", "cursor"),
    ],
)
def test_an_empty_typed_filter_is_a_400(as_user, olivia, path, name):
    response = as_user(olivia).get(f"{path}?{name}=")

    assert response.status_code == 400
    assert response.json() == {name: ["Give a value, or leave the parameter out."]}


def test_an_empty_text_filter_is_a_text(as_user, olivia):
    assert as_user(olivia).get("/api/v1/households/?street=").status_code == 200
