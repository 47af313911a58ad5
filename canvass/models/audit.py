from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    LIST = "list", "Listed"
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported"


class AuditEvent(models.Model):
    """Who listed, viewed or exported voters' personal data, and when.

    Holds ids and counts only, never names or addresses, so the trail itself is not personal data to leak.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    # Kept when the user is deleted (user becomes null), so the trail still says who it was.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    resource = models.CharField(max_length=60, help_text="What was seen, e.g. 'voter' or 'walk_list'.")
    object_ids = models.JSONField(default=list, blank=True, help_text="Ids of the rows seen (capped).")
    count = models.PositiveIntegerField(null=True, blank=True, help_text="How many rows were seen.")
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="audit_user_at_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.resource} ({self.count})"
