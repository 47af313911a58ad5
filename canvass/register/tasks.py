"""Celery tasks of the register import (found by autodiscovery: `canvass/config/celery.py`). Thin: ids in, a service."""

from celery import shared_task
from django.db import transaction

from canvass.models import RegisterImport
from canvass.register.services import (
    register_import_job_copy,
    register_import_job_run,
    register_import_job_save,
    register_import_uploads_erase,
)


@shared_task(name="canvass.register_import_job")
def register_import_job_task(job_id: int) -> str:
    return register_import_job_run(job_id=job_id).status


@shared_task(name="canvass.register_import_uploads_erase")
def register_import_uploads_erase_task() -> int:
    return register_import_uploads_erase()


def register_import_job_queue(*, job: RegisterImport) -> RegisterImport:
    """Save the upload and queue its import once the row is committed."""
    register_import_job_save(job=job)
    transaction.on_commit(lambda: register_import_job_task.delay(job.pk))
    return job


def register_import_job_rerun(*, job: RegisterImport, user=None) -> RegisterImport:
    return register_import_job_queue(job=register_import_job_copy(job=job, user=user))
