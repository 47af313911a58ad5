from rest_framework import serializers
from rest_framework.generics import ListAPIView

from canvass.api.permissions import HasRole
from wards.models import Party


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "code", "name", "colour", "is_ours"]


class PartyListView(ListAPIView):
    """Every party, unpaginated: a phone caches them for the intention pickers."""

    permission_classes = [HasRole]
    serializer_class = PartySerializer
    queryset = Party.objects.all()
    pagination_class = None
    filter_backends = []
