from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from canvass.models import Role
from canvass.scoping import is_organising, role_of


@login_required
def home(request):
    # Volunteers come to walk: straight to their lists.
    if role_of(request.user) == Role.VOLUNTEER:
        return redirect("doorstep-lists")
    if is_organising(request.user):
        return redirect("wards:overview")
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and docker-compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def way_back(user) -> tuple[str, str]:
    """Where an error page sends a person: their own home, by role."""
    if role_of(user) == Role.VOLUNTEER:
        return reverse("doorstep-lists"), "Back to your walk lists"
    if is_organising(user):
        return reverse("wards:overview"), "Back to the campaign"
    if user is not None and user.is_authenticated:
        return reverse("home"), "Back to the start"
    return reverse("login"), "Log in"


def _error_page(request, template: str, status: int, detail: str):
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    back_url, back_label = way_back(getattr(request, "user", None))
    return render(request, template, {"back_url": back_url, "back_label": back_label}, status=status)


def page_not_found(request, exception=None):
    """handler404, and the DEBUG-time stand-in for the technical page (canvass.middleware.SiteErrorPages)."""
    return _error_page(request, "404.html", 404, "Not found.")


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403, "You do not have permission to perform this action.")


FAVICON_SVG = Path(finders.find("favicon.svg")).read_bytes()


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the site's SVG icon, from the app."""
    response = HttpResponse(FAVICON_SVG, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
