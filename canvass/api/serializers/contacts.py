import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from canvass.models import Channel, ContactRecord, Intention, Outcome
from canvass.walklists.selectors import SUMMARY_FIELDS

# A phone's clock may run a little fast; anything further ahead is a typo or a broken clock.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_BATCH = 500

INTENTION_CHOICES = [("", "Not asked"), *Intention.choices]


class ContactItemSerializer(serializers.Serializer):
    """One contact as a phone sends it; ids are plain integers, checked against the caller's scope later."""

    client_uuid = serializers.UUIDField()
    voter = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    household = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    contacted_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.DOOR)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    local_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, default="", allow_blank=True)
    local_party = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    national_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, default="", allow_blank=True)
    national_party = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    likelihood = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False, default=None)
    issues = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=20, required=False, default=list
    )
    wants_postal_vote = serializers.BooleanField(default=False)
    will_take_poster = serializers.BooleanField(default=False)
    wants_to_volunteer = serializers.BooleanField(default=False)
    casework = serializers.BooleanField(default=False)
    do_not_knock = serializers.BooleanField(default=False)
    notes = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")

    def validate_contacted_at(self, value):
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("Is in the future: check the phone's clock.")
        return value

    def validate(self, attrs):
        errors = {}
        if not attrs.get("voter") and not attrs.get("household"):
            errors["voter"] = ["Give a voter or a household (or both)."]
        for scope in ("local", "national"):
            intention, party = attrs.get(f"{scope}_intention"), attrs.get(f"{scope}_party")
            if intention == Intention.PARTY and not party:
                errors[f"{scope}_party"] = [f"Required when {scope}_intention is 'party'."]
            if intention != Intention.PARTY and party:
                errors[f"{scope}_party"] = [f"Only allowed when {scope}_intention is 'party'."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ContactBatchDocSerializer(serializers.Serializer):
    """For the schema: the batch as the phone should send it."""

    contacts = ContactItemSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class ContactResultSerializer(serializers.Serializer):
    client_uuid = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "error"])
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), allow_null=True)
    voter_was_off_register = serializers.BooleanField()


class ContactBatchResultSerializer(serializers.Serializer):
    results = ContactResultSerializer(many=True)


class ContactSummarySerializer(serializers.ModelSerializer):
    """A voter's or door's last contact, as a walk list shows it."""

    local_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)
    national_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)

    class Meta:
        model = ContactRecord
        fields = list(SUMMARY_FIELDS)
        read_only_fields = fields


class ContactRecordSerializer(serializers.ModelSerializer):
    """A stored contact, as organisers list them."""

    # Declared so the schema keeps "" (not asked) among the values; read-only model fields lose allow_blank.
    local_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)
    national_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)

    class Meta:
        model = ContactRecord
        fields = [
            "id",
            "client_uuid",
            "voter",
            "household",
            "ward",
            "volunteer",
            "contacted_at",
            "recorded_at",
            "channel",
            "outcome",
            "local_intention",
            "local_party",
            "national_intention",
            "national_party",
            "likelihood",
            "issues",
            "wants_postal_vote",
            "will_take_poster",
            "wants_to_volunteer",
            "casework",
            "do_not_knock",
            "notes",
            "voter_was_off_register",
        ]
        read_only_fields = fields


class ErrorDetailSerializer(serializers.Serializer):
    """An error that is not about one field, e.g. a body that is not JSON."""

    detail = serializers.CharField()
    code = serializers.CharField()
