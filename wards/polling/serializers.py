import datetime as dt

from django.contrib.auth import get_user_model
from rest_framework import serializers

from canvass.api.serializers.fields import IdRelatedField
from wards.models import Election
from wards.polling.models import KnockUpRound, Outcome, PollingDay, PollingStation, TellerEntry

MAX_BATCH = 200
# Plain text in the schema: an enum here would collide with the contacts' `outcome` enum's name.
OUTCOMES_HELP = "One of: " + ", ".join(value for value, _ in Outcome.choices) + " (or error, for a malformed item)."


class StationSerializer(serializers.ModelSerializer):
    election_date = serializers.DateField(source="polling_day.election_date")
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    opens_at = serializers.TimeField(source="polling_day.opens_at")
    closes_at = serializers.TimeField(source="polling_day.closes_at")

    class Meta:
        model = PollingStation
        fields = ["id", "name", "ward", "election_date", "districts", "opens_at", "closes_at"]


# A phone's clock may be off (the answer says by how much and the entry is corrected), but not by centuries:
# correcting one time by the gap of another that far off fell outside the dates Python can hold (a 500).
PHONE_CLOCK_RANGE = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


class PhoneTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        low, high = PHONE_CLOCK_RANGE
        if not low <= parsed < high:
            message = f"Give a time between {low.year} and {high.year}: check the phone's clock."
            raise serializers.ValidationError(message)
        return parsed


class EntryItemSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    typed = serializers.CharField(max_length=40, allow_blank=True, trim_whitespace=False)
    entered_at = PhoneTimeField(required=False, help_text="When the number was taken, phone's clock.")
    sent_at = PhoneTimeField(required=False, help_text="When the phone sent it, phone's clock.")
    keyed_from_sheet = serializers.BooleanField(default=False, help_text="Keyed in the committee room.")


class EntryBatchSerializer(serializers.Serializer):
    entries = EntryItemSerializer(many=True)


class EntryAnswerSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(allow_null=True, help_text="As sent; null when the entry sent no UUID.")
    outcome = serializers.CharField(help_text=OUTCOMES_HELP)
    ok = serializers.BooleanField()
    message = serializers.CharField()
    reference = serializers.CharField()
    clock_offset_seconds = serializers.IntegerField()
    replayed = serializers.BooleanField()


class EntryBatchAnswerSerializer(serializers.Serializer):
    results = EntryAnswerSerializer(many=True)


class EntrySerializer(serializers.ModelSerializer):
    """A teller's entry as numbers only: no names reach a teller's phone."""

    reference = serializers.SerializerMethodField()
    outcome = serializers.CharField(help_text=OUTCOMES_HELP)

    class Meta:
        model = TellerEntry
        fields = ["id", "client_uuid", "typed", "reference", "outcome", "answer", "entered_at", "undone_at"]

    def get_reference(self, entry) -> str:
        from wards.polling.services import entry_reference

        return entry_reference(entry)


class HourCountSerializer(serializers.Serializer):
    hour = serializers.DateTimeField()
    recorded = serializers.IntegerField()


class DoorSerializer(serializers.Serializer):
    voter_id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    street = serializers.CharField()
    position = serializers.IntegerField()
    voted = serializers.BooleanField()


class RoundSerializer(serializers.ModelSerializer):
    ward_name = serializers.CharField(source="ward.name")
    election_date = serializers.DateField(source="polling_day.election_date")

    class Meta:
        model = KnockUpRound
        fields = ["id", "number", "ward", "ward_name", "election_date", "sent_out_at", "back_at"]


class RoundDetailSerializer(RoundSerializer):
    """For the schema: a round with the doors still to knock and when the phone loaded them."""

    doors = DoorSerializer(many=True, read_only=True)
    loaded_at = serializers.DateTimeField(read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "loaded_at", "doors"]


class BoardRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    electorate = serializers.IntegerField()
    voted = serializers.IntegerField()
    promises = serializers.IntegerField()
    promises_voted = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    postal_promises = serializers.IntegerField()
    turnout_percent = serializers.FloatField()
    rounds_out = serializers.IntegerField()
    rounds_back = serializers.IntegerField()
    last_entry_at = serializers.DateTimeField(allow_null=True)


class BoardSerializer(serializers.Serializer):
    election_date = serializers.DateField(source="polling_day.election_date")
    stations = BoardRowSerializer(many=True)
    wards = BoardRowSerializer(many=True)


class PollingDaySerializer(serializers.ModelSerializer):
    """Polling day for an election; its date is the election's."""

    serializer_related_field = IdRelatedField  # the wards
    election = IdRelatedField(queryset=Election.objects.all(), help_text="The election's id.")
    election_name = serializers.SerializerMethodField()

    class Meta:
        model = PollingDay
        fields = [
            "id",
            "election",
            "election_name",
            "election_date",
            "wards",
            "opens_at",
            "closes_at",
            "turnout_recorded_at",
        ]
        read_only_fields = ["election_date", "turnout_recorded_at"]

    def get_election_name(self, day) -> str:
        return str(day.election) if day.election_id else ""


class RoundBuildSerializer(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=500, help_text="Voters per round.")


class RoundSendSerializer(serializers.Serializer):
    volunteer = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.all())


class TellerAssignSerializer(serializers.Serializer):
    teller = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), help_text="Their username."
    )


class TellerAssignedSerializer(serializers.Serializer):
    station = serializers.IntegerField()
    left_station = serializers.IntegerField(allow_null=True, help_text="The station of the day they tell at no more.")


class PostalPromiseSerializer(serializers.Serializer):
    voter_id = serializers.IntegerField()
    reference = serializers.CharField(source="voter.reference")
    name = serializers.SerializerMethodField()
    address = serializers.CharField(source="household.address")
    returned = serializers.BooleanField()

    def get_name(self, entry) -> str:
        return f"{entry.voter.forenames} {entry.voter.surname}".strip()
