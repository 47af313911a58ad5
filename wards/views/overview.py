from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from canvass.scoping import may_advance_rollout
from wards import dashboards
from wards.models import Zone
from wards.services import CampaignError, campaign_rollout, rollout_next_zone
from wards.views import charts_for
from wards.views.access import organiser_required


@organiser_required
def campaign_overview(request):
    council = dashboards.council_for(request.user)
    if council is None:
        return render(request, "wards/no_wards.html")
    context = dashboards.campaign_overview(council=council, user=request.user)
    context["charts"] = charts_for.overview(context)
    context["can_advance"] = context["current_zone"] != Zone.VILLAGES and may_advance_rollout(request.user)
    return render(request, "wards/overview.html", context)


@require_http_methods(["GET", "POST"])
@organiser_required
def campaign_advance(request):
    """Open the next zone of the rollout now, after a confirmation step on this page.

    It changes the whole council's plan, so it is for admins and the organisers given that right
    (Profile.may_advance_rollout); every advance is kept in the rollout's trail (ZoneOpening).
    """
    if not may_advance_rollout(request.user):
        raise PermissionDenied("Opening the next zone is for admins and organisers given that right.")
    council = dashboards.council_for(request.user)
    if council is None:
        return redirect("wards:overview")
    current, following = rollout_next_zone(council=council)
    if following is None:
        messages.error(request, "The campaign is already in its last zone.")
        return redirect("wards:overview")
    context = {"council": council, "current": Zone(current), "following": Zone(following), "error": ""}
    if request.method == "GET":
        return render(request, "wards/advance_confirm.html", context)
    if request.POST.get("confirm") != "yes":
        context["error"] = "Tick the box to confirm that you are opening the next zone for the whole council."
        return render(request, "wards/advance_confirm.html", context, status=400)
    try:
        campaign = campaign_rollout(council=council, advance=True, by=request.user)
    except CampaignError:
        messages.error(request, "The campaign is already in its last zone.")
    else:
        messages.success(request, f"The campaign has moved on to the {campaign.get_current_zone_display()} zone.")
    return redirect("wards:overview")
