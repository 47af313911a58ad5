import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from canvass.api.audit import AuditedListMixin
from canvass.api.pagination import BigListCursor
from canvass.api.permissions import HasRole
from canvass.api.serializers.register import HouseholdSerializer, VoterFullSerializer, VoterSerializer
from canvass.models import Household, Role, Voter
from canvass.scoping import role_of
from canvass.services.voters import voter_do_not_contact_record


class HouseholdFilter(django_filters.FilterSet):
    ward = django_filters.NumberFilter(field_name="polling_district__ward")
    walk_list = django_filters.NumberFilter(field_name="walk_list_stops__walk_list")

    class Meta:
        model = Household
        fields = ["ward", "polling_district", "village", "street", "walk_list"]


class VoterFilter(django_filters.FilterSet):
    """Filters by ids and flags only: names and elector numbers never travel in a URL."""

    ward = django_filters.NumberFilter(field_name="polling_district__ward")
    walk_list = django_filters.NumberFilter(field_name="household__walk_list_stops__walk_list")

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

    @extend_schema(request=None, responses={200: VoterSerializer})
    @action(detail=True, methods=["post"], url_path="do-not-contact")
    def do_not_contact(self, request, pk=None):
        """Record the voter's request not to be contacted; every list drops them from now on."""
        voter = voter_do_not_contact_record(voter=self.get_object())
        return Response(self.get_serializer(voter).data)
