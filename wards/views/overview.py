from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wards import dashboards
from wards.models import Zone
from wards.services import CampaignError, campaign_rollout
from wards.views import charts_for
from wards.views.access import organiser_required


@organiser_required
def campaign_overview(request):
    council = dashboards.council_for(request.user)
    if council is None:
        return render(request, "wards/no_wards.html")
    context = dashboards.campaign_overview(council=council, user=request.user)
    context["charts"] = charts_for.overview(context)
    context["can_advance"] = context["current_zone"] != Zone.VILLAGES
    return render(request, "wards/overview.html", context)


@require_POST
@organiser_required
def campaign_advance(request):
    """Open the next zone of the rollout now: an organiser's call, as the rollout rule has it (issue 5)."""
    council = dashboards.council_for(request.user)
    if council is None:
        return redirect("wards:overview")
    try:
        campaign = campaign_rollout(council=council, advance=True, by=request.user)
    except CampaignError:
        messages.error(request, "The campaign is already in its last zone.")
    else:
        messages.success(request, f"The campaign has moved on to the {campaign.get_current_zone_display()} zone.")
    return redirect("wards:overview")
