import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import AuditEvent, ContactRecord, RefusedSyncItem, RegisterImport, Voter
from canvass.privacy.models import RetentionRun
from canvass.privacy.services import retention
from canvass.privacy.tasks import retention_purge
from canvass.surveys.models import Answer, QuestionKind
from canvass.surveys.services import question_create
from tests.factories import (
    ContactRecordFactory,
    PollingDistrictFactory,
    RegisterImportFactory,
    VoterFactory,
    WardFactory,
)

DAYS = dt.timedelta(days=1)


@pytest.fixture
def expired(people, ab1, vera):
    """One of each kind past its retention, beside the fresh rows of `people`."""
    now = timezone.now()
    leaver = VoterFactory(
        polling_district=ab1,
        elector_number=9,
        surname="Gone",
        on_register=False,
        left_register_on=(now - 100 * DAYS).date(),
    )
    ContactRecordFactory(voter=leaver, volunteer=vera, notes="moved to Leeds")
    ContactRecordFactory(voter=people["bob"], contacted_at=now - 1500 * DAYS)  # past the 4-year term
    ContactRecordFactory(voter=people["cath"], contacted_at=now - 400 * DAYS, notes="dog bites")
    asked = ContactRecordFactory(voter=people["cath"], contacted_at=now - 800 * DAYS, issues=["parking"])
    question = question_create(council=ab1.ward.council, kind=QuestionKind.YES_NO, wording="Poster?", by=None)
    Answer.objects.create(contact=asked, question=question, version=question.versions.get(), choice="Yes")
    upload = RegisterImportFactory()
    RegisterImport.objects.filter(pk=upload.pk).update(created_at=now - 40 * DAYS)
    event = AuditEvent.objects.create(action="list", resource="voter", object_ids=[1], count=1)
    AuditEvent.objects.filter(pk=event.pk).update(at=now - 800 * DAYS)
    RefusedSyncItem.objects.create(volunteer=vera, status="error", fingerprint="old", last_refused_at=now - 100 * DAYS)
    return {"leaver": leaver, "upload": upload}


EXPECTED = {
    "register_leavers": 1,
    "contacts": 1,
    "notes": 2,
    "answers": 1,
    "survey_answers": 1,
    "uploads": 1,
    "audit": 1,
    "refused_syncs": 1,
}


def test_dry_run_counts_what_would_go_and_changes_nothing(expired):
    contacts_before = ContactRecord.objects.count()

    run = retention.retention_run(dry_run=True)

    assert run.counts == {**EXPECTED, "notes": 1}  # the leaver's note goes with the leaver, so is not yet counted
    assert ContactRecord.objects.count() == contacts_before
    assert Voter.objects.get(pk=expired["leaver"].pk).surname == "Gone"


def test_purge_removes_each_kind_past_its_age_and_records_the_counts(expired, people):
    run = retention.retention_run()

    assert run.status == RetentionRun.Status.DONE
    assert run.counts["contacts"] == 1 and run.counts["register_leavers"] == 1 and run.counts["uploads"] == 1
    leaver = Voter.objects.get(pk=expired["leaver"].pk)
    assert (leaver.surname, leaver.forenames) == ("", "")
    assert not ContactRecord.objects.exclude(notes="").exclude(voter=people["ann"]).exists()
    assert not ContactRecord.objects.filter(issues=["parking"]).exists()
    assert not Answer.objects.exists()
    assert bytes(RegisterImport.objects.get(pk=expired["upload"].pk).file_data) == b""
    assert not AuditEvent.objects.filter(at__lt=timezone.now() - 700 * DAYS).exists()


def test_fresh_data_is_kept(expired, people):
    retention.retention_run()

    ann_contact = ContactRecord.objects.get(voter=people["ann"])
    assert (ann_contact.notes, ann_contact.issues) == ("Has a bad knee; ring twice", ["potholes"])
    assert Voter.objects.get(pk=people["ann"].pk).surname == "Archer"


def test_purge_works_in_batches(expired, settings):
    settings.PRIVACY_PURGE_BATCH = 1
    ContactRecordFactory.create_batch(3, voter=expired["leaver"], contacted_at=timezone.now() - 1500 * DAYS)

    run = retention.retention_run()

    assert run.counts["contacts"] == 4


def test_a_stopped_run_resumes_with_the_wards_it_had_not_finished(expired, popley, monkeypatch):
    other = WardFactory(name="Winklebury")
    far = VoterFactory(polling_district=PollingDistrictFactory(ward=other, code="WB1"))
    ContactRecordFactory(voter=far, contacted_at=timezone.now() - 1500 * DAYS)
    real = retention._ward_querysets
    calls = []

    def failing_on_second_ward(ward_id, cutoffs):
        calls.append(ward_id)
        if ward_id == other.pk and calls.count(other.pk) == 1:
            raise RuntimeError("worker lost")
        return real(ward_id, cutoffs)

    monkeypatch.setattr(retention, "_ward_querysets", failing_on_second_ward)
    with pytest.raises(RuntimeError):
        retention.retention_run()
    failed = RetentionRun.objects.get()
    assert failed.status == "failed"
    assert popley.pk in failed.wards_done and other.pk not in failed.wards_done

    resumed = retention.retention_resume_or_start()

    assert resumed.pk == failed.pk and resumed.status == "done"
    assert (calls.count(popley.pk), calls.count(other.pk)) == (1, 2)
    assert resumed.counts["contacts"] == 2


def test_the_nightly_task_runs_the_purge(expired, eager_tasks):
    run_id = retention_purge.delay().get()

    assert RetentionRun.objects.get(pk=run_id).counts["contacts"] == 1


def test_dry_run_from_the_admin_shows_what_it_would_remove(client, alice, expired):
    client.force_login(alice)

    response = client.post("/admin/privacy/purge/", {"dry_run": "1"}, follow=True)

    page = response.content.decode()
    assert "would remove" in page and "contacts 1" in page
    assert RetentionRun.objects.get().dry_run
