from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
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
