from rest_framework import serializers, viewsets

from canvass.api.filters import IdFilterSet, UtcDateTimeFilter
from canvass.api.pagination import BigListCursor
from canvass.api.permissions import AdminOnly
from canvass.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "user", "action", "resource", "count", "object_ids", "request_id"]
        read_only_fields = fields


class AuditEventFilter(IdFilterSet):
    after = UtcDateTimeFilter(field_name="at", lookup_expr="gte")
    before = UtcDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["user", "action", "resource"]


class AuditCursor(BigListCursor):
    ordering = ("-at", "-id")


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Who listed, viewed or exported personal data: admins only."""

    permission_classes = [AdminOnly]
    serializer_class = AuditEventSerializer
    pagination_class = AuditCursor
    filterset_class = AuditEventFilter
    ordering_fields = ["at"]
    queryset = AuditEvent.objects.all()
