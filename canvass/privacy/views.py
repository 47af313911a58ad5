"""Admin-only pages of the data controller: overview, subject access, erasure, purge dry run.

Every page is under /admin/privacy/, behind the admin login, and for admins only; URLs carry voter ids, never
names or references.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from canvass.models import Voter
from canvass.models.people import Role
from canvass.privacy import selectors
from canvass.privacy.models import Erasure, SubjectAccessRequest
from canvass.privacy.services.access import subject_access_produce
from canvass.privacy.services.erasure import ErasureRefused, voter_erase
from canvass.privacy.services.retention import retention_run
from canvass.scoping import role_of


def _admin_only(view):
    def wrapped(request, *args, **kwargs):
        if role_of(request.user) != Role.ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(wrapped)


def _context(request, title, **extra):
    return {**admin.site.each_context(request), "title": title, **extra}


def _voter_by_reference(reference: str) -> Voter | None:
    code, _, rest = reference.strip().upper().partition("-")
    number, _, suffix = rest.partition("/")
    if not (code and number.isdecimal() and (not suffix or suffix.isdecimal())):
        return None
    return (
        Voter.objects.filter(polling_district__code=code, elector_number=int(number), elector_suffix=int(suffix or 0))
        .order_by("-on_register", "-pk")
        .first()
    )


def overview(request):
    if request.method == "POST":
        voter = _voter_by_reference(request.POST.get("reference", ""))
        if voter is None:
            messages.error(request, "No elector has that reference (write it as AB1-124 or AB1-124/1).")
        else:
            target = "privacy-erase" if request.POST.get("then") == "erase" else "privacy-access"
            return redirect(target, voter_id=voter.pk)
    return render(request, "privacy/overview.html", _context(request, "Data protection", **selectors.overview()))


def access(request, voter_id: int):
    voter = get_object_or_404(Voter, pk=voter_id)
    data = subject_access_produce(voter=voter, by=request.user, format=SubjectAccessRequest.Format.PAGE)
    return render(request, "privacy/access.html", _context(request, "Subject access", voter=voter, data=data))


def access_json(request, voter_id: int):
    voter = get_object_or_404(Voter, pk=voter_id)
    data = subject_access_produce(voter=voter, by=request.user, format=SubjectAccessRequest.Format.JSON)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{voter.pk}.json"'
    return response


def erase(request, voter_id: int):
    voter = get_object_or_404(Voter.objects.select_related("polling_district"), pk=voter_id)
    erased = Erasure.objects.filter(voter=voter).first()
    if request.method == "POST" and erased is None:
        try:
            erased = voter_erase(voter=voter, by=request.user, confirmation=request.POST.get("confirmation", ""))
        except ErasureRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Voter {voter.pk} erased; {erased.counts['contacts_anonymised']} contacts anonymised."
            )
            return redirect("privacy-overview")
    return render(request, "privacy/erase.html", _context(request, "Erase a person", voter=voter, erased=erased))


@require_POST
def purge(request):
    dry_run = request.POST.get("dry_run") == "1"
    run = retention_run(dry_run=dry_run, by=request.user)
    verb = "would remove" if dry_run else "removed"
    messages.success(request, f"Retention run {run.pk} {verb}: " + ", ".join(f"{k} {v}" for k, v in run.counts.items()))
    return redirect("privacy-overview")


urlpatterns_views = {
    "overview": _admin_only(overview),
    "access": _admin_only(access),
    "access_json": _admin_only(access_json),
    "erase": _admin_only(erase),
    "purge": _admin_only(purge),
}
