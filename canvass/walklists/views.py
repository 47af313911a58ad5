"""The organiser's walk-list pages: cut a list from a ward's segment or streets, then see and assign it."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render

from canvass.surveys.models import Script
from canvass.walklists.forms import WalkListAssignForm, WalkListCutForm
from canvass.walklists.services import WalkListCutError, walk_list_assign, walk_list_cut_for_ward
from wards.views.access import organiser_required, walk_list_in_scope, ward_in_scope


@organiser_required
def walk_list_new(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    initial = {"segment": request.GET.get("segment", "")}
    form = WalkListCutForm(request.POST or None, ward=ward, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            walk_list = walk_list_cut_for_ward(ward=ward, created_by=request.user, **form.cleaned_data)
        except WalkListCutError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Walk list “{walk_list.name}” cut with {walk_list.doors} doors.")
            return redirect("wards:walk-list", pk=walk_list.pk)
    return render(request, "wards/walk_list_new.html", {"ward": ward, "form": form})


@organiser_required
def walk_list_detail(request, pk: int):
    walk_list = walk_list_in_scope(request.user, pk)
    form = WalkListAssignForm(request.POST or None, initial={"volunteers": walk_list.assigned_to.all()})
    if request.method == "POST" and form.is_valid():
        walk_list_assign(walk_list=walk_list, users=form.cleaned_data["volunteers"])
        messages.success(request, "Assignment saved.")
        return redirect("wards:walk-list", pk=walk_list.pk)
    streets = walk_list.stops.values("household__street").annotate(doors=Count("id")).order_by("household__street")
    return render(
        request,
        "wards/walk_list_detail.html",
        {
            "walk_list": walk_list,
            "ward": walk_list.ward,
            "streets": streets,
            "doors": sum(s["doors"] for s in streets),
            "assigned": walk_list.assigned_to.order_by("first_name", "username"),
            "form": form,
            "walk_list_script": Script.objects.filter(walk_list=walk_list).values_list("text", flat=True).first() or "",
        },
    )
