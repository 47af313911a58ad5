import uuid

import pytest
from django.utils import timezone

from canvass.models import Outcome, Voter
from canvass.privacy.models import Objection
from canvass.privacy.services.objections import CannotWithdraw, TooManyMarks, objection_withdraw, objections_record
from canvass.register import generator
from canvass.register.services import register_import
from canvass.services.contacts import contact_records_sync
from canvass.services.voters import voter_do_not_contact_record
from canvass.walklists.selectors import contactable, tree_doors, walk_list_tree


def test_objection_is_recorded_with_who_and_when(people, vera):
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    objection = Objection.objects.get()
    assert (objection.voter, objection.recorded_by, objection.source) == (people["ann"], vera, "doorstep")
    assert objection.recorded_at <= timezone.now()


def test_objection_sets_the_do_not_contact_flag_every_list_reads(people, vera):
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    assert list(Voter.objects.contactable().order_by("pk")) == [people["bob"], people["cath"]]


def test_objection_is_honoured_by_the_walk_list_export(people, vera, popley):
    from canvass.models import WalkList, WalkListHousehold

    walk_list = WalkList.objects.create(ward=popley, name="Round 1")
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["ann"].household, position=1)
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    (door,) = tree_doors(contactable(walk_list_tree(walk_list, with_contacts=False)))
    assert [voter["id"] for voter in door["voters"]] == [people["bob"].pk]


def test_an_organiser_reverses_a_volunteers_mark(people, vera, olivia):
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    objection_withdraw(objection=Objection.objects.get(), by=olivia)

    assert not Voter.objects.get(pk=people["ann"].pk).do_not_contact
    assert Objection.objects.get().withdrawn_by == olivia


def test_a_volunteer_cannot_reverse_a_mark(people, vera):
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    with pytest.raises(CannotWithdraw):
        objection_withdraw(objection=Objection.objects.get(), by=vera)


def test_the_voters_own_request_is_kept_for_good(people, olivia):
    voter_do_not_contact_record(voter=people["ann"], by=olivia)

    with pytest.raises(CannotWithdraw, match="for good"):
        objection_withdraw(objection=Objection.objects.get(), by=olivia)


def test_marks_past_the_hourly_limit_are_flagged(people, vera, settings):
    settings.PRIVACY_DNC_PER_HOUR = 2
    objections_record(voter_ids=[people["ann"].pk, people["bob"].pk], by=vera)
    objections_record(voter_ids=[people["cath"].pk], by=vera)

    assert list(Objection.objects.order_by("voter_id").values_list("flagged", flat=True)) == [False, False, True]
    assert Voter.objects.get(pk=people["cath"].pk).do_not_contact  # flagged, but never dropped


def test_the_one_voter_action_refuses_past_the_limit(people, vera, settings):
    settings.PRIVACY_DNC_PER_HOUR = 1
    voter_do_not_contact_record(voter=people["ann"], by=vera)

    with pytest.raises(TooManyMarks):
        voter_do_not_contact_record(voter=people["bob"], by=vera)
    assert not Voter.objects.get(pk=people["bob"].pk).do_not_contact


def test_do_not_knock_from_the_doorstep_sync_is_an_attributed_objection(people, vera, popley):
    from canvass.models import WalkList, WalkListHousehold

    walk_list = WalkList.objects.create(ward=popley, name="Round 1")
    walk_list.assigned_to.add(vera)
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["cath"].household, position=1)

    contact_records_sync(
        user=vera,
        items=[
            {
                "client_uuid": uuid.uuid4(),
                "voter": people["cath"].pk,
                "household": None,
                "contacted_at": timezone.now(),
                "outcome": Outcome.REFUSED,
                "do_not_knock": True,
            }
        ],
    )

    objection = Objection.objects.get()
    assert (objection.voter_id, objection.recorded_by) == (people["cath"].pk, vera)


