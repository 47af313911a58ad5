import pytest

from canvass.models import ContactRecord, Voter
from canvass.privacy.models import Erasure
from canvass.privacy.services.erasure import ErasureRefused, voter_erase
from canvass.surveys.models import Answer, QuestionKind
from canvass.surveys.services import question_create
from wards.models import AreaStatistics
from wards.services import ward_statistics_recompute


def _figures(ward):
    ward_statistics_recompute(ward_ids=[ward.pk])
    stats = AreaStatistics.objects.get(ward=ward)
    return {f.name: getattr(stats, f.name) for f in stats._meta.concrete_fields if f.name not in ("id", "computed_at")}


def test_erasure_leaves_the_ward_statistics_as_they_were(people, popley, alice):
    before = _figures(popley)

    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")

    after = _figures(popley)
    # The one change: a promise who is now a tombstone can no longer be contacted (shown apart in the header).
    assert after.pop("promises_do_not_contact") == before.pop("promises_do_not_contact") + 1
    assert after == before


def test_erased_register_entry_is_a_tombstone_still_counted(people, alice):
    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")

    ann = Voter.objects.get(pk=people["ann"].pk)
    assert (ann.surname, ann.forenames, ann.title, ann.attainer_date) == ("", "", "", None)
    assert ann.on_register and ann.household_id == people["ann"].household_id
    assert ann.do_not_contact


def test_erased_contacts_keep_only_what_the_figures_read(people, alice, ours):
    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")

    contact = ContactRecord.objects.get(voter=people["ann"])
    assert (contact.notes, contact.issues, contact.casework) == ("", [], False)
    assert (contact.local_party, contact.likelihood) == (ours, 5)


def test_erasure_is_recorded_with_who_and_how_many(people, alice):
    erasure = voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")

    assert (erasure.erased_by, erasure.counts) == (alice, {"contacts_anonymised": 1})


def test_erasure_needs_the_reference_typed(people, alice):
    with pytest.raises(ErasureRefused, match="AB1-1"):
        voter_erase(voter=people["ann"], by=alice, confirmation="AB1-2")
    assert Voter.objects.get(pk=people["ann"].pk).surname == "Archer"


def test_only_an_admin_may_erase(people, olivia):
    with pytest.raises(ErasureRefused, match="admin"):
        voter_erase(voter=people["ann"], by=olivia, confirmation="AB1-1")


def test_erasure_happens_once(people, alice):
    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")
    with pytest.raises(ErasureRefused, match="already"):
        voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")


def test_admin_erases_from_the_confirmation_page(client, people, alice):
    client.force_login(alice)
    url = f"/admin/privacy/voters/{people['ann'].pk}/erase/"
    assert "cannot be undone" in client.get(url).content.decode()

    response = client.post(url, {"confirmation": "AB1-1"})

    assert response.status_code == 302
    assert Erasure.objects.filter(voter=people["ann"]).exists()


def test_erasure_page_is_for_admins_only(client, people, olivia):
    olivia.is_staff = True
    olivia.save()
    client.force_login(olivia)

    assert client.post(f"/admin/privacy/voters/{people['ann'].pk}/erase/", {"confirmation": "AB1-1"}).status_code == 403


def test_erasure_deletes_the_persons_answers_to_the_campaigns_questions(people, alice):
    contact = ContactRecord.objects.get(voter=people["ann"])
    question = question_create(council=people["ann"].polling_district.ward.council, kind=QuestionKind.YES_NO,
                               wording="Poster?", by=alice)  # fmt: skip
    Answer.objects.create(contact=contact, question=question, version=question.versions.get(), choice="Yes")

    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")

    assert not Answer.objects.filter(contact__voter=people["ann"]).exists()
