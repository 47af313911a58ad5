"""Polling day's scope: a teller sees numbers at their own station, a volunteer their rounds, an organiser
their wards; every listing is written to the audit trail."""

import pytest
from rest_framework.test import APIClient

from canvass.models import AuditEvent
from tests.factories import ProfileFactory
from tests.polling.conftest import at, uid
from wards.polling.models import PollingStation
from wards.polling.services import knock_up_round_send, knock_up_rounds_build, teller_assign, teller_entry_record


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def at_ab2(day, ab2):
    return PollingStation.objects.get(polling_day=day, districts=ab2)


@pytest.fixture
def tom(at_ab2):
    """Tom tells at the AB2 station."""
    user = ProfileFactory(user__username="tom").user
    teller_assign(station=at_ab2, user=user)
    return user


@pytest.fixture
def entered(station, at_ab2, tara, tom, promises):
    """Tara took 101 at AB1, Tom took a number at AB2."""
    teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_by=tara, entered_at=at(9))
    return teller_entry_record(station=at_ab2, typed="7", client_uuid=uid(), entered_by=tom, entered_at=at(9))


def test_a_teller_lists_their_stations_entries_by_number_with_no_name(tara, station, promises, entered):
    second = ProfileFactory(user__username="tess").user
    teller_assign(station=station, user=second)
    teller_entry_record(station=station, typed="105", client_uuid=uid(), entered_by=second, entered_at=at(10))
    rows = api(tara).get(f"/api/v1/polling/stations/{station.id}/entries/").json()
    assert sorted(r["reference"] for r in rows) == ["AB1-101", "AB1-105"]
    for person in promises:
        assert person.surname not in str(rows) and person.forenames not in str(rows)


def test_a_teller_cannot_list_another_stations_entries(tara, at_ab2, entered):
    assert api(tara).get(f"/api/v1/polling/stations/{at_ab2.id}/entries/").status_code == 404
    assert api(tara).get(f"/api/v1/polling/stations/{at_ab2.id}/hourly/").status_code == 404


def test_a_teller_cannot_undo_another_stations_entry(tara, entered):
    assert api(tara).delete(f"/api/v1/polling/entries/{entered.client_uuid}/").status_code == 404


def test_a_teller_lists_only_their_own_station(tara, station, tom):
    assert [s["id"] for s in api(tara).get("/api/v1/polling/stations/").json()] == [station.id]


def test_a_teller_sees_no_voter_round_board_or_day(tara, day, popley, promises):
    client = api(tara)
    assert client.get("/api/v1/voters/").json()["results"] == []
    assert client.get("/api/v1/polling/rounds/").json() == []
    assert client.get(f"/api/v1/polling/days/{day.id}/board/").status_code == 404
    assert client.get("/api/v1/polling/days/").status_code == 403
    assert client.get(f"/api/v1/polling/days/{day.id}/wards/{popley.id}/postal/").status_code == 403


def test_the_teller_page_shows_numbers_not_names(client, tara, station, promises, entered):
    client.force_login(tara)
    page = client.get(f"/polling/stations/{station.id}/teller/").content.decode()
    for person in promises:
        assert person.surname not in page


def test_a_volunteer_sees_only_the_rounds_given_to_them(vera, victor, day, popley, promises):
    first, second = knock_up_rounds_build(polling_day=day, ward=popley, size=1)[:2]
    knock_up_round_send(round=first, volunteer=vera)
    knock_up_round_send(round=second, volunteer=victor)
    assert [r["id"] for r in api(vera).get("/api/v1/polling/rounds/").json()] == [first.id]
    assert api(vera).get(f"/api/v1/polling/rounds/{second.id}/").status_code == 404


def test_a_volunteer_cannot_print_another_volunteers_sheet(client, vera, victor, day, popley, promises):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    knock_up_round_send(round=round_, volunteer=victor)
    client.force_login(vera)
    assert client.get(f"/polling/rounds/{round_.id}/print/").status_code == 404


def test_an_organiser_sees_only_their_wards(oscar, olivia, station, day, popley, promises, entered):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    client = api(oscar)
    assert client.get(f"/api/v1/polling/stations/{station.id}/entries/").status_code == 404
    assert client.get(f"/api/v1/polling/rounds/{round_.id}/").status_code == 404
    assert round_.id not in [r["id"] for r in client.get("/api/v1/polling/rounds/").json()]
    board = client.get(f"/api/v1/polling/days/{day.id}/board/").json()
    assert [w["name"] for w in board["wards"]] == ["South Ham"]
    assert "Popley" not in str(board)


def test_an_organiser_cannot_place_tellers_at_another_wards_station(oscar, olivia, station):
    teller = ProfileFactory(user__username="tim").user
    url = f"/api/v1/polling/stations/{station.id}/tellers/"
    assert api(oscar).post(url, {"teller": "tim"}, format="json").status_code == 404
    placed = api(olivia).post(url, {"teller": "tim"}, format="json").json()
    assert placed == {"station": station.id, "left_station": None}
    assert list(station.tellers.all()) == [teller]
    assert api(olivia).delete(f"{url}{teller.pk}/").status_code == 204
    assert not station.tellers.exists()


def test_a_teller_cannot_place_tellers(tara, station):
    ProfileFactory(user__username="tim")
    url = f"/api/v1/polling/stations/{station.id}/tellers/"
    assert api(tara).post(url, {"teller": "tim"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("who", "url", "resource"),
    [
        ("tara", "/api/v1/polling/stations/", "polling-stations"),
        ("tara", "/api/v1/polling/stations/{station}/entries/", "teller-entries"),
        ("vera", "/api/v1/polling/rounds/", "knock-up-rounds"),
        ("vera", "/api/v1/polling/rounds/{round}/", "knock-up-round"),
        ("olivia", "/api/v1/polling/days/", "polling-days"),
        ("olivia", "/api/v1/polling/days/{day}/board/", "polling-board"),
        ("olivia", "/api/v1/polling/days/{day}/wards/{ward}/postal/", "postal-promises"),
    ],
)
def test_every_listing_is_audited(request, who, url, resource, day, station, popley, promises, tara, vera, olivia):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    knock_up_round_send(round=round_, volunteer=vera)
    user = request.getfixturevalue(who)
    path = url.format(station=station.id, round=round_.id, day=day.id, ward=popley.id)
    assert api(user).get(path).status_code == 200
    assert AuditEvent.objects.filter(user=user, resource=resource, action="list").count() == 1
