"""The organiser's page of sync items the server refused: what a volunteer's phone could not send, and why."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from canvass.models import AuditAction, RefusedSyncItem
from canvass.services.audit import audit_record, request_id
from wards.views.access import organiser_required

PAGE_SIZE = 50


@organiser_required
def refused_syncs(request):
    rows = RefusedSyncItem.objects.visible_to(request.user).select_related("ward", "volunteer")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The items name voters (by id) and what was said at their door: every page read is audited.
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        resource="refused_sync_item",
        object_ids=[row.pk for row in page],
        request_id=request_id(request),
    )
    keep_days = settings.PRIVACY_RETENTION_DAYS["refused_syncs"]
    return render(request, "canvass/refused_syncs.html", {"page": page, "keep_days": keep_days})
