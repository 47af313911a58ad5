"""The doorstep page keeps its own state and asks only for what changed: GET /api/v1/walk-lists/{id}/changes/."""

import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from canvass.models import AuditEvent, Outcome
from canvass.services.contacts import contact_record_delete, contact_records_sync
from tests.factories import ContactRecordFactory, HouseholdFactory, ProfileFactory, VoterFactory, WalkListFactory
from tests.login import client_for
from wards.models import Reason, Segment, TargetListEntry

pytestmark = pytest.mark.django_db


def page_token(user, walk_list) -> str:
    page = client_for(user).get(reverse("doorstep-list", args=[walk_list.pk])).content.decode()
    return re.search(r'data-changes="([^"]+)"', page).group(1)


def changes(user, walk_list, since):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(f"/api/v1/walk-lists/{walk_list.pk}/changes/", {"since": since})


def spoke(user, voter, **fields):
    item = {"client_uuid": uuid.uuid4(), "voter": voter.pk, "contacted_at": timezone.now(), "outcome": Outcome.SPOKE}
    (result,) = contact_records_sync(user=user, items=[{**item, **fields}])
    assert result.status == "ok", result.errors
    return result


@pytest.fixture
def wendy(carpenters_round):
    """Wendy walks the same list as Vera, on her own phone."""
    user = ProfileFactory(user__username="wendy", role="volunteer").user
    carpenters_round.assigned_to.add(user)
    return user


def test_an_unchanged_list_answers_no_doors_in_four_queries(vera, carpenters_round, django_assert_num_queries):
    token = page_token(vera, carpenters_round)
    with django_assert_num_queries(4):  # the list (in scope), the watermark, its doors, its voters
        answer = changes(vera, carpenters_round, token)
    assert answer.json() == {"token": token, "structure_changed": False, "doors": [], "progress": None}


def test_the_pages_token_is_the_watermark_the_changes_call_reads(vera, carpenters_round, doors):
    # The page makes its watermark from its validator and its tree, the changes call with its own query: with
    # contacts at the doors and a voter asking for no contact, an unchanged list must still read as unchanged.
    doors["4 Sherborne Road"].voters.filter(pk=doors["4 Sherborne Road"].voters.order_by("id").first().pk).update(
        do_not_contact=True
    )
    spoke(vera, doors["3 Sherborne Road"].voters.order_by("id").first())
    ContactRecordFactory(voter=None, household=doors["1 Carpenters Down"], ward=carpenters_round.ward)
    token = page_token(vera, carpenters_round)
    assert changes(vera, carpenters_round, token).json()["doors"] == []


