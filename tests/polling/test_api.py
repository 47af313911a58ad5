import pytest
import yaml
from rest_framework.test import APIClient

from canvass.models import AuditEvent
from tests.factories import ElectionFactory, ProfileFactory
from tests.polling.conftest import at, uid
from wards.models import TellerReturn
from wards.polling.models import KnockUpRound, PollingStation
from wards.polling.services import knock_up_round_send, knock_up_rounds_build, teller_entry_record


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def sync(user, station, *entries):
    return api(user).post(
        f"/api/v1/polling/stations/{station.id}/entries/sync/",
        {"entries": [{"client_uuid": str(u), "typed": t, "entered_at": at(12).isoformat()} for u, t in entries]},
        format="json",
    )


def test_a_teller_syncs_numbers_and_each_gets_its_answer(tara, station, promises):
    response = sync(tara, station, (uid(), "101"), (uid(), "nonsense"), (uid(), "999"))
    assert response.status_code == 200
    assert [r["outcome"] for r in response.json()["results"]] == ["recorded", "unreadable", "not_on_register"]


def test_replaying_a_batch_records_nothing_twice(tara, station, promises):
    batch = [(uid(), "101"), (uid(), "105")]
    sync(tara, station, *batch)
    again = sync(tara, station, *batch).json()["results"]
    assert [(r["outcome"], r["replayed"]) for r in again] == [("recorded", True), ("recorded", True)]
    assert TellerReturn.objects.count() == 2


def test_a_bad_item_is_answered_by_position_and_the_rest_are_kept(tara, station, promises):
    response = api(tara).post(
        f"/api/v1/polling/stations/{station.id}/entries/sync/",
        {"entries": [{"typed": "101"}, {"client_uuid": str(uid()), "typed": "105", "entered_at": at(12).isoformat()}]},
        format="json",
    )
    first, second = response.json()["results"]
    assert first["outcome"] == "error" and first["message"].startswith("entry 1: client_uuid")
    assert first["client_uuid"] is None
    assert second["outcome"] == "recorded"


@pytest.mark.parametrize("sent", [{"a": 1}, ["x"], "", "not-a-uuid"])
def test_an_entry_without_a_uuid_is_answered_with_null_not_what_it_sent(tara, station, sent):
    """The answer's client_uuid is a UUID (the schema's, and what a client puts in DELETE /entries/{client_uuid}/):
    an object, a list or "" echoed back broke both."""
    entry = {"client_uuid": sent, "typed": "101", "entered_at": at(12).isoformat()}
    url = f"/api/v1/polling/stations/{station.id}/entries/sync/"
    (answer,) = api(tara).post(url, {"entries": [entry]}, format="json").json()["results"]
    assert (answer["outcome"], answer["client_uuid"]) == ("error", None)


def test_a_phone_clock_centuries_off_is_answered_for_that_entry_and_the_rest_are_kept(tara, station, promises):
    """Correcting one time by the gap of another that far off overflowed Python's dates: a 500 for the whole batch,
    sent again and again by the phone."""
    far_off = {"client_uuid": str(uid()), "typed": "101", "entered_at": "0001-01-02T00:00:00Z"}
    far_off["sent_at"] = "9999-12-31T23:59:59Z"
    good = {"client_uuid": str(uid()), "typed": "105", "entered_at": at(12).isoformat()}
    response = api(tara).post(
        f"/api/v1/polling/stations/{station.id}/entries/sync/", {"entries": [far_off, good]}, format="json"
    )
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["outcome"] == "error" and first["message"].startswith("entry 1: entered_at: Give a time between")
    assert second["outcome"] == "recorded"


def test_another_tellers_client_uuid_is_refused_without_her_entrys_number(tara, station, day, ab2, promises):
    """A replay answers with the first entry's number and outcome: sent by another teller (at another station),
    it told them whose number was taken, and whether they had voted."""
    taken = uid()
    sync(tara, station, (taken, "101"))
    other = PollingStation.objects.get(polling_day=day, districts=ab2)
    tom = ProfileFactory(user__username="tom").user
    other.tellers.add(tom)
    (answer,) = sync(tom, other, (taken, "5")).json()["results"]
    assert (answer["outcome"], answer["ok"], answer["reference"]) == ("error", False, "")
    assert "101" not in answer["message"] and "already used by another entry" in answer["message"]
    (again,) = sync(tara, station, (taken, "101")).json()["results"]
    assert (again["outcome"], again["replayed"], again["reference"]) == ("recorded", True, "AB1-101")


