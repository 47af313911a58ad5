from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RefusedSyncItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisers see their wards' refusals, and those of no known ward made by volunteers walking their
        wards; admins all; a volunteer their own; anyone else nothing."""
        from canvass.models.people import Role
        from canvass.scoping import organiser_ward_ids, role_of
        from canvass.walklists.models import WalkList

        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role == Role.VOLUNTEER:
            return self.filter(volunteer_id=user.pk)
        if role != Role.ORGANISER:
            return self.none()
        ward_ids = organiser_ward_ids(user)
        walkers = WalkList.assigned_to.through.objects.filter(walklist__ward_id__in=ward_ids).values("user_id")
        return self.filter(Q(ward_id__in=ward_ids) | Q(ward__isnull=True, volunteer_id__in=walkers))


class RefusedSyncItem(models.Model):
    """A contact a phone sent and the server refused (an error or a conflict): the phone stops sending it and
    shows it to the volunteer; this row lets an organiser see it too.

    `item` is the phone's item with personal data minimised (canvass.services.refusals.item_minimised): ids,
    times and choices as sent, free text withheld (only its length kept). The same refusal sent again (a
    replayed batch, or a batch halved by the phone) is one row, counted in `times`.
    """

    class Status(models.TextChoices):
        ERROR = "error", "Refused"
        CONFLICT = "conflict", "Conflict (already stored with other content)"

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept when the user is deleted, so an organiser still knows whose phone it was.
    username = models.CharField(max_length=150, blank=True)
    # The ward of the voter or household the item named, when there is one.
    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    client_uuid = models.CharField(max_length=64, blank=True, help_text="As the phone sent it (may be malformed).")
    status = models.CharField(max_length=8, choices=Status.choices)
    errors = models.JSONField(default=dict, help_text="The server's answer for the item: {field: [reason]}.")
    item = models.JSONField(default=dict, help_text="What the phone sent, free text withheld.")
    fingerprint = models.CharField(max_length=64, help_text="Digest of uuid, item and errors: one row per refusal.")
    refused_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_refused_at = models.DateTimeField(default=timezone.now)
    times = models.PositiveIntegerField(default=1)

    objects = RefusedSyncItemQuerySet.as_manager()

    class Meta:
        ordering = ["-last_refused_at", "-id"]
        indexes = [models.Index(fields=["ward", "-last_refused_at"], name="refused_ward_latest_idx")]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "fingerprint"], name="refused_once_per_volunteer"),
        ]

    def __str__(self) -> str:
        return f"Refused sync item {self.client_uuid or '(no uuid)'} from {self.username or 'a deleted user'}"
