"""Exports of voters' personal data: each one is recorded in the audit trail before it is sent.

URLs carry ids and a segment code only. CSV downloads are POSTs (a button, with CSRF) so a link
preview or prefetch cannot trigger an export; the printable sheet is a page opened to print.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from canvass.models import AuditAction
from canvass.services.audit import audit_record, request_id
from canvass.surveys.selectors import ward_answers_for_export
from canvass.walklists.selectors import contactable, tree_doors, walk_list_tree
from wards import dashboards, exports
from wards.views.access import organiser_required, walk_list_in_scope, ward_in_scope
from wards.views.dashboard import segment_in_scope


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@organiser_required
def segment_csv(request, pk: int, segment: str):
    ward = ward_in_scope(request.user, pk)
    segment = segment_in_scope(segment)
    entries = list(dashboards.segment_entries(ward=ward, segment=segment))
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        resource="target_list",
        object_ids=[e.voter_id for e in entries],
        request_id=request_id(request),
    )
    text = exports.csv_text(exports.SEGMENT_HEADER, exports.segment_csv_rows(entries))
    return _csv_response(text, f"ward-{ward.pk}-{segment}-{timezone.localdate():%Y%m%d}.csv")


def _exported_walk_list(request, pk: int):
    """A walk list in the organiser's scope and its contactable doors, street by street, recorded in the audit
    trail as exported."""
    walk_list = walk_list_in_scope(request.user, pk)
    streets = contactable(walk_list_tree(walk_list, with_contacts=False))
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        resource="walk_list.voters",
        object_ids=[voter["id"] for door in tree_doors(streets) for voter in door["voters"]],
        request_id=request_id(request),
    )
    return walk_list, streets


@require_POST
@organiser_required
def walk_list_csv(request, pk: int):
    walk_list, streets = _exported_walk_list(request, pk)
    text = exports.csv_text(exports.WALK_LIST_HEADER, exports.walk_list_csv_rows(tree_doors(streets)))
    return _csv_response(text, f"walk-list-{walk_list.pk}-{timezone.localdate():%Y%m%d}.csv")


@never_cache
@require_GET
@organiser_required
def walk_sheet(request, pk: int):
    walk_list, streets = _exported_walk_list(request, pk)
    return render(
        request,
        "wards/walk_sheet.html",
        {
            "walk_list": walk_list,
            "ward": walk_list.ward,
            "streets": streets,
            "outcomes": exports.SHEET_OUTCOMES,
            "doors": len(tree_doors(streets)),
            "printed_at": timezone.now(),
        },
    )


@require_POST
@organiser_required
def survey_csv(request, pk: int):
    """The ward's survey answers, one row per answer: contact ids, no names; recorded in the audit trail."""
    ward = ward_in_scope(request.user, pk)
    answers = ward_answers_for_export(ward=ward)
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        resource="contact_record.answers",
        object_ids=sorted({answer["contact_id"] for answer in answers}),
        request_id=request_id(request),
    )
    text = exports.csv_text(exports.SURVEY_HEADER, exports.survey_csv_rows(answers))
    return _csv_response(text, f"ward-{ward.pk}-answers-{timezone.localdate():%Y%m%d}.csv")
