"""A correction made at the door supersedes its record (append-only, idempotent); a new resident is held."""

import pytest
from django.utils import timezone

from canvass.models import ContactRecord, NewResident, Voter
from canvass.models.people import Role
from canvass.services.contacts import contact_record_delete
from canvass.walklists.selectors import walk_list_progress, walk_list_tree
from tests.api.test_contact_sync import item
from tests.api.test_sync_bad_items import post
from tests.factories import ProfileFactory
from wards.models import AreaStatistics
from wards.services import ward_statistics_recompute

pytestmark = pytest.mark.django_db


def test_a_correction_supersedes_its_record_and_the_list_counts_one_contact(
    as_user, vera, veras_list, popley_voters, our_party
):
    api = as_user(vera)
    now = timezone.now().isoformat()  # after the list was cut, so both count towards its progress
    first = item(popley_voters[0], local_intention="undecided", contacted_at=now)
    post(api, [first])
    fixed = item(
        popley_voters[0], local_intention="party", local_party=our_party.pk, supersedes=first["client_uuid"],
        contacted_at=now,
    )  # fmt: skip
    (result,) = post(api, [fixed]).json()["results"]
    assert result["status"] == "ok"
    original, correction = ContactRecord.objects.order_by("id")
    assert (original.is_superseded, original.local_intention) == (True, "undecided")
    assert correction.supersedes == original and not correction.is_superseded
    assert walk_list_progress(walk_list_tree(veras_list))["contacts"] == 1


def test_a_record_and_its_correction_made_offline_arrive_together(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0], local_intention="undecided")
    fixed = item(popley_voters[0], local_intention="wont_say", supersedes=first["client_uuid"])
    results = post(as_user(vera), [first, fixed]).json()["results"]
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert ContactRecord.objects.get(is_superseded=False).local_intention == "wont_say"


def test_a_replayed_correction_changes_nothing(as_user, vera, veras_list, popley_voters):
    api = as_user(vera)
    first = item(popley_voters[0])
    fixed = item(popley_voters[0], likelihood=4, supersedes=first["client_uuid"])
    post(api, [first, fixed])
    assert post(api, [fixed]).json()["results"][0]["status"] == "ok"
    assert ContactRecord.objects.count() == 2


def test_a_second_correction_of_the_same_record_is_refused(as_user, vera, veras_list, popley_voters):
    api = as_user(vera)
    first = item(popley_voters[0])
    post(api, [first, item(popley_voters[0], likelihood=4, supersedes=first["client_uuid"])])
    (result,) = post(api, [item(popley_voters[0], likelihood=2, supersedes=first["client_uuid"])]).json()["results"]
    assert result["errors"] == {"supersedes": ["That record is already corrected: correct the latest one."]}


def test_a_correction_for_another_voter_is_refused(as_user, vera, veras_list, popley_voters):
    api = as_user(vera)
    first = item(popley_voters[0])
    post(api, [first])
    (result,) = post(api, [item(popley_voters[1], supersedes=first["client_uuid"])]).json()["results"]
    assert result["errors"] == {
        "supersedes": ["A correction is for the same voter and door as the record it corrects."]
    }


def test_a_correction_of_someone_elses_record_is_refused(as_user, vera, olivia, veras_list, popley_voters):
    first = item(popley_voters[0])
    post(as_user(olivia), [first])
    (result,) = post(as_user(vera), [item(popley_voters[0], supersedes=first["client_uuid"])]).json()["results"]
    assert result["errors"] == {
        "supersedes": ["Only the volunteer who recorded a contact, or an organiser of its ward, corrects it."]
    }


def test_undoing_a_correction_puts_the_record_back_in_the_counts(as_user, vera, veras_list, popley_voters):
    first = item(popley_voters[0])
    fixed = item(popley_voters[0], likelihood=4, supersedes=first["client_uuid"])
    post(as_user(vera), [first, fixed])
    assert contact_record_delete(user=vera, client_uuid=fixed["client_uuid"])
    assert ContactRecord.objects.get().is_superseded is False


def test_a_new_resident_is_held_not_made_an_elector(as_user, vera, veras_list, popley_voters):
    door = popley_voters[0].household
    voters_before = Voter.objects.count()
    new = item(household=door, new_resident={"name": "Nell Newcome", "note": "Moved in in March"})
    (result,) = post(as_user(vera), [new]).json()["results"]
    assert result["status"] == "ok"
    held = NewResident.objects.get()
    assert (held.household, held.name, held.note, held.reported_by, held.matched_voter) == (
        door,
        "Nell Newcome",
        "Moved in in March",
        vera,
        None,
    )
    assert Voter.objects.count() == voters_before


def test_a_new_resident_without_a_name_is_that_items_error(as_user, vera, veras_list, popley_voters):
    bad = item(household=popley_voters[0].household, new_resident={"name": " ", "note": ""})
    good = item(popley_voters[1])
    bad_result, good_result = post(as_user(vera), [bad, good]).json()["results"]
    assert bad_result["errors"] == {"new_resident": ["Give the new resident's name."]}
    assert good_result["status"] == "ok"
    assert not NewResident.objects.exists()


def test_a_spoken_record_corrected_to_not_in_is_no_longer_the_voters_reading(
    as_user, vera, veras_list, popley_voters, popley
):
    api = as_user(vera)
    now = timezone.now().isoformat()
    first = item(popley_voters[0], local_intention="undecided", contacted_at=now)
    post(api, [first])
    post(api, [item(popley_voters[0], outcome="not_in", supersedes=first["client_uuid"], contacted_at=now)])

    ward_statistics_recompute(ward_ids=[popley.pk])

    assert AreaStatistics.objects.get(ward=popley).undecided == 0


def test_an_organiser_corrects_a_volunteers_record_in_her_ward(as_user, vera, olivia, veras_list, popley_voters):
    first = item(popley_voters[0], local_intention="undecided")
    post(as_user(vera), [first])
    fixed = item(popley_voters[0], local_intention="wont_say", supersedes=first["client_uuid"])
    (result,) = post(as_user(olivia), [fixed]).json()["results"]
    assert result["status"] == "ok"
    assert ContactRecord.objects.get(client_uuid=first["client_uuid"]).is_superseded


def test_another_volunteer_on_the_same_list_may_not_correct_the_record(as_user, vera, veras_list, popley_voters):
    wendy = ProfileFactory(user__username="wendy", role=Role.VOLUNTEER).user
    veras_list.assigned_to.add(wendy)
    first = item(popley_voters[0])
    post(as_user(vera), [first])
    other = item(popley_voters[1])
    fixed = item(popley_voters[0], likelihood=1, supersedes=first["client_uuid"])
    results = post(as_user(wendy), [other, fixed]).json()["results"]
    assert [r["status"] for r in results] == ["ok", "error"]  # the other item is not lost
    assert results[1]["errors"] == {
        "supersedes": ["Only the volunteer who recorded a contact, or an organiser of its ward, corrects it."]
    }
    assert not ContactRecord.objects.get(client_uuid=first["client_uuid"]).is_superseded


def test_an_organiser_of_another_ward_may_not_correct_the_record(as_user, vera, oscar, veras_list, popley_voters):
    first = item(popley_voters[0])
    post(as_user(vera), [first])
    (result,) = post(as_user(oscar), [item(popley_voters[0], supersedes=first["client_uuid"])]).json()["results"]
    assert result["status"] == "error"
    assert not ContactRecord.objects.get(client_uuid=first["client_uuid"]).is_superseded
