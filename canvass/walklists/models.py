from django.conf import settings
from django.db import models


class WalkListQuerySet(models.QuerySet):
    def visible_to(self, user):
        from canvass.scoping import walk_lists_visible_to

        return walk_lists_visible_to(self, user)


class WalkListKind(models.TextChoices):
    CANVASS = "canvass", "Canvass"
    DELIVERY = "delivery", "Leaflet delivery"


class Leaflet(models.Model):
    """A leaflet delivered to every door of a ward's streets (a Focus, an In Touch), by delivery rounds."""

    name = models.CharField(max_length=120)
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="leaflets")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class WalkListCut(models.Model):
    """A segment or chosen streets split into rounds (each a walk list) sized for a volunteer's session."""

    name = models.CharField(max_length=120)
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="walk_list_cuts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=255, blank=True)
    round_size = models.PositiveSmallIntegerField(help_text="Doors a round was cut to hold at most.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


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
    cut = models.ForeignKey(
        WalkListCut, on_delete=models.SET_NULL, null=True, blank=True, related_name="rounds",
        help_text="The cut this list is a round of, when it was split into rounds.",
    )  # fmt: skip
    kind = models.CharField(max_length=8, choices=WalkListKind.choices, default=WalkListKind.CANVASS)
    leaflet = models.ForeignKey(
        Leaflet, on_delete=models.CASCADE, null=True, blank=True, related_name="rounds",
        help_text="For a delivery round: the leaflet it delivers.",
    )  # fmt: skip
    # Raised by the database (PostgreSQL triggers, migration 0030) whenever what the list shows of its doors,
    # voters and target reasons may have changed: the structural part of its validator (walklists.version).
    version = models.PositiveBigIntegerField(default=0, editable=False)

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


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    NO_LETTERBOX = "no_letterbox", "No letterbox"
    INACCESSIBLE = "inaccessible", "Inaccessible"


class Delivery(models.Model):
    """What happened at one door of a delivery round; a later mark for the door replaces it."""

    walk_list = models.ForeignKey(WalkList, on_delete=models.CASCADE, related_name="deliveries")
    household = models.ForeignKey("canvass.Household", on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    client_uuid = models.UUIDField(help_text="Made by the phone for the last mark, so a replay changes nothing.")
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["walk_list", "household"], name="delivery_once_per_door")]

    def __str__(self) -> str:
        return f"{self.status} at household {self.household_id} (list {self.walk_list_id})"
