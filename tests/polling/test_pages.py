import datetime as dt

import pytest
from django.utils.html import escape

from canvass.models import AuditEvent
from tests.factories import ElectionFactory
from tests.polling.conftest import at, uid
from wards.polling.models import KnockUpRound, PollingDay, PollingStation, PostalVoteReturned
from wards.polling.services import knock_up_round_send, knock_up_rounds_build, teller_entry_record


@pytest.fixture
def may_2027(popley):
    return ElectionFactory(council=popley.council, date=dt.date(2027, 5, 6))


def test_an_organiser_opens_polling_day_for_an_election_with_a_station_per_district(
    client, olivia, popley, ab1, ab2, may_2027
):
    client.force_login(olivia)
    response = client.post(
        "/polling/new/", {"election": may_2027.id, "wards": [popley.id], "opens_at": "07:00", "closes_at": "22:00"}
    )
    day = PollingDay.objects.get()
    assert response.status_code == 302
    assert (day.election, day.election_date, day.opens_at, day.closes_at) == (
        may_2027,
        dt.date(2027, 5, 6),
        dt.time(7),
        dt.time(22),
    )
    assert sorted(s.name for s in day.stations.all()) == ["AB1", "AB2"]


def test_set_up_offers_the_coming_elections_not_yet_opened(client, olivia, popley, may_2027, day, election):
    client.force_login(olivia)
    choices = client.get("/polling/new/").context["form"].fields["election"].queryset
    assert list(choices) == [may_2027]


def test_set_up_refuses_hours_the_wrong_way_round(client, olivia, popley, ab1, may_2027):
    client.force_login(olivia)
    response = client.post(
        "/polling/new/", {"election": may_2027.id, "wards": [popley.id], "opens_at": "22:00", "closes_at": "07:00"}
    )
    assert "must open before they close" in response.content.decode()
    assert not PollingDay.objects.exists()


def test_an_organiser_cannot_open_polling_day_for_another_ward(client, olivia, south_ham, may_2027):
    client.force_login(olivia)
    client.post("/polling/new/", {"election": may_2027.id, "wards": [south_ham.id]})
    assert not PollingDay.objects.exists()


def test_a_volunteer_cannot_open_polling_day(client, vera):
    client.force_login(vera)
    assert client.get("/polling/new/").status_code == 403


def test_the_teller_page_is_for_the_stations_tellers(client, tara, vera, station):
    client.force_login(tara)
    assert (
        f'data-teller data-station="{station.id}"'
        in client.get(f"/polling/stations/{station.id}/teller/").content.decode()
    )
    client.force_login(vera)
    assert client.get(f"/polling/stations/{station.id}/teller/").status_code == 404


def test_the_committee_room_keys_a_sheet_but_a_teller_cannot(client, olivia, tara, station):
    client.force_login(olivia)
    assert 'data-keying="true"' in client.get(f"/polling/stations/{station.id}/key/").content.decode()
    client.force_login(tara)
    assert client.get(f"/polling/stations/{station.id}/key/").status_code == 403


def test_the_board_refreshes_itself_and_counts(client, olivia, oscar, day, promises, station):
    teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_at=at(12))
    client.force_login(olivia)
    html = client.get(f"/polling/{day.id}/board/").content.decode()
    assert 'http-equiv="refresh"' in html and "<td>Popley</td><td>3</td><td>1</td><td data-outstanding>2</td>" in html
    client.force_login(oscar)
    assert "Popley" not in client.get(f"/polling/{day.id}/board/").content.decode()


def test_the_knock_up_page_builds_rounds(client, olivia, day, popley, promises):
    client.force_login(olivia)
    client.post(f"/polling/{day.id}/wards/{popley.id}/knock-up/", {"size": "2"})
    assert KnockUpRound.objects.filter(polling_day=day, ward=popley).count() == 2


