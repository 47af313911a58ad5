from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canvass.api.serializers.contacts import ContactSummarySerializer
from canvass.api.serializers.fields import IdRelatedField
from canvass.models import Household, Role, WalkList
from canvass.models.people import display_name
from canvass.scoping import polling_districts_visible_to, villages_visible_to
from canvass.sql import is_postgres
from canvass.walklists.selectors import SUMMARY_FIELDS, walk_list_detail, walk_list_households_json
from wards.models import PollingDistrict, Reason, Segment, Village, Ward


def _iso(value, zone) -> str:
    """As DRF writes datetimes (local time zone, 'Z' for UTC), without its per-call settings lookups."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _summary(row: dict | None, zone) -> dict | None:
    if row is None:
        return None
    summary = {name: row[name] for name in SUMMARY_FIELDS}
    summary["client_uuid"] = str(row["client_uuid"])
    summary["contacted_at"] = _iso(row["contacted_at"], zone)
    return summary


class IdList(serializers.ManyRelatedField):
    """A JSON list of ids. DRF's ManyRelatedField takes any iterable, so an object (`{}`) was read as its keys:
    an assignment of nobody, answered 200."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def id_list(queryset, **kwargs) -> IdList:
    return IdList(child_relation=IdRelatedField(queryset=queryset), **kwargs)


class WardRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = ["id", "name"]


class AssignedVolunteerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(help_text="Full name, falling back to the username.")


class WalkListSerializer(serializers.ModelSerializer):
    ward = WardRefSerializer(read_only=True)
    households_count = serializers.IntegerField(read_only=True)
    assigned_to = serializers.SerializerMethodField()
    assigned_volunteers = serializers.SerializerMethodField()

    class Meta:
        model = WalkList
        fields = [
            "id",
            "name",
            "ward",
            "created_at",
            "households_count",
            "assigned_to",
            "assigned_volunteers",
            "source",
            "created_by",
        ]
        read_only_fields = fields

    def get_assigned_to(self, walk_list) -> list[int]:
        return [user.pk for user in walk_list.assigned_to.all()]

    @extend_schema_field(AssignedVolunteerSerializer(many=True))
    def get_assigned_volunteers(self, walk_list) -> list[dict]:
        return [{"id": user.pk, "display_name": display_name(user)} for user in walk_list.assigned_to.all()]


class WalkListVoterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    forenames = serializers.CharField()
    surname = serializers.CharField()
    markers = serializers.CharField()
    is_postal_voter = serializers.BooleanField()
    do_not_contact = serializers.BooleanField()
    on_register = serializers.BooleanField()
    target_reason = serializers.ChoiceField(
        choices=Reason.choices, allow_null=True, help_text="Why the voter is on the ward's target list, if they are."
    )
    last_contact = ContactSummarySerializer(allow_null=True)


