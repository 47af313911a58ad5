"""How the API writes wards, polling districts and villages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wards.models import PollingDistrict, Village, Ward

# 0 to 100 with at most one decimal, as a string, or "" (or null) for none: the generated pattern also allowed
# "-", "." and 999.
PERCENT = {"type": "string", "format": "decimal", "pattern": r"^(|100(\.0)?|\d{1,2}(\.\d)?)$", "nullable": True}


@extend_schema_field(PERCENT)
class PercentField(serializers.DecimalField):
    """As documented: a string (a JSON number was taken too, outside the schema)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError('Give the percentage as a string, e.g. "33.5".')
        return super().to_internal_value(data)


class WardSerializer(serializers.ModelSerializer):
    council_electors = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Council electors on the register, from the ward's last computed statistics (null before).",
    )
    households = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Addresses with at least one council elector on the register, from the same statistics.",
    )
    expected_turnout_percent = PercentField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100, allow_null=True, required=False
    )

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
            "council_electors",
            "households",
        ]
        # Organisers keep the campaign's own guesses up to date; the rest comes from the council.
        read_only_fields = [f for f in fields if f not in ("zone", "rollout_order", "expected_turnout_percent")]


class PollingDistrictSerializer(serializers.ModelSerializer):
    council_electors = serializers.IntegerField(
        source="n_electors", read_only=True, help_text="Council electors on the register in the district."
    )
    households = serializers.IntegerField(
        source="n_households",
        read_only=True,
        help_text="Addresses in the district with at least one council elector on the register.",
    )

    class Meta:
        model = PollingDistrict
        fields = ["id", "code", "name", "ward", "council_electors", "households"]


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "name", "kind", "ward"]
