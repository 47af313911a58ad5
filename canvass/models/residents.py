from django.conf import settings
from django.db import models


class NewResident(models.Model):
    """Someone met at a door who is not on the register yet: held for an organiser to match to an elector after
    the next register update. Never an elector itself: no voter row is made from it."""

    contact = models.OneToOneField(
        "canvass.ContactRecord", on_delete=models.CASCADE, related_name="new_resident", help_text="Where they were met."
    )
    household = models.ForeignKey("canvass.Household", on_delete=models.CASCADE, related_name="new_residents")
    name = models.CharField(max_length=120)
    note = models.CharField(max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    matched_voter = models.ForeignKey(
        "canvass.Voter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set by an organiser once the person appears on the register.",
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(
                fields=["household"], condition=models.Q(matched_voter__isnull=True), name="resident_unmatched_idx"
            )
        ]

    def __str__(self) -> str:
        state = "matched" if self.matched_voter_id else "not on the register yet"
        return f"New resident at household {self.household_id} ({state})"