class WalkListHouseholdSerializer(serializers.Serializer):
    """A door on the list: plain dicts from `walk_list_tree`, so this only picks the fields and renders the
    contact summaries."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    address = serializers.CharField()
    street = serializers.CharField()
    house_number = serializers.IntegerField(allow_null=True)
    postcode = serializers.CharField()
    knockable = serializers.BooleanField(help_text="False when every voter here asked not to be contacted.")
    do_not_contact = serializers.BooleanField(help_text="Every voter here asked not to be contacted.")
    last_contact = ContactSummarySerializer(allow_null=True, help_text="The last contact with the door itself.")
    voters = WalkListVoterSerializer(many=True)

    def to_representation(self, door):
        # The time zone looked up once for the list's ~1,000 contacts (each lookup goes through a context local).
        zone = self.__dict__.get("_zone") or self.__dict__.setdefault("_zone", timezone.get_current_timezone())
        shown = {name: door[name] for name in DOOR_OUT}
        shown["last_contact"] = _summary(door["last_contact"], zone)
        shown["voters"] = [
            {**{name: voter[name] for name in VOTER_OUT}, "last_contact": _summary(voter["last_contact"], zone)}
            for voter in door["voters"]
        ]
        return shown


DOOR_OUT = ("id", "position", "address", "street", "house_number", "postcode", "knockable", "do_not_contact")
VOTER_OUT = tuple(name for name in WalkListVoterSerializer._declared_fields if name != "last_contact")


class ProgressSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    knocked = serializers.IntegerField(help_text="Households with any contact since the list was cut.")
    contacts = serializers.IntegerField(help_text="Contacts at the list's households since it was cut.")
    to_do = serializers.IntegerField(help_text="Knockable households not yet answered ('not in' stays to do).")


class WalkListDetailSerializer(WalkListSerializer):
    progress = ProgressSerializer(read_only=True)
    households = WalkListHouseholdSerializer(many=True, read_only=True, source="doors")

    class Meta(WalkListSerializer.Meta):
        fields = [*WalkListSerializer.Meta.fields, "progress", "households"]
        read_only_fields = fields


def walk_list_detail_answer(walk_list: WalkList) -> dict:
    """The full detail of a list (`WalkListDetailSerializer`). On PostgreSQL its households and progress are
    built there as JSON (`walk_list_households_json`: ~1,000 contacts and ~900 voters not turned into dicts,
    summaries and JSON again here); elsewhere by the serializer over the tree. The same answer either way."""
    if not is_postgres():
        return WalkListDetailSerializer(walk_list_detail(walk_list)).data
    built = walk_list_households_json(walk_list)
    walk_list.progress = built["progress"]
    walk_list.households_count = built["progress"]["households"]
    walk_list.doors = []
    data = WalkListDetailSerializer(walk_list).data
    data["households"] = built["households"]
    return data


class WalkListCutSerializer(serializers.Serializer):
    """How an organiser cuts a list: a ward, polling district, village, streets or chosen households."""

    name = serializers.CharField(max_length=120)
    ward = IdRelatedField(queryset=Ward.objects.all(), required=False, allow_null=True)
    polling_district = IdRelatedField(queryset=PollingDistrict.objects.all(), required=False, allow_null=True)
    village = IdRelatedField(queryset=Village.objects.all(), required=False, allow_null=True)
    streets = serializers.ListField(child=serializers.CharField(max_length=120), required=False, max_length=200)
    households = id_list(Household.objects.all(), required=False)
    target_segment = serializers.ChoiceField(
        choices=Segment.choices, required=False, help_text="Cut from this segment of the ward's target list."
    )
    assign_to = id_list(get_user_model().objects.filter(is_active=True), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request is not None else None
        # Scope the choices: a ward, district or door outside the organiser's wards is simply not found.
        self.fields["ward"].queryset = Ward.objects.visible_to(user)
        self.fields["polling_district"].queryset = polling_districts_visible_to(PollingDistrict.objects.all(), user)
        self.fields["village"].queryset = villages_visible_to(Village.objects.all(), user)
        self.fields["households"].child_relation.queryset = Household.objects.visible_to(user)
        self.fields["assign_to"].child_relation.queryset = assignable_users()

    def validate(self, attrs):
        if attrs.get("target_segment") and not attrs.get("ward"):
            raise serializers.ValidationError({"ward": ["A target list belongs to a ward: give the ward."]})
        if not any(attrs.get(key) for key in ("ward", "polling_district", "village", "households")):
            raise serializers.ValidationError(
                {"ward": ["Give a ward, a polling district, a village or households to cut from."]}
            )
        return attrs


class WalkListAssignSerializer(serializers.Serializer):
    assign_to = id_list(get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign_to"].child_relation.queryset = assignable_users()


def assignable_users():
    """Campaign members who can walk a list: active users with a role."""
    return get_user_model().objects.filter(is_active=True, profile__role__in=[Role.VOLUNTEER, Role.ORGANISER])
