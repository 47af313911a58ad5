"""Every write that changes what a walk list shows changes its validator; a contact takes no lock on the list.

On PostgreSQL the structural part is the list's `version`, raised by the database's triggers (migration 0030);
contacts are counted as the validator reads them. Each test reads the list afresh, as a request does.
"""

import uuid

import pytest
from django.db import connection  # noqa: F401 (the skip conditions read it)
from django.utils import timezone
from rest_framework.test import APIClient

from canvass.models import Intention, Voter, WalkList, WalkListHousehold
from canvass.privacy.services.erasure import voter_erase
from canvass.privacy.services.objections import objections_record
from canvass.services.contacts import contact_record_delete
from canvass.walklists.version import walk_list_version
from tests.factories import ContactRecordFactory, HouseholdFactory, VoterFactory
from tests.wards_data import spoke
from wards.models import PollingDistrict, TargetListEntry
from wards.services import target_lists_rebuild

pytestmark = pytest.mark.django_db


def version_of(walk_list: WalkList) -> str:
    return walk_list_version(WalkList.objects.get(pk=walk_list.pk))[0]


def synced(user, voter, **fields) -> str:
    """A contact sent by the user's phone, through the API."""
    api = APIClient()
    api.force_authenticate(user)
    item = {"client_uuid": str(uuid.uuid4()), "voter": voter.pk, "contacted_at": timezone.now().isoformat(),
            "outcome": "spoke", **fields}  # fmt: skip
    (result,) = api.post("/api/v1/contacts/sync/", {"contacts": [item]}, format="json").json()["results"]
    assert result["status"] == "ok", result
    return item["client_uuid"]


def test_a_contact_synced_at_one_of_its_doors_changes_it(vera, carpenters_round, doors):
    before = version_of(carpenters_round)
    synced(vera, doors["1 Carpenters Down"].voters.first())
    assert version_of(carpenters_round) != before


def test_a_correction_changes_it(vera, carpenters_round, doors):
    voter = doors["1 Carpenters Down"].voters.first()
    first = synced(vera, voter, local_intention="undecided")
    before = version_of(carpenters_round)
    synced(vera, voter, local_intention="wont_say", supersedes=first)
    assert version_of(carpenters_round) != before


def test_an_undone_contact_changes_it(vera, carpenters_round, doors):
    uuid_ = synced(vera, doors["3 Sherborne Road"].voters.first())
    before = version_of(carpenters_round)
    assert contact_record_delete(user=vera, client_uuid=uuid_)
    assert version_of(carpenters_round) != before


def test_an_erasure_changes_it(alice, carpenters_round, doors):
    voter = doors["2 Carpenters Down"].voters.first()
    before = version_of(carpenters_round)
    voter_erase(voter=voter, by=alice, confirmation=voter.reference)
    assert version_of(carpenters_round) != before


def test_a_voter_asking_for_no_contact_changes_it(alice, carpenters_round, doors):
    before = version_of(carpenters_round)
    objections_record(voter_ids=[doors["4 Sherborne Road"].voters.first().pk], by=alice)
    assert version_of(carpenters_round) != before


def test_a_target_rebuild_that_lists_one_of_its_voters_changes_it(carpenters_round, doors):
    spoke(doors["1 Carpenters Down"].voters.first(), local=Intention.UNDECIDED)
    before = version_of(carpenters_round)
    target_lists_rebuild(ward=carpenters_round.ward)
    assert TargetListEntry.objects.filter(ward=carpenters_round.ward).exists()
    after = version_of(carpenters_round)
    assert after != before
    TargetListEntry.objects.filter(ward=carpenters_round.ward).delete()
    assert version_of(carpenters_round) != after


def test_register_edits_of_its_doors_and_voters_change_it(carpenters_round, doors, popley_district):
    door = doors["2 Carpenters Down"]
    seen = {version_of(carpenters_round)}

    def changed():
        now = version_of(carpenters_round)
        assert now not in seen
        seen.add(now)

    Voter.objects.filter(household=door).update(surname="Renamed")
    changed()
    Voter.objects.filter(household=door).update(on_register=False)  # left the register
    changed()
    VoterFactory(household=door, forenames="Cat")  # a newcomer on the register
    changed()
    door.address = "2a Carpenters Down"
    door.save()
    changed()
    PollingDistrict.objects.filter(pk=popley_district.pk).update(code="ZZ9")  # the voters' references
    changed()
    WalkListHousehold.objects.filter(walk_list=carpenters_round, household=door).delete()
    changed()
    WalkListHousehold.objects.create(walk_list=carpenters_round, household=HouseholdFactory(), position=99)
    changed()
    WalkList.objects.filter(pk=carpenters_round.pk).update(name="Renamed round")
    changed()


def test_writes_away_from_it_leave_it_unchanged(vera, carpenters_round, off_list_door, south_ham_door):
    before = version_of(carpenters_round)
    ContactRecordFactory(voter=off_list_door.voters.first())
    Voter.objects.filter(household=off_list_door).update(surname="Elsewhere")
    Voter.objects.filter(household__in=[off_list_door, south_ham_door]).update(surname="Elsewhere")  # no change
    assert version_of(carpenters_round) == before


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_contact_does_not_touch_the_lists_row(vera, carpenters_round, doors):
    # A sync takes no lock on a walk list: contacts are counted when the validator is read.
    version = WalkList.objects.get(pk=carpenters_round.pk).version
    synced(vera, doors["1 Carpenters Down"].voters.first())
    assert WalkList.objects.get(pk=carpenters_round.pk).version == version


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_save_with_a_stale_version_still_raises_it(carpenters_round, doors):
    stale = WalkList.objects.get(pk=carpenters_round.pk)
    Voter.objects.filter(household=doors["1 Carpenters Down"]).update(surname="Moved")
    raised = WalkList.objects.get(pk=carpenters_round.pk).version
    stale.save()  # writes the version it read, which the database raises instead
    assert WalkList.objects.get(pk=carpenters_round.pk).version > raised


def test_the_api_etag_changes_when_a_volunteer_it_names_is_renamed_not_when_they_sign_in(
    as_user, vera, carpenters_round
):
    api, url = as_user(vera), f"/api/v1/walk-lists/{carpenters_round.pk}/"
    first = api.get(url)["ETag"]
    vera.last_login = timezone.now()
    vera.save()
    assert api.get(url, HTTP_IF_NONE_MATCH=first).status_code == 304
    vera.first_name = "Veronica"
    vera.save()
    renamed = api.get(url, HTTP_IF_NONE_MATCH=first)
    assert renamed.status_code == 200
    assert renamed.json()["assigned_volunteers"][0]["display_name"].startswith("Veronica")


def test_the_api_etag_changes_with_a_contact_synced_and_a_target_rebuild(as_user, vera, carpenters_round, doors):
    api, url = as_user(vera), f"/api/v1/walk-lists/{carpenters_round.pk}/"
    first = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=first).status_code == 304
    synced(vera, doors["1 Carpenters Down"].voters.first(), local_intention="undecided")
    second = api.get(url, HTTP_IF_NONE_MATCH=first)
    assert second.status_code == 200 and second["ETag"] != first
    target_lists_rebuild(ward=carpenters_round.ward)
    third = api.get(url, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and third["ETag"] != second["ETag"]
