"""A delivery round on the phone: its doors street by street, marked delivered, no letterbox or inaccessible,
one at a time or a whole street at once; offline like a canvass (static/delivery/delivery.js)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from canvass.models import DeliveryStatus, WalkListKind
from canvass.walklists.deliveries import MAX_BATCH, deliveries_record
from canvass.walklists.selectors import delivery_doors, walk_lists_for

private_page = cache_control(private=True, no_cache=True, no_store=True)


def _round(user, pk: int):
    return get_object_or_404(walk_lists_for(user).filter(kind=WalkListKind.DELIVERY), pk=pk)


@require_GET
@login_required
@private_page
def delivery_round(request, pk: int):
    walk_list = _round(request.user, pk)
    context = {"walk_list": walk_list, "streets": delivery_doors(walk_list), "statuses": DeliveryStatus.choices}
    return render(request, "canvass/doorstep/delivery.html", context)


@require_POST
@login_required
def delivery_marks(request, pk: int):
    walk_list = _round(request.user, pk)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
        body = None
    marks = body.get("marks") if isinstance(body, dict) else None
    if not isinstance(marks, list) or not 1 <= len(marks) <= MAX_BATCH:
        return JsonResponse({"error": f"Send a list of 1 to {MAX_BATCH} marks."}, status=400)
    results = deliveries_record(user=request.user, walk_list=walk_list, items=marks)
    return JsonResponse({"results": [result.as_dict() for result in results]})
