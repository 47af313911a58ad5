"""The organiser's walk-list pages: cut a ward's segment or streets into rounds (previewed first), see and
assign the rounds, and see and assign one list."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from canvass.models import WalkList, WalkListCut, WalkListKind
from canvass.surveys.models import Script
from canvass.walklists.forms import LeafletForm, RoundsAssignForm, WalkListAssignForm, WalkListCutForm
from canvass.walklists.selectors import delivery_rounds_progress, walk_list_progress_rows
from canvass.walklists.services import (
    WalkListCutError,
    leaflet_rounds_cut,
    walk_list_assign,
    walk_list_cut_for_ward,
    walk_list_rounds_assign,
    walk_list_rounds_cut,
    walk_list_rounds_preview,
)
from wards.models import Ward
from wards.views.access import organiser_required, walk_list_in_scope, ward_in_scope

ONE_LIST = 10**9  # a round size no cut reaches: the preview of a cut left whole


@organiser_required
def walk_list_new(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    initial = {"segment": request.GET.get("segment", "")}
    form = WalkListCutForm(request.POST or None, ward=ward, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        size = data.pop("round_size")
        try:
            if "preview" in request.POST:  # saves nothing; without a size, the one list it would cut
                preview = walk_list_rounds_preview(
                    ward=ward, segment=data["segment"], streets=data["streets"], size=size or ONE_LIST
                )
            elif size:
                cut = walk_list_rounds_cut(ward=ward, created_by=request.user, size=size, **data)
                messages.success(request, f"“{cut.name}” cut into {cut.rounds.count()} rounds.")
                return redirect("wards:walk-list-cut", pk=cut.pk)
            else:
                walk_list = walk_list_cut_for_ward(ward=ward, created_by=request.user, **data)
                messages.success(request, f"Walk list “{walk_list.name}” cut with {walk_list.doors} doors.")
                return redirect("wards:walk-list", pk=walk_list.pk)
        except WalkListCutError as error:
            form.add_error(None, str(error))
    context = {"ward": ward, "form": form, "preview": preview}
    if preview is not None:
        context["preview_doors"] = sum(round_.size for round_ in preview)
    return render(request, "wards/walk_list_new.html", context)


def _cut_in_scope(user, pk: int) -> WalkListCut:
    ward_ids = Ward.objects.visible_to(user).values("pk")
    return get_object_or_404(WalkListCut.objects.filter(ward_id__in=ward_ids).select_related("ward"), pk=pk)


@organiser_required
def walk_list_cut_detail(request, pk: int):
    cut = _cut_in_scope(request.user, pk)
    user_model = WalkList.assigned_to.rel.model
    rounds = list(
        cut.rounds.order_by("pk").prefetch_related(Prefetch("assigned_to", queryset=user_model.objects.only("pk")))
    )
    form = RoundsAssignForm(request.POST or None, rounds=rounds, ward=cut.ward)
    if request.method == "POST" and form.is_valid():
        walk_list_rounds_assign(assignments=form.assignments())
        messages.success(request, "Rounds assigned.")
        return redirect("wards:walk-list-cut", pk=cut.pk)
    delivery = bool(rounds) and rounds[0].kind == WalkListKind.DELIVERY
    if delivery:
        progress = {row.pk: row for row in delivery_rounds_progress(cut.rounds.all())}
    else:
        progress = {row.pk: row for row in walk_list_progress_rows(cut.rounds.all())}
    rows = [(progress[walk_list.pk], field) for walk_list, field in form.rows()]
    return render(
        request,
        "wards/walk_list_cut.html",
        {
            "cut": cut,
            "ward": cut.ward,
            "form": form,
            "rows": rows,
            "doors": sum(r.households_count for r, _ in rows),
            "delivery": delivery,
        },
    )


@organiser_required
def walk_list_detail(request, pk: int):
    walk_list = walk_list_in_scope(request.user, pk)
    form = WalkListAssignForm(
        request.POST or None, ward=walk_list.ward, initial={"volunteers": walk_list.assigned_to.all()}
    )
    if request.method == "POST" and form.is_valid():
        walk_list_assign(walk_list=walk_list, users=form.cleaned_data["volunteers"])
        messages.success(request, "Assignment saved.")
        return redirect("wards:walk-list", pk=walk_list.pk)
    streets = walk_list.stops.values("household__street").annotate(doors=Count("id")).order_by("household__street")
    progress = walk_list_progress_rows(WalkList.objects.filter(pk=walk_list.pk))[0]
    return render(
        request,
        "wards/walk_list_detail.html",
        {
            "walk_list": walk_list,
            "ward": walk_list.ward,
            "streets": streets,
            "doors": sum(s["doors"] for s in streets),
            "progress": progress,
            "assigned": walk_list.assigned_to.order_by("first_name", "username"),
            "form": form,
            "walk_list_script": Script.objects.filter(walk_list=walk_list).values_list("text", flat=True).first() or "",
        },
    )


@organiser_required
def leaflet_new(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    form = LeafletForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leaflet = leaflet_rounds_cut(
                ward=ward, created_by=request.user, name=data["name"], streets=data["streets"], size=data["round_size"]
            )
        except WalkListCutError as error:
            form.add_error(None, str(error))
        else:
            cut = leaflet.rounds.select_related("cut").first().cut
            messages.success(request, f"“{leaflet.name}” cut into {leaflet.rounds.count()} delivery rounds.")
            return redirect("wards:walk-list-cut", pk=cut.pk)
    return render(request, "wards/leaflet_new.html", {"ward": ward, "form": form})
