"""`walk_list_tree` reads its doors, voters and contacts with fixed SQL: the values are those the ORM reads
(aware datetimes and booleans on SQLite too; a contact's uuid as text), and each last contact is the newest by
time, then id."""

import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import ContactRecord, Intention, Outcome
from canvass.walklists.selectors import CONTACT_KEYS, tree_doors, walk_list_progress, walk_list_tree
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PartyFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(popley, olivia):
    district = PollingDistrictFactory(ward=popley, code="PT1")
    first, second, quiet = (HouseholdFactory(polling_district=district) for _ in range(3))
    ann = VoterFactory(household=first, forenames="Ann", surname="Able", title="Ms", is_postal_voter=True)
    bob = VoterFactory(household=first, forenames="Bob", surname="Able", elector_suffix=1, do_not_contact=True)
    cy = VoterFactory(household=second, forenames="Cy", surname="Baker")
    VoterFactory(household=second, on_register=False)  # off the register: not on the list
    walk_list = WalkListFactory(ward=popley, created_by=olivia, households=[second, first, quiet])
    cut = walk_list.created_at
    labour = PartyFactory(code="LAB", name="Labour")
    at = cut + dt.timedelta(hours=1)
    # Two of Ann's at the same minute: the larger id is her last.
    ContactRecordFactory(voter=ann, contacted_at=at, outcome=Outcome.NOT_IN)
    newest = ContactRecordFactory(
        voter=ann, contacted_at=at, local_intention=Intention.PARTY, local_party=labour, likelihood=4
    )
    ContactRecordFactory(voter=cy, contacted_at=cut - dt.timedelta(days=3))
    door = ContactRecordFactory(voter=None, household=second, ward=popley, contacted_at=at, outcome=Outcome.NOT_IN)
    ContactRecordFactory(voter=cy, contacted_at=at, is_superseded=True)  # corrected: not counted
    return walk_list, {"ann": ann, "bob": bob, "cy": cy, "first": first, "second": second, "quiet": quiet}, newest, door


def test_the_tree_reads_what_the_orm_reads(scene):
    walk_list, people, newest, door_contact = scene
    rows: dict = {}
    streets = walk_list_tree(walk_list, rows=rows)
    doors = tree_doors(streets)
    assert [door["id"] for door in doors] == [people["second"].pk, people["first"].pk, people["quiet"].pk]
    second, first, quiet = doors
    ann, bob = first["voters"]
    assert (ann["id"], bob["id"]) == (people["ann"].pk, people["bob"].pk)
    assert [voter["id"] for voter in second["voters"]] == [people["cy"].pk]
    assert ann["is_postal_voter"] is True and ann["do_not_contact"] is False and bob["do_not_contact"] is True
    assert ann["reference"] == people["ann"].reference and bob["reference"] == people["bob"].reference
    assert ann["full_name"] == "Ann Able" and ann["title"] == "Ms"
    last = ann["last_contact"]
    assert set(last) == {"id", *CONTACT_KEYS} and last["id"] == newest.pk
    assert last["client_uuid"] == str(newest.client_uuid)  # text on every database
    stored = ContactRecord.objects.get(pk=newest.pk)
    assert last["contacted_at"] == stored.contacted_at and timezone.is_aware(last["contacted_at"])
    assert (last["local_party__code"], last["local_party"], last["likelihood"]) == ("LAB", stored.local_party_id, 4)
    assert last["national_party__code"] is None and last["voter_id"] == people["ann"].pk
    # The door's own last contact (no voter), its visit since the cut, counted contacts, answered.
    assert second["last_contact"]["client_uuid"] == str(door_contact.client_uuid)
    assert second["contacts"] == 1 and second["answered"] is False and second["to_do"] is True
    assert first["contacts"] == 2 and first["answered"] is True and first["knocked"] is True
    assert first["visit"] is ann["last_contact"]  # one dict per contact
    assert quiet["voters"] == [] and quiet["contacts"] == 0 and quiet["answered"] is False
    assert quiet["visit"] is None and quiet["last_contact"] is None and quiet["knockable"] is False
    assert walk_list_progress(streets) == {"households": 3, "knocked": 2, "contacts": 3, "to_do": 1}
    # The rows the changes token reads, as read.
    assert rows["doors"][1][:2] == (people["first"].pk, 2)
    assert rows["voters"][0][:5] == (people["ann"].pk, people["first"].pk, "PT1", people["ann"].elector_number, 0)
    assert rows["voters"][0][-3:] == (False, False, True)  # proxy, do not contact, on the register


def test_the_tree_without_contacts_has_no_contact_fields(scene):
    walk_list, people, *_ = scene
    doors = tree_doors(walk_list_tree(walk_list, with_contacts=False))
    assert "last_contact" not in doors[1]["voters"][0] and "contacts" not in doors[1]
    assert doors[1]["voters"][0]["is_postal_voter"] is True