def test_after_a_contact_only_that_door_comes_back(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    voter = doors["3 Sherborne Road"].voters.order_by("id").first()
    spoke(vera, voter, likelihood=4)
    body = changes(vera, carpenters_round, token).json()
    assert [door["id"] for door in body["doors"]] == [doors["3 Sherborne Road"].pk]
    (door,) = body["doors"]
    assert door["knocked"] and not door["to_do"]
    shown = {row["id"]: row for row in door["voters"]}
    assert shown[voter.pk]["summary"].endswith("4/5") and shown[voter.pk]["at"]
    assert body["progress"] == {"households": 4, "knocked": 1, "contacts": 1, "to_do": 3}
    assert body["token"] != token


def test_the_answer_after_one_contact_is_small(vera, carpenters_round, doors):
    """What a phone downloads after sending one contact, against the whole page (pinned)."""
    token = page_token(vera, carpenters_round)
    spoke(vera, doors["1 Carpenters Down"].voters.first(), likelihood=4)
    answer = changes(vera, carpenters_round, token)
    assert len(answer.content) < 1200
    page = client_for(vera).get(reverse("doorstep-list", args=[carpenters_round.pk]))
    assert len(answer.content) * 5 < len(page.content)


def test_another_volunteers_contact_at_a_door_of_the_list_shows_up(vera, wendy, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    voter = doors["2 Carpenters Down"].voters.first()
    spoke(wendy, voter, local_intention="undecided")
    (door,) = changes(vera, carpenters_round, token).json()["doors"]
    shown = {row["id"]: row for row in door["voters"]}
    assert door["id"] == doors["2 Carpenters Down"].pk
    assert "Undecided" in shown[voter.pk]["summary"]
    assert shown[voter.pk]["record"] is None  # Wendy's record: Vera may not change it


def test_the_volunteers_own_record_comes_with_what_she_may_change(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    voter = doors["2 Carpenters Down"].voters.first()
    result = spoke(vera, voter, local_intention="wont_say", likelihood=2, notes="Dog")
    (door,) = changes(vera, carpenters_round, token).json()["doors"]
    record = {row["id"]: row for row in door["voters"]}[voter.pk]["record"]
    assert record["client_uuid"] == str(result.client_uuid)
    assert (record["local_intention"], record["likelihood"], record["notes"]) == ("wont_say", 2, "Dog")


def test_a_reply_asked_again_with_its_own_token_is_empty(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    spoke(vera, doors["1 Carpenters Down"].voters.first())
    token = changes(vera, carpenters_round, token).json()["token"]
    assert changes(vera, carpenters_round, token).json()["doors"] == []


def test_an_undo_sends_every_door_with_the_undone_one_as_before(vera, carpenters_round, doors):
    result = spoke(vera, doors["1 Carpenters Down"].voters.first())
    token = page_token(vera, carpenters_round)
    assert contact_record_delete(user=vera, client_uuid=result.client_uuid)
    body = changes(vera, carpenters_round, token).json()
    assert len(body["doors"]) == 4
    undone = next(door for door in body["doors"] if door["id"] == doors["1 Carpenters Down"].pk)
    assert not undone["knocked"] and undone["to_do"]


def test_a_contact_at_a_door_off_the_list_changes_nothing(vera, carpenters_round, off_list_door):
    token = page_token(vera, carpenters_round)
    ContactRecordFactory(voter=off_list_door.voters.first())
    assert changes(vera, carpenters_round, token).json()["doors"] == []


def test_a_voter_asking_for_no_contact_comes_back_without_a_reload(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    doors["4 Sherborne Road"].voters.update(do_not_contact=True)
    body = changes(vera, carpenters_round, token).json()
    assert not body["structure_changed"]
    door = next(door for door in body["doors"] if door["id"] == doors["4 Sherborne Road"].pk)
    assert not door["knockable"] and all(voter["do_not_contact"] for voter in door["voters"])


def test_a_voter_joining_a_door_asks_for_a_reload(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    VoterFactory(household=doors["2 Carpenters Down"], forenames="Cat")
    assert changes(vera, carpenters_round, token).json()["structure_changed"] is True


def target(voter, walk_list, reason=Reason.UNDECIDED) -> TargetListEntry:
    return TargetListEntry.objects.create(
        ward=walk_list.ward, segment=Segment.values[0], voter=voter, household=voter.household,
        position=1, reason=reason, built_at=timezone.now(),
    )  # fmt: skip


def test_a_target_reason_moved_alone_sends_nothing_and_asks_for_no_reload(vera, carpenters_round, doors):
    # A sync's recompute of the ward's target lists moves reasons: neither the page nor every door comes again.
    token = page_token(vera, carpenters_round)
    target(doors["2 Carpenters Down"].voters.first(), carpenters_round)
    body = changes(vera, carpenters_round, token).json()
    assert (body["structure_changed"], body["doors"]) == (False, [])


def test_a_door_sent_carries_its_voters_reasons_as_they_are_now(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    ann, bob = doors["2 Carpenters Down"].voters.order_by("forenames")
    target(ann, carpenters_round)
    spoke(vera, bob)
    (door,) = changes(vera, carpenters_round, token).json()["doors"]
    assert {row["id"]: row["why"] for row in door["voters"]} == {ann.pk: "Undecided", bob.pk: ""}


@pytest.mark.parametrize("token", ["not-a-token", "shape.².1.x"])  # "²" passed str.isdigit(), not int(): a 500
def test_a_token_that_is_not_ours_asks_for_a_reload(vera, carpenters_round, token):
    body = changes(vera, carpenters_round, token).json()
    assert body["structure_changed"] is True and body["doors"] == []


def test_without_a_token_the_answer_is_a_400(vera, carpenters_round):
    api = APIClient()
    api.force_authenticate(vera)
    assert api.get(f"/api/v1/walk-lists/{carpenters_round.pk}/changes/").status_code == 400


def test_a_list_outside_the_volunteers_reach_is_a_404(vera, victor, carpenters_round):
    token = page_token(vera, carpenters_round)
    assert changes(victor, carpenters_round, token).status_code == 404


def test_the_voters_sent_are_audited(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    spoke(vera, doors["3 Sherborne Road"].voters.first())
    changes(vera, carpenters_round, token)
    event = AuditEvent.objects.filter(user=vera, resource="walk_list.voters").latest("id")
    assert sorted(event.object_ids) == sorted(doors["3 Sherborne Road"].voters.values_list("id", flat=True))


def test_the_page_carries_the_records_its_volunteer_may_change(vera, wendy, carpenters_round, doors):
    mine = spoke(vera, doors["1 Carpenters Down"].voters.order_by("id")[0], likelihood=4)
    spoke(wendy, doors["1 Carpenters Down"].voters.order_by("id")[1], likelihood=3)
    page = client_for(vera).get(reverse("doorstep-list", args=[carpenters_round.pk])).content.decode()
    records = json.loads(re.search(r'<script id="records" type="application/json">(.*?)</script>', page).group(1))
    assert [record["client_uuid"] for record in records.values()] == [str(mine.client_uuid)]


def test_a_delivery_round_has_no_changes(vera, popley, doors):
    round_ = WalkListFactory(ward=popley, kind="delivery", households=list(doors.values()), assigned_to=[vera])
    assert changes(vera, round_, "x").status_code == 404


def test_an_organiser_may_change_her_wards_records_made_since_the_cut(olivia, vera, carpenters_round, doors):
    first, second = doors["1 Carpenters Down"].voters.order_by("id")
    ContactRecordFactory(voter=first, volunteer=vera, contacted_at=carpenters_round.created_at - timezone.timedelta(1))
    veras = spoke(vera, second)
    page = client_for(olivia).get(reverse("doorstep-list", args=[carpenters_round.pk])).content.decode()
    records = json.loads(re.search(r'<script id="records" type="application/json">(.*?)</script>', page).group(1))
    assert {int(voter): record["client_uuid"] for voter, record in records.items()} == {
        second.pk: str(veras.client_uuid)
    }


def test_on_a_300_door_list_one_contact_costs_a_sliver_of_the_page(vera, olivia, popley, popley_district):
    households = [
        HouseholdFactory(polling_district=popley_district, street=f"Street {n // 30}", house_number=n)
        for n in range(300)
    ]
    for household in households:
        VoterFactory(household=household)
        VoterFactory(household=household)
    long_list = WalkListFactory(ward=popley, created_by=olivia, households=households, assigned_to=[vera])
    token = page_token(vera, long_list)
    spoke(vera, households[150].voters.first(), local_intention="undecided", likelihood=3)
    answer = changes(vera, long_list, token)
    page = client_for(vera).get(reverse("doorstep-list", args=[long_list.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    print(f"\n300 doors: changes after one contact {len(answer.content)} B; the page {len(page.content)} B gzipped")
    assert len(answer.content) < 1000
    assert len(page.content) > 15 * len(answer.content)


def test_someone_new_at_a_door_comes_back_with_it(vera, carpenters_round, doors):
    token = page_token(vera, carpenters_round)
    door = doors["4 Sherborne Road"]
    item = {"client_uuid": uuid.uuid4(), "voter": None, "household": door.pk, "contacted_at": timezone.now(),
            "outcome": Outcome.SPOKE, "new_resident": {"name": "Nell Newcome", "note": ""}}  # fmt: skip
    (result,) = contact_records_sync(user=vera, items=[item])
    assert result.status == "ok", result.errors
    (changed,) = changes(vera, carpenters_round, token).json()["doors"]
    assert (changed["id"], changed["newcomers"]) == (door.pk, ["Nell Newcome"])
