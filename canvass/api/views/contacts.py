import uuid

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from canvass.api.audit import AuditedListMixin
from canvass.api.contact_items import contact_item_validate
from canvass.api.exceptions import ContactOutOfReach
from canvass.api.filters import IdFilterSet, UtcDateTimeFilter
from canvass.api.pagination import BigListCursor
from canvass.api.parsers import BoundedJSONParser
from canvass.api.permissions import HasRole
from canvass.api.serializers.contacts import (
    MAX_BATCH,
    ContactBatchDocSerializer,
    ContactBatchResultSerializer,
    ContactItemSerializer,
    ContactRecordSerializer,
    ContactResultSerializer,
    ErrorDetailSerializer,
)
from canvass.models import Answer, ContactRecord
from canvass.services.contacts import SyncResult, contact_record_delete, contact_records_sync
from canvass.services.refusals import refused_sync_items_record


def _as_uuid(value) -> str | None:
    """The item's UUID as it sent it (the phone matches answers by that string), or None if it is not one."""
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None
    return value


def sync_items(user, raw_items: list) -> list[SyncResult]:
    """Validate each item on its own, store the valid ones in one go, answer per item in input order."""
    results: list[SyncResult | None] = []
    valid, positions = [], []
    for position, raw in enumerate(raw_items):
        item, errors = contact_item_validate(raw)
        if errors:
            # Echoed so the phone can match the answer; null when the item has no UUID to match (not "", which
            # a client following the answer to DELETE /contacts/{client_uuid}/ would turn into /contacts/).
            uuid = _as_uuid(raw.get("client_uuid") if isinstance(raw, dict) else None)
            results.append(SyncResult(client_uuid=uuid, status="error", errors=errors))
        else:
            valid.append(item)
            positions.append(position)
            results.append(None)
    stored = contact_records_sync(user=user, items=valid) if valid else []
    for position, result in zip(positions, stored, strict=True):
        results[position] = result
    done = [result for result in results if result is not None]
    refused = [
        (raw, result.client_uuid, result.status, result.errors)
        for raw, result in zip(raw_items, done, strict=True)
        if result.status != "ok"
    ]
    # The phone will not send these again: an organiser can see them (canvass.services.refusals).
    refused_sync_items_record(user=user, refusals=refused)
    return done


def _batch_refused(user, detail: str) -> None:
    """A batch refused whole: the phone halves it until the item it cannot send stands alone."""
    refused_sync_items_record(user=user, refusals=[(None, "", "error", {"detail": [detail]})])


class ContactSyncView(APIView):
    """A phone's offline batch: replaying it creates nothing and gives the same answer."""

    permission_classes = [IsAuthenticated, HasRole]
    # JSON only: a form cannot carry a list of contacts (the phone sends JSON; anything else is a 415).
    parser_classes = [BoundedJSONParser]

    @extend_schema(request=ContactBatchDocSerializer, responses={200: ContactBatchResultSerializer})
    def post(self, request):
        try:
            data = request.data
        except ParseError as error:
            _batch_refused(request.user, str(error.detail))
            raise
        items = data.get("contacts") if isinstance(data, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            detail = f"Send a list of 1 to {MAX_BATCH} contacts."
            _batch_refused(request.user, detail)
            raise ValidationError({"contacts": [detail]})
        results = sync_items(request.user, items)
        return Response({"results": [result.as_dict() for result in results]})


class ContactCreateView(APIView):
    permission_classes = [IsAuthenticated, HasRole]
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=ContactItemSerializer,
        responses={
            201: ContactResultSerializer,
            200: OpenApiResponse(ContactResultSerializer, description="A replay: nothing new was stored."),
            409: OpenApiResponse(ContactResultSerializer, description="The UUID is stored with other content."),
            400: PolymorphicProxySerializer(
                component_name="ContactRejected",
                serializers=[ContactResultSerializer, ErrorDetailSerializer],
                resource_type_field_name=None,
            ),
        },
    )
    def post(self, request):
        try:
            data = request.data
        except ParseError as error:
            _batch_refused(request.user, str(error.detail))
            raise
        (result,) = sync_items(request.user, [data])
        if result.status == "error":
            code = status.HTTP_400_BAD_REQUEST
        elif result.status == "conflict":
            code = status.HTTP_409_CONFLICT
        else:
            code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(result.as_dict(), status=code)


class ContactUndoView(APIView):
    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Someone else's contact.")})
    def delete(self, request, client_uuid):
        if not contact_record_delete(user=request.user, client_uuid=client_uuid):
            raise ContactOutOfReach()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactRecordFilter(IdFilterSet):
    contacted_after = UtcDateTimeFilter(field_name="contacted_at", lookup_expr="gte")
    contacted_before = UtcDateTimeFilter(field_name="contacted_at", lookup_expr="lt")

    class Meta:
        model = ContactRecord
        fields = ["ward", "voter", "household", "volunteer", "outcome", "channel", "voter_was_off_register"]


class ContactRecordViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):
    """Stored contacts (political opinions: every page read is audited). Volunteers see their own."""

    permission_classes = [HasRole]
    serializer_class = ContactRecordSerializer
    pagination_class = BigListCursor
    filterset_class = ContactRecordFilter
    ordering_fields = ["id", "contacted_at"]
    audit_resource = "contact_record"

    def get_queryset(self):
        answers = Prefetch("answers", queryset=Answer.objects.select_related("version", "question"))
        return ContactRecord.objects.visible_to(self.request.user).prefetch_related(answers)
