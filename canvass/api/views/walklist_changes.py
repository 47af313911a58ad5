"""What changed on a walk list since a token: the doorstep page's light sync (canvass.walklists.changes).

Scoped like the list's detail (a list outside the caller's reach is a 404) and audited like it: the voters of
the doors sent are recorded as viewed.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from canvass.api.permissions import HasRole
from canvass.api.serializers.walklist_changes import WalkListChangesSerializer
from canvass.api.views.walklists import audit_walk_list_voters_shown
from canvass.models import WalkListKind
from canvass.walklists.changes import walk_list_changes
from canvass.walklists.selectors import walk_list_to_open

MAX_TOKEN = 200


class WalkListChangesView(APIView):
    permission_classes = [HasRole]

    @extend_schema(
        operation_id="walk_lists_changes",
        parameters=[
            OpenApiParameter(
                "since",
                str,
                required=True,
                description="The token the page was given (`data-changes`) or the last answer's `token`.",
            )
        ],
        responses={200: WalkListChangesSerializer},
    )
    def get(self, request, pk: int):
        since = request.query_params.get("since")
        if since is None:
            raise ValidationError({"since": ["Give the token of the last answer."]})
        walk_list = get_object_or_404(walk_list_to_open(request.user).exclude(kind=WalkListKind.DELIVERY), pk=pk)
        body = walk_list_changes(walk_list, user=request.user, since=since[:MAX_TOKEN])
        voter_ids = [voter["id"] for door in body["doors"] for voter in door["voters"]]
        if voter_ids:
            audit_walk_list_voters_shown(request, voter_ids)
        return Response(body)
