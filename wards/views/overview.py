from django.shortcuts import render

from wards import dashboards
from wards.views import charts_for
from wards.views.access import organiser_required


@organiser_required
def campaign_overview(request):
    council = dashboards.council_for(request.user)
    if council is None:
        return render(request, "wards/no_wards.html")
    context = dashboards.campaign_overview(council=council, user=request.user)
    context["charts"] = charts_for.overview(context)
    return render(request, "wards/overview.html", context)
