from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canvass.api.audit import AuditedListMixin
from canvass.api.filters import IdFilter, IdFilterSet
from canvass.api.pagination import BigListCursor
from canvass.api.permissions import HasRole, OrganiserOnly
from canvass.api.serializers.register import HouseholdSerializer, VoterFullSerializer, VoterSerializer
from canvass.models import AuditAction, Household, Role, Voter
from canvass.privacy.services.objections import CannotWithdraw, TooManyMarks, voter_marks_withdraw
from canvass.scoping import role_of
from canvass.services.voters import voter_do_not_contact_record
from wards.exports import csv_text

EXPORT_COLUMNS = (
    "id",
    "polling_district__code",
    "elector_number",
    "elector_suffix",
    "title",
    "forenames",
    "surname",
    "markers",
    "household__address",
    "household__postcode",
    "is_postal_voter",
    "is_proxy_voter",
    "do_not_contact",
    "on_register",
)
EXPORT_HEADER = [column.split("__")[-1] for column in EXPORT_COLUMNS]
EXPORT_HEADER[1] = "polling_district"


class HouseholdFilter(IdFilterSet):
    ward = IdFilter(field_name="polling_district__ward")
    walk_list = IdFilter(field_name="walk_list_stops__walk_list")

    class Meta:
        model = Household
        fields = ["ward", "polling_district", "village", "street", "walk_list"]


class VoterFilter(IdFilterSet):
    """Filters by ids and flags only: names and elector numbers never travel in a URL."""

    ward = IdFilter(field_name="polling_district__ward")
    walk_list = IdFilter(field_name="household__walk_list_stops__walk_list")

    class Meta:
        model = Voter
        fields = [
            "ward",
            "polling_district",
            "household",
            "walk_list",
            "on_register",
            "do_not_contact",
            "is_postal_voter",
            "is_proxy_voter",
        ]


class HouseholdViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
    serializer_class = HouseholdSerializer
    pagination_class = BigListCursor
    filterset_class = HouseholdFilter
    ordering_fields = ["id", "street", "house_number"]
    audit_resource = "household"

    def get_queryset(self):
        return Household.objects.visible_to(self.request.user).select_related("polling_district")


class VoterViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):
    """Voters in the caller's reach; every page handed out is written to the audit trail."""

    permission_classes = [HasRole]
    pagination_class = BigListCursor
    filterset_class = VoterFilter
    ordering_fields = ["id", "elector_number"]
    audit_resource = "voter"

    def get_queryset(self):
        return Voter.objects.visible_to(self.request.user).select_related("polling_district")

    def get_serializer_class(self):
        if role_of(self.request.user) == Role.VOLUNTEER:
            return VoterSerializer
        return VoterFullSerializer

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"], permission_classes=[OrganiserOnly], pagination_class=None)
    def export(self, request):
        """The contactable voters in reach (filters apply) as CSV, for printing rounds; recorded as an export."""
        voters = (
            self.filter_queryset(self.get_queryset())
            .contactable()  # an objection keeps a voter off every printed round
            .order_by("polling_district__code", "elector_number", "id")
        )
        rows = list(voters.values_list(*EXPORT_COLUMNS))
        self.audit(AuditAction.EXPORT, [row[0] for row in rows])
        # The site's one CSV writer: cells a spreadsheet would run as formulas are written as text.
        response = HttpResponse(csv_text(EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="voters.csv"'
        return response

    @extend_schema(request=None, responses={200: VoterSerializer})
    @action(detail=True, methods=["post"], url_path="do-not-contact")
    def do_not_contact(self, request, pk=None):
        """Record the voter's request not to be contacted; every list drops them from now on."""
        try:
            voter = voter_do_not_contact_record(voter=self.get_object(), by=request.user)
        except TooManyMarks as error:
            return Response({"detail": str(error)}, status=429)
        self.audit(AuditAction.VIEW, [voter.pk])  # the answer shows the voter
        return Response(self.get_serializer(voter).data)

    @extend_schema(
        request=None,
        responses={200: VoterSerializer, 409: OpenApiResponse(description="The voter's own request: kept.")},
    )
    @do_not_contact.mapping.delete
    def do_not_contact_withdraw(self, request, pk=None):
        """Organisers and admins: reverse the volunteers' do-not-contact marks on this voter (a mark made by
        mistake, or a run of marks flagged for review). The voter's own request is never reversed."""
        if role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
            return Response({"detail": "Only organisers and admins may reverse a do-not-contact mark."}, status=403)
        voter = self.get_object()
        try:
            voter_marks_withdraw(voter=voter, by=request.user)
        except CannotWithdraw as error:
            return Response({"detail": str(error)}, status=409)
        voter.refresh_from_db(fields=["do_not_contact", "do_not_contact_since"])
        self.audit(AuditAction.VIEW, [voter.pk])
        return Response(self.get_serializer(voter).data)
