from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from canvass.api.exceptions import WalkListCutFailed
from canvass.api.filters import IdFilterSet
from canvass.api.pagination import BigListCursor
from canvass.api.parsers import BoundedJSONParser
from canvass.api.permissions import OrganiserWrites
from canvass.api.serializers.door_view import WalkListDoorViewSerializer, door_view
from canvass.api.serializers.walklists import (
    WalkListAssignSerializer,
    WalkListCutSerializer,
    WalkListDetailSerializer,
    WalkListSerializer,
    walk_list_detail_answer,
)
from canvass.models import AuditAction, WalkList, WalkListKind
from canvass.models.people import display_name
from canvass.services.audit import audit_record, request_id
from canvass.sql import is_postgres
from canvass.walklists.conditional import etag_for, not_modified
from canvass.walklists.selectors import (
    walk_list_detail,
    walk_list_for_detail,
    walk_list_to_open,
    walk_lists_with_assignees,
)
from canvass.walklists.services import WalkListCutError, walk_list_assign, walk_list_cut
from canvass.walklists.version import walk_list_version


class WalkListFilter(IdFilterSet):
    class Meta:
        model = WalkList
        fields = ["ward", "assigned_to"]


class WalkListCursor(BigListCursor):
    ordering = ("-created_at", "-id")


def audit_walk_list_voters_shown(request, voter_ids: list[int]) -> None:
    """The one audit row of a walk list's voters shown through the API (detail, 304, changes since)."""
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        resource="walk_list.voters",
        object_ids=voter_ids,
        request_id=request_id(request),
    )


class WalkListViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Walk lists: volunteers see those assigned to them; organisers cut, assign and delete in their wards."""

    permission_classes = [OrganiserWrites]
    # JSON only: a form post without `assign_to` read as "nobody" and cleared the list's volunteers.
    parser_classes = [BoundedJSONParser]
    serializer_class = WalkListSerializer
    pagination_class = WalkListCursor
    filterset_class = WalkListFilter
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        if self.action == "retrieve":
            # The assigned volunteers are read only for a body to build (`_body`), or where no trigger keeps the
            # list's version (`_etag`): an unchanged list on PostgreSQL is answered without them. A leaflet round's
            # deliverer gets its addresses on its own page, never who lives there: no detail (as the changes since).
            return walk_list_to_open(self.request.user).exclude(kind=WalkListKind.DELIVERY)
        return walk_lists_with_assignees(self.request.user)

    def filter_queryset(self, queryset):
        # One list by its id: the listing's filters and orderings (a form validated per request) do not apply.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view",
                str,
                enum=["door"],
                description="`door`: what the door needs, sent once (about a quarter of the full detail's size; "
                "see docs/api.md). Answers carry an ETag: ask again with If-None-Match for a 304 when unchanged.",
            )
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="WalkListAnswer",
                serializers=[WalkListDetailSerializer, WalkListDoorViewSerializer],
                resource_type_field_name=None,
            ),
            304: None,
        },
    )
    def retrieve(self, request, *args, **kwargs):
        walk_list = self.get_object()
        view = request.query_params.get("view", "full")
        if view not in ("full", "door"):
            raise ValidationError({"view": ['The only view is "door" (leave it out for the full detail).']})
        if not is_postgres():
            self._with_assignees(walk_list)
        # The validator first (one query), so a change landing while the tree is read gives the body an older tag.
        version, voter_ids = walk_list_version(walk_list)
        etag = self._etag(walk_list, version, view)
        if not_modified(request, etag):
            # The caller keeps what it has: the same voters, shown again.
            self._audit(request, voter_ids)
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        renderer = request.accepted_renderer
        if type(renderer) is not JSONRenderer:  # the browsable API, when it is on
            body = self._body(walk_list, view)
            self._audit(request, voter_ids)
            return Response(body, headers={"ETag": etag})
        # The same tag is the same body: kept in the shared cache for the other workers and the next caller.
        key, seconds = f"walk-list-body:{etag}", settings.WALK_LIST_BODY_CACHE_SECONDS
        content = cache.get(key) if seconds else None
        if content is None:
            content = renderer.render(self._body(walk_list, view), renderer.media_type, self.get_renderer_context())
            if seconds:
                cache.set(key, content, seconds)
        self._audit(request, voter_ids)
        return HttpResponse(content, content_type=renderer.media_type, headers={"ETag": etag})

    def _with_assignees(self, walk_list) -> None:
        if "assigned_to" not in getattr(walk_list, "_prefetched_objects_cache", {}):
            prefetch_related_objects([walk_list], *walk_list_for_detail(self.request.user)._prefetch_related_lookups)

    def _body(self, walk_list, view: str) -> dict:
        if view == "door":
            return door_view(walk_list_detail(walk_list))
        self._with_assignees(walk_list)
        return walk_list_detail_answer(walk_list)

    @staticmethod
    def _etag(walk_list, version: str, view: str) -> str:
        # The answer also names the assigned volunteers: on PostgreSQL the list's version is raised when they or
        # their names change (canvass.walklists.version); elsewhere they are read with the list.
        assigned = [] if is_postgres() else [(user.pk, display_name(user)) for user in walk_list.assigned_to.all()]
        return etag_for(version, "api", view, walk_list.ward.name, walk_list.source, walk_list.created_by_id, assigned)

    @staticmethod
    def _audit(request, voter_ids: list[int]) -> None:
        audit_walk_list_voters_shown(request, voter_ids)

    @extend_schema(request=WalkListCutSerializer, responses={201: WalkListSerializer})
    def create(self, request):
        cut = WalkListCutSerializer(data=request.data, context={"request": request})
        cut.is_valid(raise_exception=True)
        try:
            walk_list = walk_list_cut(created_by=request.user, **cut.validated_data)
        except WalkListCutError as exc:
            raise WalkListCutFailed(str(exc)) from exc
        created = get_object_or_404(self.get_queryset(), pk=walk_list.pk)
        return Response(WalkListSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WalkListAssignSerializer, responses={200: WalkListSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Replace the volunteers the list is assigned to."""
        walk_list = self.get_object()
        assignment = WalkListAssignSerializer(data=request.data)
        assignment.is_valid(raise_exception=True)
        walk_list_assign(walk_list=walk_list, users=assignment.validated_data["assign_to"])
        return Response(WalkListSerializer(self.get_queryset().get(pk=walk_list.pk)).data)
