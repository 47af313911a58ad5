"""The organiser's path: upload in the admin, the Celery job runs, the page shows progress then the report."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canvass.models import RegisterImport, Voter
from canvass.register import generator
from tests.register.conftest import XPRESS_HEADER, csv_bytes

ADD_URL = reverse("admin:canvass_registerimport_add")


def _upload(client, council, data, **fields):
    form = {"council": council.pk, "kind": "full", "file": SimpleUploadedFile("register.csv", data), **fields}
    return client.post(ADD_URL, form)


def test_admin_upload_page_offers_the_file_and_the_skip_option(client, alice, council):
    client.force_login(alice)

    page = client.get(ADD_URL).content.decode()

    assert 'type="file"' in page and "accept skipping bad rows" in page.lower()


def test_upload_stores_the_file_in_the_database_and_runs_the_job(
    client, alice, council, register, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    data = generator.register_bytes(register)

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, council, data)

    assert response.status_code == 302
    job = RegisterImport.objects.get()
    assert job.status == RegisterImport.Status.APPLIED
    assert job.report["counts"]["new"] == len(register) == Voter.objects.count()
    assert job.file_data == b""  # once applied, the register's copy is not kept
    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()
    assert f"<th>New</th><td>{len(register)}</td>" in page


def test_rejected_rows_are_shown_with_line_column_and_reason_and_can_be_accepted(
    client, alice, council, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH Jo,RG21 7AB,1 Foo Road,,,,,", "AB1,,0,,,SMITH Al,RG21 7AB,,,,,,")

    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, council, data)
    job = RegisterImport.objects.get()
    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()

    assert job.status == RegisterImport.Status.REJECTED and not Voter.objects.exists()
    assert "<td>3</td><td>Elector Number</td><td>missing elector number</td>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:canvass_registerimport_changelist"),
            {"action": "apply_accepting_skipped_rows", "_selected_action": [job.pk]},
        )
    assert RegisterImport.objects.latest("pk").status == RegisterImport.Status.APPLIED
    assert Voter.objects.count() == 1


def test_uploading_an_image_is_refused_on_the_form_without_a_job(client, alice, council):
    client.force_login(alice)

    response = _upload(client, council, b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(50))

    assert response.status_code == 200
    assert "This file is a JPEG image, not a CSV register" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_running_job_page_refreshes_itself_and_shows_progress(client, alice, council):
    client.force_login(alice)
    job = RegisterImport.objects.create(council=council, file_name="r.csv", status=RegisterImport.Status.RUNNING)

    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Running" in page


def test_volunteer_cannot_reach_the_upload_page(client, vera):
    client.force_login(vera)

    assert client.get(ADD_URL).status_code == 302  # to the admin login


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_admin_upload_end_to_end_with_a_real_celery_worker(client, alice, council, register, celery_worker_process):
    client.force_login(alice)

    response = _upload(client, council, generator.register_bytes(register, dirty=True))

    assert response.status_code == 302
    job = RegisterImport.objects.get()
    deadline = time.monotonic() + 60
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == RegisterImport.Status.APPLIED, job.error
    assert Voter.objects.count() == len(register)
    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()
    assert f"<th>New</th><td>{len(register)}</td>" in page
    assert 'http-equiv="refresh"' not in page
