from django.conf import settings
from django.db import models


class WalkListQuerySet(models.QuerySet):
    def visible_to(self, user):
        from canvass.scoping import walk_lists_visible_to

        return walk_lists_visible_to(self, user)


class WalkList(models.Model):
    """An ordered round of doors cut by an organiser and handed to one or more volunteers."""

    name = models.CharField(max_length=120)
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="walk_lists")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="walk_lists_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        max_length=255, blank=True, help_text="How the list was cut, e.g. 'polling district AB1, streets: ...'."
    )
    segment = models.CharField(
        max_length=16,
        blank=True,
        help_text="The ward's target segment the list was cut from, if any: its voters are marked at their door.",
    )
    households = models.ManyToManyField(
        "canvass.Household", through="canvass.WalkListHousehold", related_name="walk_lists"
    )
    assigned_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="walk_lists")

    objects = WalkListQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class WalkListHousehold(models.Model):
    """A door on a walk list; position is the walking order fixed when the list was cut."""

    walk_list = models.ForeignKey(WalkList, on_delete=models.CASCADE, related_name="stops")
    household = models.ForeignKey("canvass.Household", on_delete=models.CASCADE, related_name="walk_list_stops")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["walk_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["walk_list", "household"], name="walk_list_household_once"),
            models.UniqueConstraint(fields=["walk_list", "position"], name="walk_list_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.walk_list_id}#{self.position}: household {self.household_id}"
