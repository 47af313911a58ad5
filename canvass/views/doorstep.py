"""The volunteer's doorstep pages on the phone, and the files that make them an installable, offline app.

Ids only in URLs. A list outside the user's scope is a 404, like any out-of-scope row.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from canvass.models import AuditAction
from canvass.services.audit import audit_record
from canvass.surveys.selectors import questions_for_walk_list, scripts_for_walk_list
from canvass.templatetags import doorstep as doorstep_tags
from canvass.walklists import changes
from canvass.walklists.conditional import etag_for, not_modified
from canvass.walklists.page import page_doors, survey_shown
from canvass.walklists.party_use import party_use_kept
from canvass.walklists.selectors import walk_list_to_open, walk_lists_for
from canvass.walklists.version import walk_list_validator

ROOT = Path(__file__).resolve().parent.parent.parent

# What a volunteer hears most on the doorstep: one tap each; anything else goes in "other".
COMMON_ISSUES = [
    "Potholes and roads",
    "Housing",
    "Buses",
    "Parking",
    "Bins and litter",
    "Schools",
    "GP and NHS",
    "Crime and safety",
    "Cost of living",
    "Planning",
]

# The app shell: what the service worker keeps so the pages open with no signal.
SHELL_STATIC = [
    "css/site.css",
    "doorstep/doorstep.css",
    "doorstep/app.js",
    "doorstep/db.js",
    "doorstep/sync.js",
    "doorstep/walk.js",
    "doorstep/lists.js",
    "doorstep/ownership.js",
    "doorstep/icons/icon.svg",
    "doorstep/icons/icon-192.png",
]
SERVICE_WORKER_SOURCE = "doorstep/sw.js"

# The pages hold names and voting intentions: the phone's browser must not keep them in its HTTP cache
# (the service worker keeps its own copy, cleared at logout).
private_page = cache_control(private=True, no_cache=True, no_store=True)


@require_GET
@login_required
@private_page
@gzip_page
def walk_lists(request):
    lists = list(walk_lists_for(request.user))
    return render(request, "canvass/doorstep/walk_lists.html", {"walk_lists": lists})


@require_GET
@login_required
@private_page
@gzip_page
def walk_list(request, pk: int):
    walk_list = get_object_or_404(walk_list_to_open(request.user), pk=pk)
    if walk_list.kind == "delivery":  # a leaflet round has its own page, with addresses only
        return redirect("doorstep-delivery", pk=walk_list.pk)
    # The validator first (one query), so a change landing while the tree is read gives the page an older tag
    # (and its contacts an older watermark for the changes token: the page may be sent a door again, never miss one).
    validator = walk_list_validator(walk_list)
    survey = _survey(walk_list, validator.voter_ids)
    if request.META.get("HTTP_IF_NONE_MATCH"):
        etag = _page_etag(request, walk_list, validator.version, survey)
        if not_modified(request, etag):
            # The phone shows the copy it kept: the same voters, shown again.
            audit_record(user=request.user, action=AuditAction.LIST, resource="voter", object_ids=validator.voter_ids)
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
    doors = page_doors(walk_list, validator=validator, survey=survey, page_code=_page_code())
    audit_record(user=request.user, action=AuditAction.LIST, resource="voter", object_ids=doors.voter_ids)
    questions, _, scripts = survey
    context = {
        "walk_list": walk_list,
        "doors": doors,
        "issues": COMMON_ISSUES,
        "questions": questions,
        "scripts": scripts,
        # What the user may "change" at the door after a reload too, and the parties the ward records most.
        "records": {
            str(k): v for k, v in changes.correctable_records(request.user, walk_list, doors.spoken_to).items()
        },
        "party_use": party_use_kept(walk_list.ward),
    }
    response = render(request, "canvass/doorstep/walk_list.html", context)
    # After rendering: the CSRF secret is set by now.
    response["ETag"] = _page_etag(request, walk_list, validator.version, survey)
    return response


@functools.cache
def _page_code() -> str:
    """The page's own code (its templates and tags), so a deploy that changes them is never answered 304."""
    digest = hashlib.sha256()
    patterns = ("templates/base.html", "templates/doorstep/**/*.html", "canvass/templates/canvass/doorstep/**/*.html")
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    digest.update(Path(doorstep_tags.__file__).read_bytes())
    return digest.hexdigest()


def _survey(walk_list, voter_ids: list[int]) -> tuple[list[dict], dict[int, list], list[str]]:
    """The questions asked at the list's doors today, whom each is asked of, and the scripts: the page shows them,
    so its validator covers them (a question added or edited is never answered 304)."""
    questions, asked_of = questions_for_walk_list(walk_list, voter_ids=voter_ids, on=timezone.localdate())
    return questions, asked_of, scripts_for_walk_list(walk_list)


def _page_etag(request, walk_list, version: str, survey: tuple) -> str:
    # The page also shows the ward's name, the user's menu and a CSRF token (whose secret is fixed per session),
    # and the campaign's questions and scripts.
    return etag_for(
        version,
        survey_shown(survey),
        walk_list.ward.name,
        request.user.pk,
        request.META.get("CSRF_COOKIE"),
        settings.DOORSTEP_OFFLINE_MAX_DAYS,
        _page_code(),
    )


@require_GET
def offline(request):
    """Shown by the service worker for a page that was never opened while there was signal."""
    return render(request, "canvass/doorstep/offline.html")


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, "rb") as source:
        return source.read()


@require_GET
@never_cache
def service_worker(request):
    """The worker at the root scope, so it can answer for /doorstep/ and /api/ alike.

    Its version is a hash of the shell, so a deploy that changes any shell file installs a fresh cache.
    """
    source = _read_static(SERVICE_WORKER_SOURCE)
    digest = hashlib.sha256(source)
    for path in SHELL_STATIC:
        digest.update(_read_static(path))
    shell = [static(path) for path in SHELL_STATIC] + [reverse("doorstep-offline")]
    prologue = f"const VERSION = {json.dumps(digest.hexdigest()[:16])};\nconst SHELL = {json.dumps(shell)};\n"
    response = HttpResponse(prologue.encode() + source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    """The web app manifest; public, because browsers fetch it without the session cookie."""
    icons = [
        {"src": static("doorstep/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("doorstep/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("doorstep/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("doorstep/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": "Canvass: doorstep",
        "short_name": "Canvass",
        "description": "Walk lists and doorstep records that work with no signal.",
        "id": reverse("doorstep-lists"),
        "start_url": reverse("doorstep-lists"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b3d6e",
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")
