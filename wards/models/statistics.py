from decimal import Decimal

from django.db import models
from django.db.models import Q

from wards.models.council import Zone


class Scope(models.TextChoices):
    WARD = "ward", "Ward"
    ZONE = "zone", "Zone"
    COUNCIL = "council", "Whole council"


class AreaStatisticsQuerySet(models.QuerySet):
    def wards(self):
        return self.filter(scope=Scope.WARD)

    def zones(self):
        return self.filter(scope=Scope.ZONE)

    def councils(self):
        return self.filter(scope=Scope.COUNCIL)


class AreaStatistics(models.Model):
    """Pre-computed canvass figures for a ward, a zone of a council, or a whole council.

    Rebuilt by `wards.services.ward_statistics_recompute`: old rows are replaced inside one
    transaction, so a reader sees either the previous set or the new one, never a mix.
    "Canvassed" voters are council electors on the register whose latest *spoken* contact gives
    their current intentions; the shares below use them as the denominator.
    """

    scope = models.CharField(max_length=8, choices=Scope.choices)
    council = models.ForeignKey("wards.Council", on_delete=models.CASCADE, related_name="statistics")
    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, null=True, blank=True, related_name="statistics")
    zone = models.CharField(max_length=10, choices=Zone.choices, blank=True)
    computed_at = models.DateTimeField()

    electors = models.PositiveIntegerField(default=0, help_text="Council electors on the register.")
    households = models.PositiveIntegerField(default=0, help_text="Addresses with at least one such elector.")
    contacted_ever = models.PositiveIntegerField(default=0, help_text="Electors ever spoken to.")
    contacted_recently = models.PositiveIntegerField(default=0, help_text="Electors spoken to in the last 90 days.")
    # Keyed by outcome value: every contact record made in the area, doors not answered included.
    outcomes = models.JSONField(default=dict, blank=True)
    # Keyed by party code for a party, else by the intention (undecided, wont_say, ...): latest contact only.
    local_intentions = models.JSONField(default=dict, blank=True)
    national_intentions = models.JSONField(default=dict, blank=True)
    ours_locally = models.PositiveIntegerField(default=0)
    split_ticket = models.PositiveIntegerField(default=0, help_text="Ours locally, another party nationally.")
    promises = models.PositiveIntegerField(default=0)
    promises_do_not_contact = models.PositiveIntegerField(
        default=0, help_text="Promises from voters who since asked not to be contacted: never on a target list."
    )
    likely_supporters = models.PositiveIntegerField(default=0, help_text="Probable, not yet a promise.")
    undecided = models.PositiveIntegerField(default=0)
    postal_supporters = models.PositiveIntegerField(default=0, help_text="Promises and probables with a postal vote.")

    expected_turnout = models.PositiveIntegerField(null=True, blank=True, help_text="Ballots expected to be cast.")
    expected_votes = models.PositiveIntegerField(null=True, blank=True, help_text="Our projected votes.")
    votes_needed = models.PositiveIntegerField(null=True, blank=True, help_text="Votes to win the next seat.")
    winnability = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True, help_text="Expected votes / votes needed; 1 wins."
    )
    seats_projected_gain = models.PositiveSmallIntegerField(default=0)

    objects = AreaStatisticsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "area statistics"
        constraints = [
            models.UniqueConstraint(fields=["ward"], condition=Q(scope="ward"), name="areastats_one_per_ward"),
            models.UniqueConstraint(
                fields=["council", "zone"], condition=Q(scope="zone"), name="areastats_one_per_zone"
            ),
            models.UniqueConstraint(fields=["council"], condition=Q(scope="council"), name="areastats_one_per_council"),
            models.CheckConstraint(
                condition=Q(scope="ward", ward__isnull=False)
                | Q(scope="zone", ward__isnull=True) & ~Q(zone="")
                | Q(scope="council", ward__isnull=True, zone=""),
                name="areastats_scope_matches_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} statistics: {self.ward or self.zone or self.council}"

    @property
    def canvassed(self) -> int:
        return self.contacted_ever

    @property
    def supporters(self) -> int:
        return self.promises + self.likely_supporters

    @property
    def projected_win(self) -> bool:
        return self.winnability is not None and self.winnability >= 1

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        return (Decimal(part) / whole).quantize(Decimal("0.001")) if whole else None

    @property
    def contact_rate(self) -> Decimal | None:
        return self._share(self.contacted_ever, self.electors)

    @property
    def split_ticket_share(self) -> Decimal | None:
        """Of those ours locally, the share voting for another party nationally (the story's 30%)."""
        return self._share(self.split_ticket, self.ours_locally)

    def local_shares(self) -> dict[str, Decimal]:
        return {key: self._share(count, self.canvassed) for key, count in self.local_intentions.items()}

    def national_shares(self) -> dict[str, Decimal]:
        return {key: self._share(count, self.canvassed) for key, count in self.national_intentions.items()}


class ContactRatePeriod(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"


class ContactRateSample(models.Model):
    """One point of "contact rate over time": electors first spoken to by the end of a day or week.

    A ward's series has a row per day on which someone new was reached; the council's series
    (ward null) sums the wards. Rebuilt with the ward's statistics, in the same transaction.
    """

    # Derived rows replaced whole under the recompute's lock: no database FK checks or unique indexes
    # to maintain on every rewrite (Django still cascades deletes), one index for the dashboard's reads.
    council = models.ForeignKey(
        "wards.Council",
        on_delete=models.CASCADE,
        related_name="contact_rate_samples",
        db_constraint=False,
        db_index=False,
    )
    ward = models.ForeignKey(
        "wards.Ward",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_rate_samples",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(max_length=4, choices=ContactRatePeriod.choices)
    period_start = models.DateField()
    newly_contacted = models.PositiveIntegerField(help_text="Electors first spoken to in this period.")
    contacted = models.PositiveIntegerField(help_text="Electors spoken to by the end of this period.")
    electors = models.PositiveIntegerField()

    class Meta:
        ordering = ["council", "ward", "period", "period_start"]
        indexes = [models.Index(fields=["council", "ward", "period", "period_start"], name="contactrate_series_idx")]

    def __str__(self) -> str:
        return f"{self.ward or self.council} {self.period} {self.period_start}: {self.contacted}"

    @property
    def rate(self) -> Decimal | None:
        return (Decimal(self.contacted) / self.electors).quantize(Decimal("0.001")) if self.electors else None