def test_api_action_answers_429_past_the_limit(client, people, vera, settings, popley):
    from canvass.models import WalkList, WalkListHousehold

    settings.PRIVACY_DNC_PER_HOUR = 0
    walk_list = WalkList.objects.create(ward=popley, name="Round 1")
    walk_list.assigned_to.add(vera)
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["ann"].household, position=1)
    client.force_login(vera)

    response = client.post(f"/api/v1/voters/{people['ann'].pk}/do-not-contact/")

    assert response.status_code == 429
    assert "organiser" in response.json()["detail"]


@pytest.mark.parametrize("supplier", ["idox", "halarose"])
def test_objection_survives_a_renumbered_register_from_another_supplier(db, supplier, olivia):
    from tests.factories import CouncilFactory, PollingDistrictFactory, WardFactory
    from tests.register.conftest import DISTRICTS

    council = CouncilFactory()
    ward = WardFactory(council=council, name="Brighton Hill")
    for code in DISTRICTS:
        PollingDistrictFactory(ward=ward, code=code)
    register = list(generator.electors(districts=DISTRICTS, count=120, seed=7))
    republished = generator.renumbered(register, seed=5, leavers=5, joiners=5)
    same = {(e.surname, e.forenames, e.address): e for e in republished}
    elector, later = next(
        (e, same[(e.surname, e.forenames, e.address)])
        for e in register
        if e.surname
        and (e.surname, e.forenames, e.address) in same
        and same[(e.surname, e.forenames, e.address)].number != e.number
    )
    register_import(file=generator.register_bytes(register, layout="xpress13"), council=council)
    voter = Voter.objects.get(
        polling_district__code=elector.pd, elector_number=elector.number, elector_suffix=elector.suffix
    )
    voter_do_not_contact_record(voter=voter, by=olivia)

    report = register_import(file=generator.register_bytes(republished, layout=supplier), council=council)

    assert report.applied
    voter.refresh_from_db()
    assert voter.on_register and voter.do_not_contact
    assert voter.elector_number == later.number != elector.number
    assert Objection.objects.active().get().voter_id == voter.pk
    assert (
        Voter.objects.contactable().on_register().filter(surname=elector.surname, forenames=elector.forenames).count()
        == 0
    )


def test_organiser_reverses_marks_from_the_admin(client, people, vera, alice):
    objections_record(voter_ids=[people["ann"].pk], by=vera)
    client.force_login(alice)

    response = client.post(
        "/admin/privacy/objection/",
        {"action": "withdraw", "_selected_action": [Objection.objects.get().pk]},
        follow=True,
    )

    assert "1 mark reversed" in response.content.decode()
    assert not Voter.objects.get(pk=people["ann"].pk).do_not_contact


def test_an_organiser_reverses_a_volunteers_marks_through_the_api(client, people, vera, olivia):
    objections_record(voter_ids=[people["ann"].pk], by=vera)
    client.force_login(olivia)

    response = client.delete(f"/api/v1/voters/{people['ann'].pk}/do-not-contact/")

    assert response.status_code == 200 and response.json()["do_not_contact"] is False
    assert Objection.objects.get().withdrawn_by == olivia


def test_the_api_keeps_the_voters_own_request(client, people, olivia):
    voter_do_not_contact_record(voter=people["ann"], by=olivia)
    client.force_login(olivia)

    response = client.delete(f"/api/v1/voters/{people['ann'].pk}/do-not-contact/")

    assert response.status_code == 409 and "kept for good" in response.json()["detail"]
    assert Voter.objects.get(pk=people["ann"].pk).do_not_contact


def test_a_volunteer_cannot_reverse_a_mark_through_the_api(client, people, vera, popley):
    from canvass.models import WalkList, WalkListHousehold

    walk_list = WalkList.objects.create(ward=popley, name="Round 1")
    walk_list.assigned_to.add(vera)
    WalkListHousehold.objects.create(walk_list=walk_list, household=people["ann"].household, position=1)
    objections_record(voter_ids=[people["ann"].pk], by=vera)
    client.force_login(vera)

    response = client.delete(f"/api/v1/voters/{people['ann'].pk}/do-not-contact/")

    assert response.status_code == 403
    assert Voter.objects.get(pk=people["ann"].pk).do_not_contact