def test_a_teller_cannot_send_to_another_station(tara, day, ab2):
    other = PollingStation.objects.get(polling_day=day, districts=ab2)
    assert sync(tara, other, (uid(), "1")).status_code == 404


def test_a_volunteer_who_is_not_a_teller_sees_no_station(vera, station):
    assert api(vera).get("/api/v1/polling/stations/").json() == []
    assert sync(vera, station, (uid(), "1")).status_code == 404


def test_an_organiser_sees_only_their_wards_stations(olivia, oscar, station):
    assert station.id in [s["id"] for s in api(olivia).get("/api/v1/polling/stations/").json()]
    assert station.id not in [s["id"] for s in api(oscar).get("/api/v1/polling/stations/").json()]


def test_a_teller_sees_numbers_not_names_and_the_listing_is_audited(tara, station, promises):
    sync(tara, station, (uid(), "101"))
    rows = api(tara).get(f"/api/v1/polling/stations/{station.id}/entries/").json()
    assert [r["reference"] for r in rows] == ["AB1-101"]
    assert promises[0].surname not in str(rows)
    assert AuditEvent.objects.filter(resource="teller-entries", user=tara).exists()


def test_a_teller_undoes_their_entry(tara, station, promises):
    client_uuid = uid()
    sync(tara, station, (client_uuid, "101"))
    assert api(tara).delete(f"/api/v1/polling/entries/{client_uuid}/").status_code == 204
    assert not TellerReturn.objects.exists()


def test_hourly_counts(tara, station, promises):
    sync(tara, station, (uid(), "101"), (uid(), "105"))
    (row,) = api(tara).get(f"/api/v1/polling/stations/{station.id}/hourly/").json()
    assert row["recorded"] == 2


def test_a_volunteer_loads_their_round_and_voted_electors_drop_off(vera, victor, day, popley, promises, station):
    round_, *_ = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    knock_up_round_send(round=round_, volunteer=vera)
    teller_entry_record(station=station, typed="105", client_uuid=uid(), entered_at=at(12))
    body = api(vera).get(f"/api/v1/polling/rounds/{round_.id}/").json()
    assert [d["voter_id"] for d in body["doors"]] == [promises[0].id, promises[3].id]
    assert AuditEvent.objects.filter(resource="knock-up-round", user=vera).exists()
    assert api(victor).get(f"/api/v1/polling/rounds/{round_.id}/").status_code == 404
    assert [r["id"] for r in api(vera).get("/api/v1/polling/rounds/").json()] == [round_.id]


def test_a_phone_loads_its_round_in_three_queries(vera, day, popley, promises, django_assert_num_queries):
    round_, *_ = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    knock_up_round_send(round=round_, volunteer=vera)
    phone = api(vera)
    phone.get(f"/api/v1/polling/rounds/{round_.id}/")
    # The round with its day and ward, its doors, the audit row (a device token adds one: bench/polling_day.py).
    with django_assert_num_queries(3):
        assert phone.get(f"/api/v1/polling/rounds/{round_.id}/").status_code == 200


def test_the_board_is_for_organisers_of_the_ward(olivia, tara, day, promises, station):
    teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_at=at(12))
    board = api(olivia).get(f"/api/v1/polling/days/{day.id}/board/").json()
    assert [(w["name"], w["promises_voted"], w["outstanding"]) for w in board["wards"]] == [("Popley", 1, 2)]
    assert api(tara).get(f"/api/v1/polling/days/{day.id}/board/").status_code == 404


@pytest.mark.django_db
def test_polling_day_endpoints_are_in_the_openapi_schema(client, vera):
    client.force_login(vera)
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    for path in (
        "/api/v1/polling/stations/",
        "/api/v1/polling/stations/{station_id}/entries/",
        "/api/v1/polling/stations/{station_id}/entries/sync/",
        "/api/v1/polling/stations/{station_id}/hourly/",
        "/api/v1/polling/stations/{station_id}/tellers/",
        "/api/v1/polling/stations/{station_id}/tellers/{user_id}/",
        "/api/v1/polling/entries/{client_uuid}/",
        "/api/v1/polling/rounds/",
        "/api/v1/polling/rounds/{round_id}/",
        "/api/v1/polling/days/{day_id}/board/",
        "/api/v1/polling/days/",
        "/api/v1/polling/days/{day_id}/wards/{ward_id}/rounds/",
        "/api/v1/polling/days/{day_id}/wards/{ward_id}/postal/",
        "/api/v1/polling/days/{day_id}/postal/{voter_id}/returned/",
        "/api/v1/polling/rounds/{round_id}/send/",
        "/api/v1/polling/rounds/{round_id}/back/",
    ):
        assert path in paths, path


