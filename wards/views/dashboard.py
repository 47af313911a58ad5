import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canvass.models import AuditAction
from canvass.services.audit import audit_record, request_id
from canvass.surveys.selectors import ward_survey_results
from wards import dashboards
from wards.elections.services import by_election_open
from wards.models import Segment
from wards.tasks import recompute_wards
from wards.views import charts_for
from wards.views.access import organiser_required, ward_in_scope

SEGMENT_PAGE_SIZE = 200


@organiser_required
def ward_dashboard(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    context = dashboards.ward_dashboard(ward=ward)
    context["charts"] = charts_for.ward(context)
    context["promises_note"] = dashboards.promises_note(context["stats"], context["segments"])
    context["survey"] = ward_survey_results(ward=ward)
    return render(request, "wards/ward_dashboard.html", context)


@require_POST
@organiser_required
def by_election_open_view(request, pk: int):
    """An organiser opens a by-election for the ward; its statistics are recomputed by the queued job."""
    ward = ward_in_scope(request.user, pk)
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
        by_election_open(ward=ward, date=date, by=request.user)
    except ValueError as error:  # a bad date, or ElectionError
        messages.error(request, f"The by-election was not opened: {error}")
    else:
        transaction.on_commit(lambda: recompute_wards.delay([ward.pk]))
        messages.success(request, f"By-election opened for {ward} on {date:%-d %B %Y}.")
    return redirect("wards:ward", pk=ward.pk)


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
