from rest_framework import mixins, serializers, viewsets
from rest_framework.generics import ListAPIView

from canvass.api.filters import IdFilterSet
from canvass.api.pagination import SmallListPages
from canvass.api.parsers import BoundedJSONParser
from canvass.api.permissions import HasRole, OrganiserWrites
from canvass.scoping import polling_districts_visible_to, villages_visible_to
from wards.api.serializers import PollingDistrictSerializer, VillageSerializer, WardSerializer
from wards.models import Party, PollingDistrict, Village, Ward
from wards.selectors import with_elector_counts, with_ward_figures


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "code", "name", "colour", "is_ours", "stands_nationally"]


class PartyListView(ListAPIView):
    """Every party, unpaginated: a phone caches them for the intention pickers."""

    permission_classes = [HasRole]
    serializer_class = PartySerializer
    queryset = Party.objects.all()
    pagination_class = None
    filter_backends = []


class WardViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Wards in the caller's reach; organisers update the zone, rollout order and expected turnout."""

    permission_classes = [OrganiserWrites]
    # JSON only: a form cannot say null, so a schema-valid "no expected turnout" was refused.
    parser_classes = [BoundedJSONParser]
    serializer_class = WardSerializer
    pagination_class = SmallListPages
    filterset_fields = ["zone", "council"]
    ordering_fields = ["name", "rollout_order", "zone"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return with_ward_figures(Ward.objects.visible_to(self.request.user).in_rollout_order())


class PollingDistrictViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
    serializer_class = PollingDistrictSerializer
    pagination_class = SmallListPages
    filterset_fields = ["ward"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        districts = polling_districts_visible_to(PollingDistrict.objects.all(), self.request.user)
        return with_elector_counts(districts, voter_field="polling_district")


class VillageFilter(IdFilterSet):
    class Meta:
        model = Village
        fields = ["ward", "kind"]


class VillageViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
    serializer_class = VillageSerializer
    pagination_class = SmallListPages
    filterset_class = VillageFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return villages_visible_to(Village.objects.all(), self.request.user)
