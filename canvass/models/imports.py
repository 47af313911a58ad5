from django.conf import settings
from django.db import models


class RegisterImportQuerySet(models.QuerySet):
    def without_file(self):
        """The register's bytes can be tens of megabytes: list pages never load them."""
        return self.defer("file_data")


class RegisterImport(models.Model):
    """One uploaded register file and what importing it did.

    The file's bytes live in the database, not on a disk, so a Celery worker on another machine can read them.
    """

    class Kind(models.TextChoices):
        FULL = "full", "Full register"
        UPDATE = "update", "Monthly update"
        ABSENT = "absent", "Absent voters list"
        MARKED = "marked", "Marked register"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        APPLIED = "applied", "Applied"
        DRY_RUN = "dry_run", "Dry run: nothing changed"
        REJECTED = "rejected", "Rejected rows: nothing changed"
        NO_CHANGE = "no_change", "Nothing to change: not applied, to confirm"
        NO_CHANGE_CONFIRMED = "confirmed", "Nothing to change: confirmed"
        FAILED = "failed", "Failed: nothing changed"

    FINISHED = (
        Status.APPLIED,
        Status.DRY_RUN,
        Status.REJECTED,
        Status.NO_CHANGE,
        Status.NO_CHANGE_CONFIRMED,
        Status.FAILED,
    )

    council = models.ForeignKey("wards.Council", on_delete=models.PROTECT, related_name="register_imports")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)
    election_date = models.DateField(null=True, blank=True, help_text="Marked registers: the election's date.")
    dry_run = models.BooleanField(default=False, help_text="Report what would change without changing anything.")
    accept_skipped_rows = models.BooleanField(
        "accept skipping bad rows", default=False, help_text="Apply the good rows even if some rows are rejected."
    )
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    file_data = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # An update that would change nothing is never "applied": an admin confirms it was the file they meant.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = RegisterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "register import"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
