"""Reads for the data controller's overview: counts in SQL, one query per figure."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from canvass.models import AuditEvent, ContactRecord, Household, RefusedSyncItem, RegisterImport, Voter
from canvass.models.audit import AuditAction
from canvass.privacy.models import Erasure, Objection, RetentionRun, SubjectAccessRequest
from canvass.privacy.services.retention import retention_cutoffs


def held_by_kind() -> list[tuple[str, int]]:
    voters = Voter.objects.aggregate(
        current=Count("pk", filter=Q(on_register=True)), left=Count("pk", filter=Q(on_register=False))
    )
    contacts = ContactRecord.objects.aggregate(
        total=Count("pk"), with_notes=Count("pk", filter=~Q(notes="")), with_answers=Count("pk", filter=~Q(issues=[]))
    )
    return [
        ("Electors on the register", voters["current"]),
        ("Register entries of people who left", voters["left"]),
        ("Households", Household.objects.count()),
        ("Contact records", contacts["total"]),
        ("Contacts with notes", contacts["with_notes"]),
        ("Contacts with survey answers", contacts["with_answers"]),
        ("Register uploads still holding their file", RegisterImport.objects.exclude(file_data=b"").count()),
        ("Audit trail rows", AuditEvent.objects.count()),
        ("Sync items refused by the server", RefusedSyncItem.objects.count()),
    ]


def overview() -> dict:
    now = timezone.now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_run = RetentionRun.objects.filter(dry_run=False).first()
    return {
        "held": held_by_kind(),
        "cutoffs": retention_cutoffs(now),
        "last_run": last_run,
        "last_dry_run": RetentionRun.objects.filter(dry_run=True).first(),
        "next_purge": (last_run.started_at + dt.timedelta(days=1)) if last_run else now,
        "access_requests": list(SubjectAccessRequest.objects.select_related("produced_by")[:10]),
        "erasures": list(Erasure.objects.select_related("erased_by")[:10]),
        "objections": list(Objection.objects.select_related("recorded_by")[:10]),
        "flagged_objections": Objection.objects.active().filter(flagged=True).count(),
        "exports_this_month": AuditEvent.objects.filter(action=AuditAction.EXPORT, at__gte=month_start).count(),
    }
