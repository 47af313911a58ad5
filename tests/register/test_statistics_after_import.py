"""An applied import changes the electorate: the statistics of the wards it covered are recomputed."""

from unittest import mock

import pytest
from django.core.management import call_command

from canvass.models import RegisterImport, Voter
from canvass.register import generator
from canvass.register.services import register_import, register_import_job_run
from wards import tasks
from wards.models import AreaStatistics, Ward


@pytest.fixture
def recomputes():
    with mock.patch.object(tasks.recompute_wards, "delay") as delay:
        yield delay


@pytest.fixture
def popley_only(register):
    return generator.register_bytes([elector for elector in register if elector.pd in ("AB1", "AB2")])


def _job(council, data, **options) -> RegisterImport:
    job = RegisterImport.objects.create(council=council, file_name="register.csv", file_data=data, **options)
    return register_import_job_run(job_id=job.pk)


def test_an_applied_upload_recomputes_the_wards_it_covers(
    council, popley_only, recomputes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _job(council, popley_only)

    recomputes.assert_called_once_with([Ward.objects.get(name="Popley").pk])


def test_the_command_recomputes_the_wards_it_covers(
    council, popley_only, recomputes, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "register.csv"
    path.write_bytes(popley_only)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_register", str(path), stdout=mock.Mock())

    recomputes.assert_called_once_with([Ward.objects.get(name="Popley").pk])


def test_a_dry_run_recomputes_nothing(council, popley_only, recomputes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _job(council, popley_only, dry_run=True)

    recomputes.assert_not_called()


def test_the_import_service_alone_leaves_the_statistics_to_its_caller(
    council, popley_only, recomputes, django_capture_on_commit_callbacks
):
    # The demo builder imports before it has contacts and computes the statistics once, at the end.
    with django_capture_on_commit_callbacks(execute=True):
        register_import(file=popley_only, council=council)

    recomputes.assert_not_called()


def test_the_recompute_counts_the_new_electorate(council, register, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _job(council, generator.register_bytes(register))

    popley = AreaStatistics.objects.wards().get(ward__name="Popley")
    assert popley.electors == Voter.objects.filter(polling_district__ward__name="Popley").council_electors().count()
    assert popley.electors > 0
