from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum


class Zone(models.TextChoices):
    """The campaign's rollout: the north first, then the south, then the villages."""

    NORTH = "north", "North"
    SOUTH = "south", "South"
    VILLAGES = "villages", "Villages"

    @classmethod
    def rollout_rank(cls, zone: str) -> int:
        """The zone's place in the rollout (0 first): the one definition of zone order."""
        return list(cls.values).index(zone)

    @classmethod
    def rank_expression(cls, field: str = "zone") -> models.Case:
        """`rollout_rank` as an SQL expression on a zone column, for ordering and comparing in queries."""
        return models.Case(
            *(models.When(**{field: zone}, then=models.Value(cls.rollout_rank(zone))) for zone in cls.values),
            output_field=models.IntegerField(),
        )


class Council(models.Model):
    name = models.CharField(max_length=200, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    total_seats = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    cycle = models.CharField(
        "election cycle",
        max_length=8,
        blank=True,
        choices=[("thirds", "By thirds: one seat per ward"), ("all_out", "All out: every seat")],
        help_text="Sets the seats up in each ward at the next borough election; empty: each ward's own figure.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def majority(self) -> int:
        """Seats needed to control the council: more than half of them."""
        return self.total_seats // 2 + 1

    def seats_held(self) -> int:
        return self.wards.aggregate(held=Sum("seats_held"))["held"] or 0


class Party(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="Short code, e.g. LAB, CON, LD.")
    name = models.CharField(max_length=100, unique=True)
    colour = models.CharField(
        max_length=7,
        default="#888888",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #dc241f.")],
    )
    is_ours = models.BooleanField("our party", default=False)
    stands_nationally = models.BooleanField(
        default=True, help_text="Stands for Parliament: offered for the general election vote at the door."
    )

    class Meta:
        ordering = ["-is_ours", "name"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(fields=["is_ours"], condition=Q(is_ours=True), name="party_only_one_is_ours"),
        ]

    def __str__(self) -> str:
        return self.name


class WardQuerySet(models.QuerySet):
    def in_rollout_order(self):
        return self.alias(zone_rank=Zone.rank_expression()).order_by("zone_rank", "rollout_order", "name")

    def visible_to(self, user):
        from canvass.scoping import wards_visible_to

        return wards_visible_to(self, user)


class Ward(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=120)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    seats = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    zone = models.CharField(max_length=10, choices=Zone.choices, db_index=True)
    rollout_order = models.PositiveSmallIntegerField(default=0, help_text="Order within its zone's rollout.")
    seats_held = models.PositiveSmallIntegerField("seats we hold", default=0)
    seats_up = models.PositiveSmallIntegerField("seats up at the next election", default=1)
    last_election_date = models.DateField(null=True, blank=True)
    last_turnout_votes = models.PositiveIntegerField("ballots cast at the last election", null=True, blank=True)
    expected_turnout_percent = models.DecimalField(
        "expected turnout (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Entered by organisers; used to project the votes needed to win.",
    )

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="ward_unique_name_per_council"),
            models.CheckConstraint(condition=Q(seats_held__lte=F("seats")), name="ward_seats_held_within_seats"),
            models.CheckConstraint(condition=Q(seats_up__lte=F("seats")), name="ward_seats_up_within_seats"),
        ]

    def __str__(self) -> str:
        return self.name


class WardResult(models.Model):
    """One party's votes in the ward at its last election: the base for projections."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="last_results")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField()

    class Meta:
        ordering = ["ward", "-votes"]
        constraints = [models.UniqueConstraint(fields=["ward", "party"], name="ward_result_one_row_per_party")]

    def __str__(self) -> str:
        return f"{self.ward}: {self.party.code} {self.votes}"


class PollingDistrict(models.Model):
    """The register's unit: its code is the elector number prefix, e.g. AB1."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="polling_districts")
    code = models.CharField(max_length=8, unique=True, help_text="Elector number prefix on the register.")
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Village(models.Model):
    """A named community: a neighbourhood of the town or a rural village."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", "Town neighbourhood"
        VILLAGE = "village", "Rural village"

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VILLAGE)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="village_unique_name_per_ward")]

    def __str__(self) -> str:
        return self.name
