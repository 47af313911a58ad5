import json

import pytest

from canvass.models import AuditEvent, ContactRecord, RegisterImport
from canvass.privacy.models import SubjectAccessRequest
from canvass.privacy.services.access import subject_access, subject_access_produce
from canvass.privacy.services.objections import objections_record
from canvass.services.audit import audit_record
from canvass.surveys.models import Answer, QuestionKind
from canvass.surveys.services import question_create
from tests.factories import RegisterImportFactory


def test_export_holds_the_register_entry_contacts_and_answers(people, vera):
    data = subject_access(voter=people["ann"])

    assert data["register_entry"]["reference"] == "AB1-1"
    assert data["register_entry"]["surname"] == "Archer"
    (contact,) = data["contacts"]
    assert (contact["recorded_by"], contact["notes"], contact["likelihood"]) == (
        "vera",
        "Has a bad knee; ring twice",
        5,
    )
    assert data["issues_raised"] == [{"contact": contact["id"], "issues": ["potholes"]}]


def test_export_holds_the_answers_to_the_campaigns_questions_with_their_wording(people, alice):
    contact = ContactRecord.objects.get(voter=people["ann"])
    question = question_create(council=people["ann"].polling_district.ward.council, kind=QuestionKind.YES_NO,
                               wording="Would you take a poster?", by=alice)  # fmt: skip
    Answer.objects.create(contact=contact, question=question, version=question.versions.get(), choice="Yes")

    data = subject_access(voter=people["ann"])

    assert data["survey_answers"] == [
        {"contact": contact.pk, "question": "Would you take a poster?", "version": 1, "answer": "Yes"}
    ]


def test_export_lists_the_register_imports_applied(people):
    council = people["ann"].polling_district.ward.council
    applied = RegisterImportFactory(council=council, status=RegisterImport.Status.APPLIED)
    RegisterImportFactory(council=council, status=RegisterImport.Status.REJECTED)

    data = subject_access(voter=people["ann"])

    assert [i["id"] for i in data["register_imports"]] == [applied.pk]


def test_export_holds_flags_and_objections_with_who(people, vera):
    objections_record(voter_ids=[people["ann"].pk], by=vera)

    data = subject_access(voter=people["ann"])

    assert data["flags"]["do_not_contact"] is True
    assert [(o["source"], o["recorded_by"]) for o in data["objections"]] == [("doorstep", "vera")]


def test_export_holds_who_viewed_them_and_not_others_views(people, olivia):
    audit_record(user=olivia, action="view", resource="voter", object_ids=[people["ann"].pk])
    audit_record(user=olivia, action="view", resource="voter", object_ids=[people["bob"].pk])
    audit_record(user=olivia, action="list", resource="walk_list.voters", object_ids=[people["ann"].pk])

    data = subject_access(voter=people["ann"])

    assert [(e["user"], e["action"], e["resource"]) for e in data["audit"]] == [("olivia", "view", "voter")]


def test_producing_an_export_is_recorded_and_audited(people, alice):
    subject_access_produce(voter=people["ann"], by=alice, format="json")

    assert SubjectAccessRequest.objects.get().produced_by == alice
    event = AuditEvent.objects.get(resource="subject_access")
    assert (event.user, event.action, event.object_ids) == (alice, "export", [people["ann"].pk])


def test_admin_downloads_the_json_file(client, people, alice):
    client.force_login(alice)

    response = client.get(f"/admin/privacy/voters/{people['ann'].pk}/access.json")

    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{people["ann"].pk}.json"'
    assert json.loads(response.content)["register_entry"]["forenames"] == "Ann"


def test_admin_reads_the_export_as_a_page(client, people, alice):
    client.force_login(alice)

    page = client.get(f"/admin/privacy/voters/{people['ann'].pk}/access/").content.decode()

    assert "Has a bad knee; ring twice" in page and "potholes" in page


def test_admin_finds_the_elector_by_reference_without_it_in_the_url(client, people, alice):
    client.force_login(alice)

    response = client.post("/admin/privacy/", {"reference": "ab1-1", "then": "access"})

    assert response["Location"] == f"/admin/privacy/voters/{people['ann'].pk}/access/"


@pytest.mark.parametrize("reference", ["Ann Archer", "AB1-²", "AB1-1/²"])  # "²": str.isdigit(), not int(): a 500
def test_a_wrong_reference_says_how_to_write_it(client, people, alice, reference):
    client.force_login(alice)

    response = client.post("/admin/privacy/", {"reference": reference, "then": "access"}, follow=True)

    assert "AB1-124" in response.content.decode()


def test_organisers_get_no_subject_access_page(client, people, olivia):
    olivia.is_staff = True
    olivia.save()
    client.force_login(olivia)

    assert client.get(f"/admin/privacy/voters/{people['ann'].pk}/access/").status_code == 403
    assert not SubjectAccessRequest.objects.exists()


def test_export_holds_who_listed_their_contacts(people, olivia):
    contact = people["ann"].contacts.get()
    audit_record(user=olivia, action="list", resource="contact_record", object_ids=[contact.pk + 100, contact.pk])
    audit_record(user=olivia, action="list", resource="contact_record", object_ids=[contact.pk + 100])

    data = subject_access(voter=people["ann"])

    assert [(e["user"], e["action"], e["resource"]) for e in data["audit"]] == [("olivia", "list", "contact_record")]