def test_postal_vote_returned_is_marked_from_the_knock_up_page(client, olivia, day, popley, promises):
    client.force_login(olivia)
    html = client.get(f"/polling/{day.id}/wards/{popley.id}/knock-up/").content.decode()
    assert promises[1].reference in html
    client.post(f"/polling/{day.id}/postal/{promises[1].id}/returned/")
    assert PostalVoteReturned.objects.filter(voter=promises[1]).exists()


def test_the_printed_sheet_strikes_out_the_voted_and_is_audited(client, vera, day, popley, promises, station):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    knock_up_round_send(round=round_, volunteer=vera)
    teller_entry_record(station=station, typed="105", client_uuid=uid(), entered_at=at(12))
    client.force_login(vera)
    html = client.get(f"/polling/rounds/{round_.id}/print/").content.decode()

    # Whole names with their references: a random forename may begin another's ("Louis", "Louise").
    def line(voter):
        return escape(f"{voter.forenames} {voter.surname} ({voter.reference})")  # as the page writes it (O'Brien)

    assert f"<s>{line(promises[2])}</s>" in html
    assert f"<s>{line(promises[0])}</s>" not in html and line(promises[0]) in html
    assert AuditEvent.objects.filter(resource="knock-up-sheet", action="export").exists()


def test_polling_day_admin_pages_load(client, alice, day, station, tara):
    from django.urls import reverse

    client.force_login(alice)
    for name, pk in (("pollingday", day.pk), ("pollingstation", station.pk)):
        assert client.get(reverse(f"admin:polling_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:polling_{name}_change", args=[pk])).status_code == 200
    assert client.get(reverse("admin:polling_tellerentry_changelist")).status_code == 200
    assert client.get(reverse("admin:polling_knockupround_changelist")).status_code == 200


def test_tellers_and_knock_up_volunteers_are_shown_by_display_name(client, olivia, tara, vera, day, popley, station):
    tara.first_name, tara.last_name = "Tara", "Quinn"
    tara.save(update_fields=["first_name", "last_name"])
    client.force_login(olivia)
    assert "Tara Quinn" in client.get(f"/polling/{day.id}/").content.decode()
    response = client.post(f"/polling/stations/{station.id}/tellers/", {"username": "tara"}, follow=True)
    assert "Tara Quinn tells at" in response.content.decode()


def test_a_knock_up_round_is_shown_out_with_the_volunteers_display_name(client, olivia, vera, day, popley, promises):
    vera.first_name, vera.last_name = "Vera", "Hale"
    vera.save(update_fields=["first_name", "last_name"])
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    client.force_login(olivia)
    response = client.post(f"/polling/rounds/{round_.id}/send/", {"username": "vera"}, follow=True)
    content = response.content.decode()
    assert f"Round {round_.number} is out with Vera Hale." in content
    assert "<td>Vera Hale</td>" in content


def test_a_knock_up_round_is_not_sent_out_with_a_deactivated_account(client, olivia, vera, day, popley, promises):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    vera.is_active = False
    vera.save(update_fields=["is_active"])
    client.force_login(olivia)
    response = client.post(f"/polling/rounds/{round_.id}/send/", {"username": "vera"}, follow=True)
    assert "has no role in the campaign" in response.content.decode()
    round_.refresh_from_db()
    assert round_.sent_out_at is None and round_.assigned_to is None


def test_placing_a_teller_at_another_station_moves_them_and_says_so(client, olivia, tara, day, ab2, station):
    other = PollingStation.objects.get(polling_day=day, districts=ab2)
    client.force_login(olivia)
    response = client.post(f"/polling/stations/{other.id}/tellers/", {"username": "tara"}, follow=True)
    assert f"tara tells at {other} (no longer at {station})." in response.content.decode()
    assert list(PollingStation.objects.filter(tellers=tara)) == [other]


def test_an_organiser_takes_a_teller_off_a_station(client, olivia, tara, station):
    client.force_login(olivia)
    client.post(f"/polling/stations/{station.id}/tellers/{tara.pk}/remove/")
    assert not station.tellers.exists()
