from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    ORGANISER = "organiser", "Organiser"
    ADMIN = "admin", "Admin"


class Profile(models.Model):
    """A campaign member's role; an organiser's wards bound what they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VOLUNTEER)
    wards = models.ManyToManyField(
        "wards.Ward", blank=True, related_name="organisers", help_text="Wards an organiser runs."
    )
    may_advance_rollout = models.BooleanField(
        default=False,
        help_text="An organiser who may open the rollout's next zone for the whole council (admins always may).",
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
