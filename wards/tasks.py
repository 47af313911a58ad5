"""Celery tasks for the statistics jobs: thin wrappers that take ids and call the services.

Transient database, broker and cache errors are retried with exponential backoff; a failed or
killed run leaves the last good statistics and lists (the services swap them in one transaction).
"""

import logging

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction

from wards.models import Ward
from wards.selectors import wards_with_figures_behind_contacts
from wards.services import wards_recompute

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": settings.CELERY_TASK_MAX_RETRIES,
    # A worker killed mid-run leaves the message unacknowledged: Redis hands it to another worker
    # (CELERY_BROKER_TRANSPORT_OPTIONS' visibility timeout) instead of it being lost.
    "acks_late": True,
    "reject_on_worker_lost": True,
}
# How long a scheduled run may be overdue before the next sync schedules another (the run was lost).
LOST_RUN_GRACE_SECONDS = 60


def pending_key(ward_id: int) -> str:
    return f"wards:recompute-pending:{ward_id}"


@shared_task(**RETRY)
def recompute_ward(ward_id: int) -> None:
    # Cleared before the work starts, so contacts arriving during this run schedule the next one.
    cache.delete(pending_key(ward_id))
    done = wards_recompute(ward_ids=[ward_id])
    logger.info("recomputed ward %s (%s)", ward_id, "done" if done else "ward gone")


@shared_task(**RETRY)
def recompute_all_wards() -> int:
    """The beat's periodic refresh: one task per ward, so one ward's failure spares the others."""
    ward_ids = list(Ward.objects.order_by("id").values_list("id", flat=True))
    for ward_id in ward_ids:
        recompute_ward.delay(ward_id)
    return len(ward_ids)


@shared_task(**RETRY)
def recompute_wards(ward_ids: list[int]) -> None:
    """After a register import: the wards it covered, in one set-based pass (imports are rare: no debounce)."""
    done = wards_recompute(ward_ids=ward_ids)
    logger.info("recomputed %s wards after a register import", len(done))


@shared_task(**RETRY)
def recompute_wards_behind() -> list[int]:
    """Recompute every ward whose figures are older than its last contact, now."""
    ward_ids = wards_with_figures_behind_contacts()
    for ward_id in ward_ids:
        recompute_ward.delay(ward_id)
    return ward_ids


@worker_ready.connect(dispatch_uid="wards.recompute_behind_on_worker_start")
def _recompute_behind_on_worker_start(**kwargs) -> None:
    # A worker killed outright takes the countdown runs it was holding with it: Redis gives them back only after
    # its visibility timeout (sized for the longest task, minutes), and their pending keys keep the next syncs
    # from scheduling others for a minute. The worker that starts in its place catches up at once instead.
    recompute_wards_behind.delay()


def recompute_ward_soon(ward_id: int) -> bool:
    """Schedule one recompute of the ward after a quiet period; True when this call scheduled it.

    The pending key lives in the shared cache, so a burst of syncs across web processes costs
    one run. It outlives the countdown by a minute in case the task is lost, then expires; it is
    released at once when the task cannot be queued.
    """
    delay = settings.WARDS_RECOMPUTE_DEBOUNCE_SECONDS
    if not cache.add(pending_key(ward_id), 1, timeout=delay + LOST_RUN_GRACE_SECONDS):
        return False
    transaction.on_commit(lambda: _queue_recompute(ward_id, delay))
    return True


def _queue_recompute(ward_id: int, delay: int) -> None:
    try:
        recompute_ward.apply_async((ward_id,), countdown=delay)
    except Exception:
        cache.delete(pending_key(ward_id))
        raise
