"""The paper returns page and its three JSON calls: find an elector, store an entry, undo one."""

import datetime as dt
import json
import uuid
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from canvass.models import AuditAction
from canvass.paper.codes import FLAGS, INTENTIONS, OUTCOMES
from canvass.paper.services import PaperError, paper_elector_find, paper_return_record
from canvass.scoping import is_organising
from canvass.services.audit import audit_record, request_id
from canvass.services.contacts import contact_record_delete
from wards.models import Party


def organising(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_organising(request.user):
            raise PermissionDenied("Paper returns are keyed by organisers and admins.")
        return view(request, *args, **kwargs)

    return wrapper


def _refused(error: PaperError, status: int = 400) -> JsonResponse:
    return JsonResponse({"status": "error", "errors": {error.field: [str(error)]}}, status=status)


def _elector_json(elector) -> dict:
    return {"voter": elector.id, "reference": elector.reference, "name": elector.name, "address": elector.address}


@organising
def paper_returns(request):
    context = {
        "outcomes": [(code, outcome.label) for code, outcome in OUTCOMES.items()],
        "intentions": [(code, intention.label) for code, intention in INTENTIONS.items()],
        "flags": list(FLAGS.items()),
        "parties": Party.objects.order_by("code").values_list("code", "name"),
        "today": timezone.localdate(),
    }
    return render(request, "canvass/paper/returns.html", context)


@require_POST
@organising
def paper_lookup(request):
    # The elector number in a JSON body, not the query string: no elector number travels in a URL.
    try:
        elector = paper_elector_find(user=request.user, reference=str(_body(request).get("reference", "")))
    except PaperError as error:
        return _refused(error, status=404)
    audit_record(
        user=request.user, action=AuditAction.VIEW, resource="voter", object_ids=[elector.id],
        request_id=request_id(request),
    )  # fmt: skip
    return JsonResponse({"status": "ok", **_elector_json(elector)})


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
        body = None
    return body if isinstance(body, dict) else {}


def _client_uuid(body) -> uuid.UUID:
    try:
        return uuid.UUID(str(body.get("client_uuid", "")))
    except ValueError:
        raise PaperError("client_uuid", "The page sent no entry id: reload it.") from None


def _date(body) -> dt.date | None:
    text = body.get("contacted_on") or ""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        raise PaperError("contacted_on", f"“{str(text)[:20]}” is not a date.") from None
    if day > timezone.localdate():
        raise PaperError("contacted_on", "The canvassing date is in the future.")
    return day


@require_POST
@organising
def paper_entry(request):
    body = _body(request)
    try:
        elector, result = paper_return_record(
            user=request.user,
            client_uuid=_client_uuid(body),
            reference=str(body.get("reference", "")),
            codes=str(body.get("codes", "")),
            contacted_on=_date(body),
            keyed_at=str(body.get("keyed_at", ""))[:40],
        )
    except PaperError as error:
        return _refused(error)
    if result.status != "ok":
        return JsonResponse({"status": "error", "errors": result.errors or {}}, status=409)
    return JsonResponse(
        {"status": "ok", "id": result.id, "created": result.created, "client_uuid": result.client_uuid,
         **_elector_json(elector)},
        status=201 if result.created else 200,
    )  # fmt: skip


@require_POST
@organising
def paper_undo(request):
    body = _body(request)
    try:
        client_uuid = _client_uuid(body)
    except PaperError as error:
        return _refused(error)
    if not contact_record_delete(user=request.user, client_uuid=client_uuid):
        return JsonResponse(
            {"status": "error", "errors": {"client_uuid": ["Not one of your wards' contacts."]}}, status=404
        )
    return JsonResponse({"status": "ok"})
