"""Elections and their results: each ward's history, by-elections, and the parliamentary constituencies."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q


class ElectionKind(models.TextChoices):
    ALL_OUT = "all_out", "Borough, all out"
    THIRDS = "thirds", "Borough, by thirds"
    BY_ELECTION = "by_election", "By-election"
    COUNTY = "county", "County"
    GENERAL = "general", "General (parliament)"

    @classmethod
    def borough(cls) -> tuple[str, ...]:
        """Kinds whose results compare with the next borough election's."""
        return (cls.ALL_OUT.value, cls.THIRDS.value, cls.BY_ELECTION.value)


class Constituency(models.Model):
    """A parliamentary constituency: whole wards, plus polling districts of the wards it splits."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField("ONS code", max_length=9, unique=True)
    wards = models.ManyToManyField("wards.Ward", blank=True, related_name="constituencies", help_text="Whole wards.")
    polling_districts = models.ManyToManyField(
        "wards.PollingDistrict",
        blank=True,
        related_name="constituencies",
        help_text="Polling districts of a ward split between constituencies.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


class ElectionQuerySet(models.QuerySet):
    def by_elections_open(self, *, today):
        """By-elections not yet held: the wards concerned follow them until polling day has passed."""
        return self.filter(kind=ElectionKind.BY_ELECTION, date__gte=today)


class Election(models.Model):
    council = models.ForeignKey(
        "wards.Council", on_delete=models.PROTECT, related_name="elections", null=True, blank=True
    )
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=ElectionKind.choices)
    name = models.CharField(max_length=120, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "date", "kind"],
                condition=~Q(kind="by_election"),
                name="election_one_per_council_date_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.date:%-d %b %Y}"


class Contest(models.Model):
    """One ward's (or, at a general election, one constituency's) poll at an election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="contests", null=True, blank=True)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="contests", null=True, blank=True
    )
    seats_contested = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    ballots_issued = models.PositiveIntegerField("ballot papers issued", null=True, blank=True)
    electorate = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-election__date", "ward__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ward__isnull=False, constituency__isnull=True)
                | Q(ward__isnull=True, constituency__isnull=False),
                name="contest_ward_or_constituency",
            ),
            models.UniqueConstraint(fields=["election", "ward"], name="contest_one_per_ward"),
            models.UniqueConstraint(fields=["election", "constituency"], name="contest_one_per_constituency"),
            models.CheckConstraint(
                condition=Q(ballots_issued__isnull=True)
                | Q(electorate__isnull=True)
                | Q(ballots_issued__lte=F("electorate")),
                name="contest_ballots_within_electorate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.ward or self.constituency}"

    @property
    def turnout(self) -> Decimal | None:
        """Ballot papers issued over the electorate: never the sum of the votes (an elector has one per seat)."""
        if not self.ballots_issued or not self.electorate:
            return None
        return (Decimal(self.ballots_issued) / self.electorate).quantize(Decimal("0.0001"))


class Candidate(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=120)
    party = models.ForeignKey(
        "wards.Party",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Empty: independent.",
    )
    votes = models.PositiveIntegerField()
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["contest", "-votes", "name"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="candidate_unique_name_per_contest")]

    def __str__(self) -> str:
        return f"{self.name} ({self.party.code if self.party_id else 'Ind'}) {self.votes}"
