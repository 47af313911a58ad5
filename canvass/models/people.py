from django.conf import settings
from django.db import models


def name_shown(*, first_name: str = "", last_name: str = "", username: str = "") -> str:
    """How the campaign shows a person: their full name, falling back to their username.

    The one rule for it; `display_name` applies it to a user, and pages that read users as
    `.values()` rows pass the three columns in.
    """
    full = " ".join(part.strip() for part in (first_name or "", last_name or "") if part and part.strip())
    return full or username or ""


def display_name(user) -> str:
    """A volunteer's (or any member's) name as every page and the API show it."""
    if user is None:
        return ""
    return name_shown(
        first_name=getattr(user, "first_name", ""),
        last_name=getattr(user, "last_name", ""),
        username=user.get_username(),
    )


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    ORGANISER = "organiser", "Organiser"
    ADMIN = "admin", "Admin"


class Profile(models.Model):
    """A campaign member's role; an organiser's wards bound what they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VOLUNTEER)
    wards = models.ManyToManyField(
        "wards.Ward",
        blank=True,
        related_name="organisers",
        help_text="Wards an organiser runs, or a volunteer canvasses (offered first when assigning there).",
    )
    may_advance_rollout = models.BooleanField(
        default=False,
        help_text="An organiser who may open the rollout's next zone for the whole council (admins always may).",
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
