"""Polling day: the day's set-up, tellers' entries, knock-up rounds and postal votes returned.

The voted fact itself is `wards.TellerReturn` (one row per elector per election date); a
`TellerEntry` is one number as a teller typed it, with the answer it got, so a replay or an undo
can find it by the phone's client UUID.
"""

import datetime as dt

from django.conf import settings
from django.db import models

OPENS = dt.time(7, 0)
CLOSES = dt.time(22, 0)


class PollingDay(models.Model):
    """Polling day for one election: the wards taking part and the hours the polls are open.

    `election_date` is the election's date, copied when the day is opened: it is what the tellers'
    numbers (`wards.TellerReturn`) and turnout history key on. One polling day per date: polls held
    together on one day share their stations and tellers.
    """

    election = models.OneToOneField(
        "wards.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polling_day",
        help_text="The election this polling day is for (empty only for days opened before elections were kept).",
    )
    election_date = models.DateField(unique=True)
    wards = models.ManyToManyField("wards.Ward", related_name="polling_days")
    opens_at = models.TimeField(default=OPENS)
    closes_at = models.TimeField(default=CLOSES)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    turnout_recorded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the day's teller numbers became turnout history."
    )

    class Meta:
        ordering = ["-election_date"]

    def __str__(self) -> str:
        return f"Polling day {self.election_date:%d %B %Y}"

    @property
    def closes(self) -> dt.datetime:
        """When the polls close, as an aware time."""
        from django.utils import timezone

        return timezone.make_aware(dt.datetime.combine(self.election_date, self.closes_at))


class PollingStation(models.Model):
    """Where tellers stand: the polling district (or several) that vote there."""

    polling_day = models.ForeignKey(PollingDay, on_delete=models.CASCADE, related_name="stations")
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    districts = models.ManyToManyField("wards.PollingDistrict", related_name="polling_stations")
    tellers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teller_stations", help_text="Tellers at this station."
    )

    class Meta:
        ordering = ["polling_day", "ward", "name"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    ALREADY_RECORDED = "already_recorded", "Already recorded"
    NOT_ON_REGISTER = "not_on_register", "Not on the register"
    OTHER_STATION = "other_station", "Another station's district"
    UNKNOWN_DISTRICT = "unknown_district", "No such polling district"
    UNREADABLE = "unreadable", "Not a number we can read"
    OUTSIDE_HOURS = "outside_hours", "Outside opening hours"


class TellerEntry(models.Model):
    """One number a teller (or the committee room, from a teller's sheet) typed, and its answer."""

    client_uuid = models.UUIDField(unique=True)
    station = models.ForeignKey(PollingStation, on_delete=models.CASCADE, related_name="entries")
    typed = models.CharField(max_length=40)
    district = models.ForeignKey("wards.PollingDistrict", on_delete=models.PROTECT, null=True, related_name="+")
    elector_number = models.PositiveIntegerField(null=True)
    elector_suffix = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    answer = models.CharField(max_length=200, help_text="What the teller was told.")
    teller_return = models.OneToOneField(
        "wards.TellerReturn", on_delete=models.SET_NULL, null=True, blank=True, related_name="entry"
    )
    promise = models.BooleanField(
        default=False,
        help_text="The elector was an in-person promise when the number was taken (what the board counts).",
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    keyed_from_sheet = models.BooleanField(default=False)
    entered_at = models.DateTimeField(help_text="When the number was taken, on the server's clock.")
    clock_offset_seconds = models.IntegerField(default=0, help_text="How far the phone's clock was off.")
    received_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-entered_at"]
        verbose_name_plural = "teller entries"
        indexes = [
            models.Index(fields=["station", "entered_at"], name="teller_entry_station_time"),
            # The board's last entry per station and a station's latest entries: the top of this index.
            models.Index(fields=["station", "-received_at"], name="teller_entry_station_received"),
            # The board's promises voted, per district: only the entries that count are in it.
            # The board's promises voted per district, for the day's stations, from the index alone.
            models.Index(
                fields=["district", "station"],
                condition=models.Q(outcome="recorded", promise=True, undone_at=None),
                name="teller_entry_promise_voted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.typed} ({self.outcome})"


class KnockUpRound(models.Model):
    """A stretch of a ward's knock-up list, street by street, given to one volunteer."""

    polling_day = models.ForeignKey(PollingDay, on_delete=models.CASCADE, related_name="rounds")
    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="knock_up_rounds"
    )
    sent_out_at = models.DateTimeField(null=True, blank=True)
    back_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["polling_day", "ward", "number"]
        constraints = [
            models.UniqueConstraint(fields=["polling_day", "ward", "number"], name="knock_up_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.ward} round {self.number}"


class KnockUpDoor(models.Model):
    """A promise on a round, in walking order; struck off when the tellers see them vote."""

    round = models.ForeignKey(KnockUpRound, on_delete=models.CASCADE, related_name="doors")
    voter = models.ForeignKey("canvass.Voter", on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("canvass.Household", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "voter"], name="knock_up_door_once")]

    def __str__(self) -> str:
        return f"{self.round} #{self.position}"


class PostalVoteReturned(models.Model):
    """A postal-vote promise who says their ballot is back: never knocked up, off the chase list."""

    polling_day = models.ForeignKey(PollingDay, on_delete=models.CASCADE, related_name="postal_returns")
    voter = models.ForeignKey("canvass.Voter", on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["polling_day", "voter"], name="postal_returned_once")]

    def __str__(self) -> str:
        return f"postal vote returned ({self.polling_day})"
