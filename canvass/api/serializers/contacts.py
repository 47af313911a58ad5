import datetime as dt

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canvass.api.contact_items import (
    BIGINT_MAX,
    ISSUE_LENGTH,
    ISSUES_MAX,
    LIKELIHOOD,
    NOTES_LENGTH,
    contact_item_validate,
)
from canvass.models import Channel, ContactRecord, Intention, Outcome
from canvass.models.contacts import ANSWER_FIELDS, FOLLOW_UP_FIELDS
from canvass.walklists.selectors import SUMMARY_FIELDS

MAX_BATCH = 500

INTENTION_CHOICES = [("", "Not asked"), *Intention.choices]


def _id_field():
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, allow_null=True, required=False, default=None)


class AnswerItemSerializer(serializers.Serializer):
    """One survey answer as a phone sends it: the question, the version it was asked as, and the value
    (a choice's text, a list of them for several choices, "Yes"/"No" or true/false, a whole number, a text)."""

    question = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1)
    value = serializers.JSONField()


class ContactItemSerializer(serializers.Serializer):
    """One contact as a phone sends it; ids are plain integers, checked against the caller's scope later.

    The fields describe the item for the schema; validation is `contact_item_validate`'s, the one
    implementation of the rules (the sync calls it directly, for speed).
    """

    client_uuid = serializers.UUIDField()
    voter = _id_field()
    household = _id_field()
    contacted_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.DOOR)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    local_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, default="", allow_blank=True)
    local_party = _id_field()
    national_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, default="", allow_blank=True)
    national_party = _id_field()
    likelihood = serializers.IntegerField(
        min_value=LIKELIHOOD[0], max_value=LIKELIHOOD[1], allow_null=True, required=False, default=None
    )
    issues = serializers.ListField(
        child=serializers.CharField(max_length=ISSUE_LENGTH), max_length=ISSUES_MAX, required=False, default=list
    )
    wants_postal_vote = serializers.BooleanField(default=False)
    will_take_poster = serializers.BooleanField(default=False)
    wants_to_volunteer = serializers.BooleanField(default=False)
    casework = serializers.BooleanField(default=False)
    do_not_knock = serializers.BooleanField(default=False)
    notes = serializers.CharField(max_length=NOTES_LENGTH, allow_blank=True, required=False, default="")
    answers = AnswerItemSerializer(many=True, required=False, help_text="Survey answers; only with a voter.")

    def to_internal_value(self, data):
        item, errors = contact_item_validate(data)
        if errors:
            raise serializers.ValidationError(errors)
        return item


class ContactBatchDocSerializer(serializers.Serializer):
    """For the schema: the batch as the phone should send it."""

    # Any value is taken and answered on its own (a ContactItem is stored, anything else is that item's error),
    # so one bad item never costs the batch.
    contacts = serializers.ListField(
        child=serializers.JSONField(help_text="A ContactItem."), min_length=1, max_length=MAX_BATCH
    )


class ContactResultSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(
        allow_null=True, help_text="The item's UUID; null when it sent none that is a UUID (see `errors`)."
    )
    status = serializers.ChoiceField(choices=["ok", "error", "conflict"])
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), allow_null=True)
    voter_was_off_register = serializers.BooleanField()


class ContactBatchResultSerializer(serializers.Serializer):
    results = ContactResultSerializer(many=True)


class StoredDateTimeField(serializers.DateTimeField):
    """A stored time shown in local time, or in UTC when local time cannot hold it (year 1 before the
    offset): a bad row from before validation was bounded must not break the listing."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except serializers.ValidationError:
            return value.astimezone(dt.UTC)


class StoredRowSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping}
    serializer_field_mapping[models.DateTimeField] = StoredDateTimeField


class ContactSummarySerializer(StoredRowSerializer):
    """A voter's or door's last contact, as a walk list shows it."""

    local_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)
    national_intention = serializers.ChoiceField(choices=INTENTION_CHOICES, allow_blank=True, read_only=True)

    class Meta:
        model = ContactRecord
        fields = list(SUMMARY_FIELDS)
        read_only_fields = fields


class StoredAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    version = serializers.IntegerField()
    wording = serializers.CharField(help_text="The wording the answer was given to.")
    value = serializers.JSONField(help_text="A choice, a list of choices, a number or a text.")


def answers_as_items(answers) -> list[dict]:
    """A contact's stored answer rows as one item per question (several choices as a list)."""
    items: dict[int, dict] = {}
    for answer in answers:
        version = answer.version
        item = items.setdefault(
            answer.question_id,
            {"question": answer.question_id, "version": version.number, "wording": version.wording, "value": None},
        )
        if answer.question.kind == "multiple":
            item["value"] = [*(item["value"] or []), answer.choice]
        else:
            item["value"] = answer.value
    return list(items.values())


class ContactRecordSerializer(StoredRowSerializer):
    """A stored contact, as organisers list them."""

    answers = serializers.SerializerMethodField()

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
            *ANSWER_FIELDS,
            *FOLLOW_UP_FIELDS,
            "voter_was_off_register",
            "answers",
        ]
        read_only_fields = fields

    @extend_schema_field(StoredAnswerSerializer(many=True))
    def get_answers(self, record) -> list[dict]:
        return answers_as_items(record.answers.all())


class ErrorDetailSerializer(serializers.Serializer):
    """An error that is not about one field, e.g. a body that is not JSON."""

    detail = serializers.CharField()
    code = serializers.CharField()
