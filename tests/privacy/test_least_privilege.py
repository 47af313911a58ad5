"""At the door a volunteer gets the name, the address and the last contact: not notes, answers or history."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from canvass.models import Intention, WalkList, WalkListHousehold
from canvass.privacy.services.objections import objections_record
from tests.factories import ContactRecordFactory


@pytest.fixture
def annes_door(people, popley, vera, olivia):
    walk_list = WalkList.objects.create(ward=popley, name="Round 1", created_by=olivia)
    walk_list.assigned_to.add(vera)
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["ann"].household, position=1)
    # An older contact: history the door does not need.
    ContactRecordFactory(
        voter=people["ann"],
        volunteer=olivia,
        local_intention=Intention.WONT_SAY,
        notes="Old grudge about the bins",
        contacted_at=timezone.now() - dt.timedelta(days=200),
    )
    return walk_list


def test_doorstep_page_shows_no_notes_answers_or_history(client, vera, annes_door):
    client.force_login(vera)

    page = client.get(f"/doorstep/lists/{annes_door.pk}/").content.decode()

    assert "Ann Archer" in page
    for private in ("Has a bad knee", "potholes", "Old grudge", "Won&#x27;t say"):
        assert private not in page


def test_walk_list_api_sends_the_last_contact_only(client, vera, annes_door):
    client.force_login(vera)

    body = client.get(f"/api/v1/walk-lists/{annes_door.pk}/").content.decode()

    assert "Archer" in body
    for private in ("Has a bad knee", "potholes", "Old grudge", "wont_say", "notes", "issues"):
        assert private not in body


def test_objection_keeps_a_voter_off_the_printed_round_export(client, people, olivia, vera):
    objections_record(voter_ids=[people["ann"].pk], by=vera)
    client.force_login(olivia)

    rows = list(csv.reader(io.StringIO(client.get("/api/v1/voters/export/").content.decode())))[1:]

    assert sorted(int(row[0]) for row in rows) == [people["bob"].pk, people["cath"].pk]


def test_walk_list_api_gives_a_volunteer_what_the_door_needs_and_nothing_more(client, vera, annes_door):
    client.force_login(vera)

    door = next(d for d in client.get(f"/api/v1/walk-lists/{annes_door.pk}/").json()["households"] if d["voters"])
    ann = next(v for v in door["voters"] if v["forenames"] == "Ann")

    assert set(ann) == {
        "id", "reference", "title", "forenames", "surname", "markers", "is_postal_voter", "do_not_contact",
        "on_register", "target_reason", "last_contact",
    }  # fmt: skip
    assert set(ann["last_contact"]) == {
        "client_uuid", "contacted_at", "outcome", "local_intention", "local_party", "national_intention",
        "national_party", "likelihood",
    }  # fmt: skip
    assert ann["last_contact"]["likelihood"] == 5  # the latest, not the older one


def test_the_voter_api_gives_a_volunteer_no_contact_history(client, vera, annes_door, people):
    client.force_login(vera)

    voter = client.get(f"/api/v1/voters/{people['ann'].pk}/").json()

    assert voter["surname"] == "Archer"
    assert not {"contacts", "last_contact", "notes", "issues", "do_not_contact_since"} & set(voter)


def test_the_contacts_api_gives_a_volunteer_only_their_own(client, vera, annes_door):
    client.force_login(vera)

    listed = client.get("/api/v1/contact-records/").json()["results"]

    assert listed and all(contact["volunteer"] == vera.pk for contact in listed)
    assert "Old grudge about the bins" not in str(listed)  # Olivia's contact


@pytest.mark.parametrize("view", ["", "?view=door"])
def test_a_leaflet_deliverer_gets_no_names_from_the_walk_list_api(client, vera, people, popley, olivia, view):
    """A delivery round's deliverer needs its addresses (its own page), not who lives there: the list's API
    detail named every voter at its doors, with their last contact."""
    walk_list = WalkList.objects.create(ward=popley, name="Focus, spring", created_by=olivia, kind="delivery")
    walk_list.assigned_to.add(vera)
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["ann"].household, position=1)
    client.force_login(vera)

    response = client.get(f"/api/v1/walk-lists/{walk_list.pk}/{view}")

    assert response.status_code == 404 and "Archer" not in response.content.decode()
    assert client.get(f"/doorstep/deliveries/{walk_list.pk}/").status_code == 200