def test_an_organiser_opens_polling_day_through_the_api_for_their_wards_only(olivia, popley, south_ham, ab1):
    election = ElectionFactory(council=popley.council)
    refused = api(olivia).post("/api/v1/polling/days/", {"election": election.id, "wards": [south_ham.id]})
    assert refused.status_code == 400 and "your own wards" in str(refused.json())
    created = api(olivia).post("/api/v1/polling/days/", {"election": election.id, "wards": [popley.id]})
    assert created.status_code == 201
    body = created.json()
    assert (body["election"], body["election_date"], body["opens_at"], body["closes_at"]) == (
        election.id,
        "2027-05-06",
        "07:00:00",
        "22:00:00",
    )


def test_opening_polling_day_through_the_api_needs_an_election(olivia, popley):
    refused = api(olivia).post("/api/v1/polling/days/", {"election_date": "2027-05-06", "wards": [popley.id]})
    assert refused.status_code == 400 and "election" in refused.json()


def test_a_volunteer_cannot_open_polling_day_through_the_api(vera, popley):
    election = ElectionFactory(council=popley.council)
    assert api(vera).post("/api/v1/polling/days/", {"election": election.id, "wards": [popley.id]}).status_code == 403


@pytest.mark.parametrize("body", ['{"election": 1e400, "wards": [1]}', '{"election": 1, "wards": [1e400]}'])
def test_opening_polling_day_with_an_id_beyond_a_doubles_range_is_a_400(olivia, popley, body):
    """JSON reads 1e400 as infinity, which went to the database lookup: an OverflowError, a 500."""
    response = api(olivia).post("/api/v1/polling/days/", body, content_type="application/json")
    assert response.status_code == 400


def test_rounds_are_built_and_sent_through_the_api(olivia, vera, day, popley, promises):
    built = api(olivia).post(f"/api/v1/polling/days/{day.id}/wards/{popley.id}/rounds/", {"size": 2}, format="json")
    assert [r["number"] for r in built.json()] == [1, 2]
    round_id = built.json()[0]["id"]
    sent = api(olivia).post(f"/api/v1/polling/rounds/{round_id}/send/", {"volunteer": vera.username}, format="json")
    assert sent.status_code == 200 and sent.json()["sent_out_at"]
    assert [r["id"] for r in api(vera).get("/api/v1/polling/rounds/").json()] == [round_id]


def test_a_round_is_not_sent_to_someone_who_could_never_load_it(olivia, vera, day, popley, promises):
    """A round sent to an account with no role (or deactivated) was marked out, and nobody could load it."""
    built = api(olivia).post(f"/api/v1/polling/days/{day.id}/wards/{popley.id}/rounds/", {"size": 2}, format="json")
    round_id = built.json()[0]["id"]
    nobody = ProfileFactory(user__username="nobody").user
    nobody.profile.delete()
    vera.is_active = False
    vera.save(update_fields=["is_active"])
    for username in ("nobody", "vera"):
        sent = api(olivia).post(f"/api/v1/polling/rounds/{round_id}/send/", {"volunteer": username}, format="json")
        assert sent.status_code == 400 and "has no role in the campaign" in sent.json()["detail"]
    assert KnockUpRound.objects.get(id=round_id).sent_out_at is None


def test_an_organiser_of_another_ward_cannot_build_its_rounds(oscar, day, popley, promises):
    url = f"/api/v1/polling/days/{day.id}/wards/{popley.id}/rounds/"
    assert api(oscar).post(url, {"size": 2}, format="json").status_code == 404


def test_postal_promises_are_listed_audited_and_marked_returned(olivia, day, popley, promises):
    url = f"/api/v1/polling/days/{day.id}/wards/{popley.id}/postal/"
    assert [(p["voter_id"], p["returned"]) for p in api(olivia).get(url).json()] == [(promises[1].id, False)]
    assert api(olivia).post(f"/api/v1/polling/days/{day.id}/postal/{promises[1].id}/returned/").status_code == 204
    assert [p["returned"] for p in api(olivia).get(url).json()] == [True]
    assert AuditEvent.objects.filter(resource="postal-promises", user=olivia).count() == 2
    marked_in_person = api(olivia).post(f"/api/v1/polling/days/{day.id}/postal/{promises[0].id}/returned/")
    assert marked_in_person.status_code == 400 and "no postal vote" in str(marked_in_person.json())
