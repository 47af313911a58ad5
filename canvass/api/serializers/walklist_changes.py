"""`GET /api/v1/walk-lists/{id}/changes/?since=<token>`: what changed at a list's doors since a token
(canvass.walklists.changes). Documentation serializers: the view answers the selector's dict as it is."""

from rest_framework import serializers


class ChangedRecordSerializer(serializers.Serializer):
    """The voter's latest spoken record, when the caller may correct it ("change"), as the phone sends it."""

    client_uuid = serializers.UUIDField()
    voter = serializers.IntegerField()
    household = serializers.IntegerField()
    contacted_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    local_intention = serializers.CharField(allow_blank=True)
    local_party = serializers.IntegerField(allow_null=True)
    national_intention = serializers.CharField(allow_blank=True)
    national_party = serializers.IntegerField(allow_null=True)
    likelihood = serializers.IntegerField(allow_null=True)
    issues = serializers.ListField(child=serializers.CharField())
    wants_postal_vote = serializers.BooleanField()
    will_take_poster = serializers.BooleanField()
    wants_to_volunteer = serializers.BooleanField()
    casework = serializers.BooleanField()
    do_not_knock = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True)
    answers = serializers.ListField(child=serializers.DictField())


class ChangedVoterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.CharField(allow_blank=True, help_text="The last contact's local time (ISO), or empty.")
    summary = serializers.CharField(allow_blank=True, help_text="The last contact in a line, or empty.")
    do_not_contact = serializers.BooleanField()
    record = ChangedRecordSerializer(allow_null=True)


class ChangedDoorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.CharField(allow_blank=True, help_text="The door's own last contact's local time, or empty.")
    state = serializers.CharField(allow_blank=True, help_text="What happened here since the list was cut.")
    knocked = serializers.BooleanField()
    to_do = serializers.BooleanField()
    knockable = serializers.BooleanField()
    not_in = serializers.BooleanField()
    voters = ChangedVoterSerializer(many=True)


class ChangesProgressSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    knocked = serializers.IntegerField()
    contacts = serializers.IntegerField()
    to_do = serializers.IntegerField()


class WalkListChangesSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Ask with this next time.")
    structure_changed = serializers.BooleanField(
        help_text="The list's doors, voters or target reasons changed (or the token is not one of ours): load it again."
    )
    doors = ChangedDoorSerializer(many=True, help_text="Only the doors whose contacts or do-not-contact changed.")
    progress = ChangesProgressSerializer(allow_null=True, help_text="The list's figures, when anything changed.")
