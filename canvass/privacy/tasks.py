from celery import shared_task

from canvass.privacy.services.retention import retention_resume_or_start


@shared_task(acks_late=True)
def retention_purge(dry_run: bool = False) -> int:
    """Nightly (CELERY_BEAT_SCHEDULE 'privacy-retention-purge'): resume an unfinished purge or start one."""
    return retention_resume_or_start(dry_run=dry_run).pk
