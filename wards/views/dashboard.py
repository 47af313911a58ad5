from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from canvass.models import AuditAction
from canvass.services.audit import audit_record, request_id
from wards import dashboards
from wards.models import Segment
from wards.views import charts_for
from wards.views.access import organiser_required, ward_in_scope

SEGMENT_PAGE_SIZE = 200


@organiser_required
def ward_dashboard(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    context = dashboards.ward_dashboard(ward=ward)
    context["charts"] = charts_for.ward(context)
    return render(request, "wards/ward_dashboard.html", context)


def segment_in_scope(segment: str) -> str:
    if segment not in Segment.values:
        raise Http404("No such target segment.")
    return segment


@organiser_required
def segment_voters(request, pk: int, segment: str):
    ward = ward_in_scope(request.user, pk)
    segment = segment_in_scope(segment)
    entries = dashboards.segment_entries(ward=ward, segment=segment)
    page = Paginator(entries, SEGMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        resource="target_list",
        object_ids=[entry.voter_id for entry in page],
        request_id=request_id(request),
    )
    return render(
        request,
        "wards/segment_voters.html",
        {"ward": ward, "segment": segment, "segment_label": Segment(segment).label, "page": page},
    )
