"""What the data controller must be able to show: objections, erasures, subject-access requests, purges.

Every row here holds ids, dates and counts only, never a name or an address.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ObjectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Objection(models.Model):
    """'Never contact me': who recorded it and when. Honoured through `Voter.do_not_contact`, the flag every
    walk list, round, export and knock-up list already reads; keyed on the voter row, which the register import
    keeps across re-imports and the annual renumbering (matched like contact history)."""

    class Source(models.TextChoices):
        VOTER_REQUEST = "request", "The voter asked the campaign"
        DOORSTEP = "doorstep", "Marked at the door by a volunteer"

    voter = models.ForeignKey("canvass.Voter", on_delete=models.CASCADE, related_name="objections")
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    flagged = models.BooleanField(
        default=False, help_text="Marked past the volunteer's rate limit: an organiser should review it."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["voter"], condition=Q(withdrawn_at__isnull=True), name="objection_active_idx"),
            models.Index(fields=["recorded_by", "-recorded_at"], name="objection_by_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Objection {self.pk} (voter {self.voter_id})"


class Erasure(models.Model):
    """One person erased: the voter row left as a tombstone, so ward totals stay as they were."""

    voter = models.OneToOneField("canvass.Voter", on_delete=models.PROTECT, related_name="erasure")
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, help_text="How many contacts were anonymised, and so on.")

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure of voter {self.voter_id}"


class SubjectAccessRequest(models.Model):
    """One subject-access export produced: for whom, by whom, when, in which form."""

    class Format(models.TextChoices):
        JSON = "json", "JSON file"
        PAGE = "page", "Readable page"

    voter = models.ForeignKey("canvass.Voter", on_delete=models.CASCADE, related_name="+")
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)
    format = models.CharField(max_length=4, choices=Format.choices)

    class Meta:
        ordering = ["-produced_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access for voter {self.voter_id}"


class RetentionRun(models.Model):
    """One pass of the retention purge: what it removed (or, in a dry run, would remove), ward by ward."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoffs = models.JSONField(default=dict, help_text="The date before which each kind had expired.")
    counts = models.JSONField(default=dict, help_text="Rows removed or anonymised, by kind.")
    wards_done = models.JSONField(default=list, help_text="Wards finished, so a resumed run skips them.")
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.pk} ({'dry run' if self.dry_run else self.status})"


class CarriedObjection(models.Model):
    """An erased person's 'never contact me', kept without their name so the register can bring them back.

    The council's register names an erased person again at the next import. They come back as a new elector
    with no history; if they had objected, the objection must come back with them. This row holds a keyed digest
    of their normalised name and address (`canvass.privacy.services.erasure.register_key`), never the name, and
    no link to the tombstone (which would tie the tombstone's anonymised contacts back to the person). The
    import that finds them again moves the objection onto the new row and deletes this one."""

    key = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=10, choices=Objection.Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Carried objection {self.pk}"
