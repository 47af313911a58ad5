from django.conf import settings
from django.db import models


class CanvassSession(models.Model):
    """A planned outing: volunteers meet at a place and time and walk the session's rounds."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="canvass_sessions")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField(null=True, blank=True)
    meeting_point = models.CharField(max_length=200, help_text="Where volunteers meet, e.g. 'the library car park'.")
    notes = models.TextField(blank=True)
    rounds = models.ManyToManyField("canvass.WalkList", blank=True, related_name="sessions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.ward} {self.date:%-d %b} {self.starts_at:%H:%M}"


class SessionReply(models.Model):
    """Whether a volunteer is coming to a session; their last answer stands."""

    class Answer(models.TextChoices):
        YES = "yes", "Coming"
        MAYBE = "maybe", "Maybe"
        NO = "no", "Not coming"

    session = models.ForeignKey(CanvassSession, on_delete=models.CASCADE, related_name="replies")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_replies")
    answer = models.CharField(max_length=5, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "volunteer"], name="session_reply_once")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.answer} for session {self.session_id}"
