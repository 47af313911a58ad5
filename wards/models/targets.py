from django.conf import settings
from django.db import models

from wards.models.council import Zone


class Campaign(models.Model):
    """The rollout's state for one council: which zone the campaign is working now.

    `current_zone` is recomputed after every statistics run: the first zone in rollout order not
    yet taken, or the zone an organiser advanced to if that is further along.
    """

    council = models.OneToOneField("wards.Council", on_delete=models.CASCADE, related_name="campaign")
    current_zone = models.CharField(max_length=10, choices=Zone.choices, default=Zone.NORTH)
    advanced_to_zone = models.CharField(
        max_length=10, choices=Zone.choices, blank=True, help_text="Set when an organiser advances the campaign."
    )
    advanced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    advanced_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.council}: {self.get_current_zone_display()}"


class ZoneOpening(models.Model):
    """The audit trail of the rollout: who opened which zone of a council's campaign, and when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="openings")
    from_zone = models.CharField(max_length=10, choices=Zone.choices)
    to_zone = models.CharField(max_length=10, choices=Zone.choices)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept when the user is deleted (opened_by becomes null), so the trail still says who it was.
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign.council}: {self.from_zone} → {self.to_zone} by {self.username or 'the system'}"


class Segment(models.TextChoices):
    PERSUADABLE = "persuadable", "Persuadables"
    SOFT_SUPPORTER = "soft_supporter", "Soft supporters to firm up"
    NEVER_CONTACTED = "never_contacted", "Never contacted, priority streets"
    POSTAL_SUPPORTER = "postal_supporter", "Supporters with a postal vote"
    PROMISE = "promise", "Promises (the knock-up list's base)"


class Reason(models.TextChoices):
    UNDECIDED = "undecided", "Undecided"
    LEANING_AWAY = "leaning_away", "Leaning away"
    SPLIT_TICKET = "split_ticket", "Ours locally, another party nationally"
    PROBABLE = "probable", "Probable, not yet a promise"
    PRIORITY_STREET = "priority_street", "Never spoken to, in a street where we do well"
    POSTAL_VOTE = "postal_vote", "Supporter with a postal vote: chase before packs go out"
    PROMISE = "promise", "Promised to vote for us"


class TargetListEntry(models.Model):
    """One voter on one of a ward's target lists, with the reason and the walking-order position.

    A ward's entries are replaced as a whole inside one transaction (see `target_lists_rebuild`).
    """

    # Derived rows, rebuilt whole from the voters they point at: no database-level foreign keys, whose
    # per-row checks (and row locks on every voter) would dominate a rebuild; Django still cascades
    # deletes. Lookups go through the unique (ward, segment, ...) indexes; a cascade from a deleted voter
    # (a rare purge) may scan the table rather than every rebuild maintain one more index.
    ward = models.ForeignKey(
        "wards.Ward", on_delete=models.CASCADE, related_name="target_entries", db_constraint=False, db_index=False
    )
    segment = models.CharField(max_length=16, choices=Segment.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    position = models.PositiveIntegerField(
        help_text="Walking order within the ward's segment: increasing along the walk, not consecutive (the door's "
        "place among the ward's doors, then the voter's among the door's; see wards.services.targets)."
    )
    voter = models.ForeignKey(
        "canvass.Voter", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    # Indexed with the voter, the order and the reason (target_door_voter_idx): a walk list reads each voter's
    # reason at their door from the index alone (canvass.walklists.selectors._reason_sql).
    household = models.ForeignKey(
        "canvass.Household", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    built_at = models.DateTimeField(help_text="When the rebuild that put this entry in place ran.")
    # One number per rebuild, the last column of both unique keys: a rebuild's new keys never equal the
    # dead rows it just deleted, so inserts skip the heap checks that dead duplicates would cost.
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["ward", "segment", "position"]
        verbose_name_plural = "target list entries"
        indexes = [
            # The door first, so it serves every lookup by door too; INCLUDE is PostgreSQL's (elsewhere left out).
            models.Index(
                fields=["household", "voter", "segment", "position"], include=["reason"], name="target_door_voter_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "segment", "voter", "generation"], name="target_one_entry_per_segment"
            ),
            models.UniqueConstraint(
                fields=["ward", "segment", "position", "generation"], name="target_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward} {self.segment} #{self.position}"


class TellerReturn(models.Model):
    """An elector number collected by a teller outside a polling station on polling day."""

    election_date = models.DateField()
    polling_district = models.ForeignKey("wards.PollingDistrict", on_delete=models.PROTECT, related_name="+")
    elector_number = models.PositiveIntegerField()
    elector_suffix = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election_date", "polling_district", "elector_number", "elector_suffix"]
        constraints = [
            # Two tellers taking the same number, or a re-sent batch, record it once.
            models.UniqueConstraint(
                fields=["election_date", "polling_district", "elector_number", "elector_suffix"],
                name="teller_return_once_per_elector",
            ),
        ]

    def __str__(self) -> str:
        suffix = f"/{self.elector_suffix}" if self.elector_suffix else ""
        return f"{self.election_date} {self.polling_district.code}-{self.elector_number}{suffix}"
