from django.db import models


class TurnoutRecord(models.Model):
    """A vote cast at a past election, from the marked register: a targeting signal."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        POSTAL = "postal", "By post"

    voter = models.ForeignKey("canvass.Voter", on_delete=models.CASCADE, related_name="turnout")
    election_date = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    source = models.ForeignKey(
        "canvass.RegisterImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Polling day's teller numbers, until the marked register's import replaces the election's rows.
    from_tellers = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["voter", "-election_date"]
        constraints = [
            models.UniqueConstraint(fields=["voter", "election_date"], name="turnout_one_vote_per_election"),
        ]

    def __str__(self) -> str:
        return f"{self.election_date}: {self.get_method_display()}"
