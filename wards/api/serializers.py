"""How the API writes wards, polling districts and villages."""

from rest_framework import serializers

from wards.models import PollingDistrict, Village, Ward


class WardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = [
            "id",
            "name",
            "council",
            "ons_code",
            "zone",
            "rollout_order",
            "seats",
            "seats_held",
            "seats_up",
            "last_election_date",
            "last_turnout_votes",
            "expected_turnout_percent",
        ]
        # Organisers keep the campaign's own guesses up to date; the rest comes from the council.
        read_only_fields = [f for f in fields if f not in ("zone", "rollout_order", "expected_turnout_percent")]


class PollingDistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = PollingDistrict
        fields = ["id", "code", "name", "ward"]


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "name", "kind", "ward"]
