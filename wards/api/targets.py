"""Read-only ward statistics and target lists, computed by the statistics jobs (wards app).

Statistics are counts, scoped by ward like the wards themselves. Target lists name voters, so
they are for organisers and admins only, and every page read goes to the audit trail.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from canvass.api.audit import AuditedListMixin
from canvass.api.pagination import BigListCursor
from canvass.api.permissions import HasRole, OrganiserOnly
from wards.models import AreaStatistics, Reason, Segment, TargetListEntry, Ward
from wards.selectors import target_list


class WardStatisticsSerializer(serializers.ModelSerializer):
    contact_rate = serializers.DecimalField(max_digits=7, decimal_places=3, read_only=True, allow_null=True)
    split_ticket_share = serializers.DecimalField(max_digits=7, decimal_places=3, read_only=True, allow_null=True)

    class Meta:
        model = AreaStatistics
        fields = [
            "id",
            "ward",
            "computed_at",
            "electors",
            "households",
            "contacted_ever",
            "contacted_recently",
            "contact_rate",
            "outcomes",
            "local_intentions",
            "national_intentions",
            "ours_locally",
            "split_ticket",
            "split_ticket_share",
            "promises",
            "promises_do_not_contact",
            "likely_supporters",
            "undecided",
            "postal_supporters",
            "expected_turnout",
            "expected_votes",
            "votes_needed",
            "winnability",
            "seats_projected_gain",
        ]
        read_only_fields = fields


class WardStatisticsViewSet(viewsets.ReadOnlyModelViewSet):
    """Each ward's last computed statistics; a ward not yet computed has no row."""

    permission_classes = [HasRole]
    serializer_class = WardStatisticsSerializer
    filterset_fields = ["ward"]
    ordering_fields = ["ward", "winnability", "computed_at"]

    def get_queryset(self):
        visible = Ward.objects.visible_to(self.request.user)
        return AreaStatistics.objects.wards().filter(ward__in=visible).order_by("ward__name", "id")


class TargetEntrySerializer(serializers.ModelSerializer):
    voter = serializers.IntegerField(source="voter_id")
    reference = serializers.CharField(source="voter.reference")
    title = serializers.CharField(source="voter.title")
    forenames = serializers.CharField(source="voter.forenames")
    surname = serializers.CharField(source="voter.surname")
    is_postal_voter = serializers.BooleanField(source="voter.is_postal_voter")
    household = serializers.IntegerField(source="household_id")
    address = serializers.CharField(source="household.address")
    reason = serializers.ChoiceField(choices=Reason.choices)

    class Meta:
        model = TargetListEntry
        fields = [
            "id",
            "ward",
            "segment",
            "position",
            "reason",
            "voter",
            "reference",
            "title",
            "forenames",
            "surname",
            "is_postal_voter",
            "household",
            "address",
            "built_at",
        ]
        read_only_fields = fields


class TargetCursor(BigListCursor):
    ordering = ("position", "id")


@extend_schema(
    parameters=[
        OpenApiParameter("ward", int, required=True, description="The ward's id."),
        OpenApiParameter("segment", str, required=True, enum=Segment.values),
    ]
)
class TargetListView(AuditedListMixin, ListAPIView):
    """One segment of a ward's target list in walking order; do-not-contact voters never appear."""

    permission_classes = [OrganiserOnly]
    serializer_class = TargetEntrySerializer
    pagination_class = TargetCursor
    filter_backends = []
    audit_resource = "target_list"

    def get_queryset(self):
        ward_id, segment = self.request.query_params.get("ward"), self.request.query_params.get("segment")
        errors = {}
        if not str(ward_id or "").isdecimal():
            errors["ward"] = ["A ward id is required."]
        if segment not in Segment.values:
            errors["segment"] = [f"One of: {', '.join(Segment.values)}."]
        if errors:
            raise ValidationError(errors)
        ward = get_object_or_404(Ward.objects.visible_to(self.request.user), pk=int(ward_id))
        return target_list(ward=ward, segment=segment)
