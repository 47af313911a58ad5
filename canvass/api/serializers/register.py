from rest_framework import serializers

from canvass.models import Household, Voter


class HouseholdSerializer(serializers.ModelSerializer):
    ward = serializers.IntegerField(source="polling_district.ward_id", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "address", "postcode", "street", "house_number", "polling_district", "ward", "village"]
        read_only_fields = fields


class VoterSerializer(serializers.ModelSerializer):
    """What a volunteer needs at the door."""

    reference = serializers.CharField(read_only=True)
    ward = serializers.IntegerField(source="polling_district.ward_id", read_only=True)

    class Meta:
        model = Voter
        fields = [
            "id",
            "reference",
            "household",
            "polling_district",
            "ward",
            "title",
            "forenames",
            "surname",
            "markers",
            "is_postal_voter",
            "is_proxy_voter",
            "do_not_contact",
            "on_register",
        ]
        read_only_fields = fields


class VoterFullSerializer(VoterSerializer):
    """What organisers and admins see: the register's whole row plus the campaign's flags."""

    franchise = serializers.CharField(read_only=True)
    can_vote_in_council_election = serializers.BooleanField(read_only=True)

    class Meta(VoterSerializer.Meta):
        fields = [
            *VoterSerializer.Meta.fields,
            "elector_number",
            "elector_suffix",
            "attainer_date",
            "franchise",
            "can_vote_in_council_election",
            "do_not_contact_since",
            "left_register_on",
        ]
        read_only_fields = fields
