from celery import shared_task

from canvass.register.services import register_import_job_run


@shared_task(name="canvass.register_import_job")
def register_import_job_task(job_id: int) -> str:
    return register_import_job_run(job_id=job_id).status
