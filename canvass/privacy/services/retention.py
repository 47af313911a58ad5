"""The retention purge: what has outlived `PRIVACY_RETENTION_DAYS` is deleted or anonymised, ward by ward.

Each ward's work is done in batches of `PRIVACY_PURGE_BATCH` rows, each batch in its own transaction, and the
run records the wards it has finished: a run that stopped (a deploy, a worker lost) is resumed where it was.
A dry run counts the same rows and changes nothing.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from canvass.models import AuditEvent, ContactRecord, RefusedSyncItem, RegisterImport, Voter
from canvass.privacy.models import RetentionRun
from canvass.privacy.services.erasure import CONTACT_BLANKS, VOTER_BLANKS
from canvass.surveys.models import Answer
from wards.models import Ward

logger = logging.getLogger(__name__)

KINDS = ("register_leavers", "contacts", "notes", "answers", "survey_answers", "uploads", "audit", "refused_syncs")


def retention_cutoffs(now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    now = now or timezone.now()
    return {kind: now - dt.timedelta(days=settings.PRIVACY_RETENTION_DAYS[kind]) for kind in KINDS}


def _ward_querysets(ward_id: int, cutoffs: dict) -> dict:
    """Per kind, the expired rows of one ward and what is done to them: None deletes, a dict updates."""
    leavers = (
        Voter.objects.filter(polling_district__ward_id=ward_id, on_register=False)
        .filter(left_register_on__lt=cutoffs["register_leavers"].date())
        .exclude(surname="", forenames="", title="")
    )
    contacts = ContactRecord.objects.filter(ward_id=ward_id)
    return {
        "register_leavers": (leavers, {**VOTER_BLANKS, "do_not_contact": True}),
        "contacts": (contacts.filter(contacted_at__lt=cutoffs["contacts"]), None),
        "notes": (contacts.filter(contacted_at__lt=cutoffs["notes"]).exclude(notes=""), {"notes": ""}),
        "answers": (contacts.filter(contacted_at__lt=cutoffs["answers"]).exclude(issues=[]), {"issues": []}),
        "survey_answers": (
            Answer.objects.filter(contact__ward_id=ward_id, contact__contacted_at__lt=cutoffs["survey_answers"]),
            None,
        ),
    }


def _global_querysets(cutoffs: dict) -> dict:
    return {
        "uploads": (
            RegisterImport.objects.filter(created_at__lt=cutoffs["uploads"]).exclude(file_data=b""),
            {"file_data": b""},
        ),
        "audit": (AuditEvent.objects.filter(at__lt=cutoffs["audit"]), None),
        # Sync items the server refused (canvass.services.refusals), by when they were last sent.
        "refused_syncs": (RefusedSyncItem.objects.filter(last_refused_at__lt=cutoffs["refused_syncs"]), None),
    }


def _purge(queryset, change, *, dry_run: bool, batch: int) -> int:
    if dry_run:
        return queryset.count()
    done = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                return done
            rows = queryset.model.objects.filter(pk__in=ids)
            if change is None:
                rows.delete()
            else:
                rows.update(**change)
        done += len(ids)


def retention_run(*, dry_run: bool = False, by=None, run: RetentionRun | None = None) -> RetentionRun:
    """Run (or resume) a purge. Leavers' contacts lose their free text with them (CONTACT_BLANKS)."""
    if run is None:
        run = RetentionRun.objects.create(
            dry_run=dry_run, started_by=by, cutoffs={k: v.isoformat() for k, v in retention_cutoffs().items()}
        )
    # A run begun before a kind was added has no cut-off for it: today's.
    cutoffs = {**retention_cutoffs(run.started_at), **{k: dt.datetime.fromisoformat(v) for k, v in run.cutoffs.items()}}
    batch = settings.PRIVACY_PURGE_BATCH
    counts = {kind: run.counts.get(kind, 0) for kind in KINDS}
    try:
        for ward_id in Ward.objects.exclude(pk__in=run.wards_done).order_by("pk").values_list("pk", flat=True):
            for kind, (queryset, change) in _ward_querysets(ward_id, cutoffs).items():
                if kind == "register_leavers" and not run.dry_run:
                    leaver_ids = list(queryset.values_list("pk", flat=True))
                    ContactRecord.objects.filter(voter_id__in=leaver_ids).update(**CONTACT_BLANKS)
                counts[kind] += _purge(queryset, change, dry_run=run.dry_run, batch=batch)
            run.wards_done = [*run.wards_done, ward_id]
            run.counts = counts
            run.save(update_fields=["wards_done", "counts"])
        for kind, (queryset, change) in _global_querysets(cutoffs).items():
            counts[kind] += _purge(queryset, change, dry_run=run.dry_run, batch=batch)
    except Exception as error:
        run.status = RetentionRun.Status.FAILED
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.counts = counts
        run.save(update_fields=["status", "error", "counts"])
        logger.exception("retention run %s failed after %s wards", run.pk, len(run.wards_done))
        raise
    run.status = RetentionRun.Status.DONE
    run.finished_at = timezone.now()
    run.counts = counts
    run.error = ""
    run.save(update_fields=["status", "finished_at", "counts", "error"])
    logger.info("retention run %s done: %s", run.pk, counts)
    return run


def retention_resume_or_start(*, dry_run: bool = False) -> RetentionRun:
    """The beat job: finish the last unfinished real run first, else start a new one."""
    unfinished = RetentionRun.objects.filter(dry_run=False).exclude(status=RetentionRun.Status.DONE).first()
    if unfinished and not dry_run:
        unfinished.status = RetentionRun.Status.RUNNING
        unfinished.save(update_fields=["status"])
        return retention_run(run=unfinished)
    return retention_run(dry_run=dry_run)
