"""The admin job on real-shaped files: the kind proposed, failures explained, uploads erased after a while."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from canvass.models import RegisterImport
from canvass.register.services import (
    NothingToConfirm,
    register_import_job_run,
    register_import_uploads_erase,
    register_no_change_confirm,
)
from tests.register.conftest import XPRESS_HEADER, csv_bytes
from tests.register.test_supplier_files import XPRESS_UPDATE_HEADER, _xpress_update_row

ADD_URL = reverse("admin:canvass_registerimport_add")


def test_admin_form_proposes_the_kind_the_header_says(client, alice, council):
    client.force_login(alice)
    data = csv_bytes(XPRESS_UPDATE_HEADER, _xpress_update_row("AB1-3/1", "Zoe", "JONES", 11, 0, 0))

    response = client.post(
        ADD_URL, {"council": council.pk, "kind": "full", "file": SimpleUploadedFile("november.csv", data)}
    )

    page = response.content.decode()
    assert response.status_code == 200 and not RegisterImport.objects.exists()
    assert "This file looks like a monthly update (Xpress monthly update)" in page
    assert response.context["adminform"].form["kind"].value() == "update"


def _job(council, data, **fields):
    job = RegisterImport.objects.create(
        council=council, file_name="november.csv", file_data=data, file_size=len(data), **fields
    )
    return register_import_job_run(job_id=job.pk)


def test_malformed_file_fails_with_file_line_and_reason_on_the_job_page(client, alice, council):
    client.force_login(alice)
    data = csv_bytes(
        XPRESS_HEADER, 'AB1,1,0,,,SMITH John,RG21 7AB,"1 Foo Road,,,,,', "AB1,2,0,,,SMITH Jo,RG21 7AB,,,,,,"
    )

    job = _job(council, data)

    assert job.status == RegisterImport.Status.FAILED
    assert job.error.startswith("november.csv: Line 2: a quote")
    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()
    assert "november.csv: Line 2: a quote" in page and "Traceback" not in page


def test_job_page_shows_the_file_size_with_its_unit(client, alice, council):
    client.force_login(alice)
    job = _job(council, csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,"), dry_run=True)

    page = client.get(reverse("admin:canvass_registerimport_change", args=[job.pk])).content.decode()

    assert f"{job.file_size}\xa0bytes" in page


def test_an_update_with_nothing_to_change_is_not_applied(council):
    data = csv_bytes(XPRESS_UPDATE_HEADER, _xpress_update_row("AB1-1", "John", "SMITH", 0, 0, 0))
    _job(council, csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,3 Foo Road,,,,,"))

    job = _job(council, data, kind="update")

    assert job.status == RegisterImport.Status.NO_CHANGE
    assert job.report["outcome"] == "nothing to change"


@override_settings(REGISTER_UPLOAD_KEEP_DAYS=7)
def test_uploads_not_applied_are_erased_after_the_setting_and_keep_their_report(council):
    bad = csv_bytes(XPRESS_HEADER, "AB1,,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,")
    old, recent = _job(council, bad), _job(council, bad)
    RegisterImport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))

    erased = register_import_uploads_erase()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert erased == 1
    assert bytes(old.file_data) == b"" and old.report["rejected_total"] == 1
    assert bytes(recent.file_data) == bad


def test_the_erasing_task_runs_on_a_schedule(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "canvass.register_import_uploads_erase"
    )
    from canvass.config.celery import app

    app.loader.import_default_modules()
    assert "canvass.register_import_uploads_erase" in app.tasks
    assert entry["schedule"] > 0


@pytest.mark.django_db
def test_migrate_makes_the_database_cache_table():
    cache_backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "register_test_cache"}
    from importlib import import_module

    migration = import_module("canvass.migrations.0009_register_cache_table")
    with override_settings(CACHES={"default": cache_backend}):
        migration.cache_tables_create(None, SimpleNamespace(connection=connection))
        assert "register_test_cache" in connection.introspection.table_names()
        caches["default"].set("progress", 5)
        assert caches["default"].get("progress") == 5


def _no_change_job(council):
    _job(council, csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,3 Foo Road,,,,,"))
    return _job(
        council, csv_bytes(XPRESS_UPDATE_HEADER, _xpress_update_row("AB1-1", "John", "SMITH", 0, 0, 0)), kind="update"
    )


def test_admin_confirms_an_update_that_changes_nothing_without_applying_it(client, alice, council):
    job = _no_change_job(council)
    client.force_login(alice)

    client.post(
        reverse("admin:canvass_registerimport_changelist"),
        {"action": "confirm_nothing_to_change", "_selected_action": [job.pk]},
    )

    job.refresh_from_db()
    assert job.status == RegisterImport.Status.NO_CHANGE_CONFIRMED
    assert (job.confirmed_by, bytes(job.file_data)) == (alice, b"")
    assert job.report["outcome"] == "nothing to change" and not job.report["applied"]


def test_only_an_update_found_to_change_nothing_can_be_confirmed(alice, council):
    applied = _job(council, csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,3 Foo Road,,,,,"))

    with pytest.raises(NothingToConfirm, match="november.csv is not an update waiting"):
        register_no_change_confirm(job=applied, user=alice)
    applied.refresh_from_db()
    assert applied.status == RegisterImport.Status.APPLIED and applied.confirmed_at is None
