import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    DOOR = "door", "Door"
    PHONE = "phone", "Phone"
    STREET_STALL = "street_stall", "Street stall"
    LEAFLET = "leaflet", "Leaflet drop"


class Outcome(models.TextChoices):
    SPOKE = "spoke", "Spoke"
    NOT_IN = "not_in", "Not in"
    REFUSED = "refused", "Refused"
    MOVED_AWAY = "moved_away", "Moved away"
    DECEASED = "deceased", "Deceased"
    INACCESSIBLE = "inaccessible", "Inaccessible"


class Intention(models.TextChoices):
    """How a voter says they will vote; PARTY goes with the party they name."""

    PARTY = "party", "A party"
    UNDECIDED = "undecided", "Undecided"
    WONT_SAY = "wont_say", "Won't say"
    WONT_VOTE = "wont_vote", "Won't vote"
    AGAINST = "against", "Against us"


class Likelihood(models.IntegerChoices):
    """How firm the voter is for us: 5 is a promise, 1 is against."""

    AGAINST = 1, "Against"
    LEANING_AWAY = 2, "Leaning away"
    UNDECIDED = 3, "Undecided"
    PROBABLE = 4, "Probable"
    PROMISE = 5, "Promise"


# What a contact records about the vote, in the order every listing shows it (admin, API, demo).
ANSWER_FIELDS = ("local_intention", "local_party", "national_intention", "national_party", "likelihood")
# What else it records: the follow-ups, the volunteer's note, and do-not-knock.
FOLLOW_UP_FIELDS = (
    "issues",
    "wants_postal_vote",
    "will_take_poster",
    "wants_to_volunteer",
    "casework",
    "do_not_knock",
    "notes",
)


class ContactRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        from canvass.scoping import contacts_visible_to

        return contacts_visible_to(self, user)

    def correctable_by(self, user):
        from canvass.scoping import contacts_correctable_by

        return contacts_correctable_by(self, user)


class ContactRecord(models.Model):
    """One doorstep (or phone, stall, leaflet) contact with a voter or a household."""

    client_uuid = models.UUIDField(
        default=uuid.uuid4, unique=True, help_text="Made by the phone, so a replayed sync creates nothing new."
    )
    # Not indexed alone: contact_voter_latest_idx (voter, -contacted_at) serves every lookup by voter, and
    # each index is one more write per synced contact.
    voter = models.ForeignKey(
        "canvass.Voter", on_delete=models.CASCADE, null=True, blank=True, related_name="contacts", db_index=False
    )
    # Indexed with the date (contact_household_date_idx below) rather than alone: "since the list was cut"
    # then reads only the contacts since, however many a door had before.
    household = models.ForeignKey(
        "canvass.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    # The ward at the time of contact, kept on the row so ward-by-date reports need no joins.
    # Indexed with the date (contact_ward_date_idx), which serves lookups by ward alone too.
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="contacts", db_index=False)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts_made"
    )
    contacted_at = models.DateTimeField(help_text="When it happened on the doorstep.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.DOOR)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    local_intention = models.CharField(max_length=10, choices=Intention.choices, blank=True)
    local_party = models.ForeignKey("wards.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    national_intention = models.CharField(max_length=10, choices=Intention.choices, blank=True)
    national_party = models.ForeignKey("wards.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    issues = models.JSONField(default=list, blank=True, help_text="Issues raised, e.g. potholes, housing.")
    wants_postal_vote = models.BooleanField(default=False)
    will_take_poster = models.BooleanField("will take a poster or board", default=False)
    wants_to_volunteer = models.BooleanField(default=False)
    casework = models.BooleanField("casework to follow up", default=False)
    do_not_knock = models.BooleanField("do not knock again", default=False)
    notes = models.TextField(blank=True)
    voter_was_off_register = models.BooleanField(
        default=False, help_text="The voter had left the register when this contact arrived; kept, not dropped."
    )
    # A correction made at the door ("change") is a new row pointing at the record it corrects; the old row
    # stays as it was (the trail of who recorded what), marked superseded so that counts skip it
    # (canvass.rules.COUNTED_CONTACT).
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The record this one corrects.",
    )
    is_superseded = models.BooleanField(default=False, help_text="A later correction replaces this record.")

    objects = ContactRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_at", "-id"]
        indexes = [
            # A voter's last contact (walk lists, newest first, the id breaking a tie): one probe, no sort.
            models.Index(fields=["voter", "-contacted_at", "-id"], name="contact_voter_latest_idx"),
            models.Index(fields=["ward", "contacted_at"], name="contact_ward_date_idx"),
            # A door's last household-level contact ("not in") for walk lists: one index probe per door.
            models.Index(
                fields=["household", "-contacted_at", "-id"],
                condition=Q(voter__isnull=True),
                name="contact_door_latest_idx",
            ),
            models.Index(fields=["-contacted_at", "-id"], name="contact_recent_idx"),
            models.Index(fields=["household", "-contacted_at", "-id"], name="contact_household_date_idx"),
            # Each voter's latest reading (wards/services/sql.py latest_cte) straight from the index, in
            # DISTINCT ON order and without visiting the table: one ordered pass for every voter, or a
            # probe per voter for one ward. A reading corrected at the door (superseded) is no reading.
            models.Index(
                fields=["voter", "-contacted_at", "-id"],
                include=["local_intention", "local_party", "national_intention", "national_party", "likelihood"],
                condition=Q(outcome="spoke", is_superseded=False),
                name="contact_voter_reading_idx",
            ),
            # The few contacts that keep a voter off every target list.
            models.Index(
                fields=["voter"],
                condition=Q(do_not_knock=True) | Q(outcome__in=["moved_away", "deceased"]),
                name="contact_voter_blocking_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(voter__isnull=False) | Q(household__isnull=False), name="contact_has_voter_or_household"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5),
                name="contact_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(local_intention="party", local_party__isnull=False)
                | (~Q(local_intention="party") & Q(local_party__isnull=True)),
                name="contact_local_party_iff_party_intention",
            ),
            models.CheckConstraint(
                condition=Q(national_intention="party", national_party__isnull=False)
                | (~Q(national_intention="party") & Q(national_party__isnull=True)),
                name="contact_national_party_iff_party_intention",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.client_uuid} ({self.get_outcome_display()})"
