"""`GET /api/v1/walk-lists/{id}/changes/?since=<token>`: what changed at a list's doors since a token
(canvass.walklists.changes). Documentation serializers: the view answers the selector's dict as it is."""

from rest_framework import serializers


class ChangedRecordSerializer(serializers.Serializer):
    """The voter's latest spoken record since the list was cut, when the caller may correct it ("change"), as the
    phone sends it; a field at its default (empty, false, null) is left out."""

    client_uuid = serializers.UUIDField()
    voter = serializers.IntegerField()
    household = serializers.IntegerField()
    contacted_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    local_intention = serializers.CharField(allow_blank=True, required=False)
    local_party = serializers.IntegerField(allow_null=True, required=False)
    national_intention = serializers.CharField(allow_blank=True, required=False)
    national_party = serializers.IntegerField(allow_null=True, required=False)
    likelihood = serializers.IntegerField(allow_null=True, required=False)
    issues = serializers.ListField(child=serializers.CharField(), required=False)
    wants_postal_vote = serializers.BooleanField(required=False)
    will_take_poster = serializers.BooleanField(required=False)
    wants_to_volunteer = serializers.BooleanField(required=False)
    casework = serializers.BooleanField(required=False)
    do_not_knock = serializers.BooleanField(required=False)
    notes = serializers.CharField(allow_blank=True, required=False)
    answers = serializers.ListField(child=serializers.DictField(), required=False)


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
    newcomers = serializers.ListField(
        child=serializers.CharField(), help_text="People met here who are not on the register yet: their names."
    )
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
