"""Polling day's pages: set-up, the teller's phone, committee-room keying, the board, knock-up rounds.

Ids only in URLs; anything out of the user's scope is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from canvass.api.audit import request_id
from canvass.models import Role, Voter
from canvass.models.people import display_name
from canvass.scoping import (
    knock_up_rounds_visible_to,
    polling_stations_visible_to,
    role_of,
    voters_visible_to,
    wards_visible_to,
)
from canvass.services.audit import audit_record
from wards.models import Ward
from wards.polling import selectors, services
from wards.polling.forms import PollingDayForm, RoundSizeForm, UsernameForm
from wards.polling.models import KnockUpRound, PollingDay, PollingStation

private_page = cache_control(private=True, no_cache=True, no_store=True)


def _organiser(request):
    if role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
        raise PermissionDenied("Only organisers run polling day.")


def _my_wards(user):
    return wards_visible_to(Ward.objects.all(), user)


def _day_for_organiser(request, day_id):
    _organiser(request)
    day = get_object_or_404(PollingDay, id=day_id)
    if not day.wards.filter(id__in=_my_wards(request.user).values("id")).exists():
        raise Http404
    return day


def _audit(request, resource, ids, action="list"):
    audit_record(user=request.user, action=action, resource=resource, object_ids=ids, request_id=request_id(request))


@login_required
@private_page
def index(request):
    role = role_of(request.user)
    days = PollingDay.objects.none()
    if role in (Role.ORGANISER, Role.ADMIN):
        days = PollingDay.objects.filter(wards__in=_my_wards(request.user)).distinct()
    stations = polling_stations_visible_to(PollingStation.objects.select_related("polling_day"), request.user)
    rounds = knock_up_rounds_visible_to(KnockUpRound.objects.select_related("ward", "polling_day"), request.user)
    if role in (Role.ORGANISER, Role.ADMIN):
        stations, rounds = stations.none(), rounds.filter(assigned_to=request.user)
    return render(
        request,
        "polling/index.html",
        {"days": days, "stations": stations, "rounds": rounds, "can_open": role in (Role.ORGANISER, Role.ADMIN)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_new(request):
    _organiser(request)
    form = PollingDayForm(request.POST or None, wards=_my_wards(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            day = services.polling_day_open(**form.cleaned_data, opened_by=request.user)
        except services.PollingDayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{day} is open with {day.stations.count()} polling stations.")
            return redirect("polling:day", day_id=day.id)
    return render(request, "polling/day_new.html", {"form": form})


@login_required
@private_page
def day_detail(request, day_id):
    day = _day_for_organiser(request, day_id)
    stations = (
        polling_stations_visible_to(day.stations.all(), request.user)
        .prefetch_related("districts", "tellers")
        .select_related("ward")
    )
    wards = _my_wards(request.user).filter(polling_days=day).order_by("name")
    return render(
        request,
        "polling/day_detail.html",
        {"day": day, "stations": stations, "wards": wards, "teller_form": UsernameForm()},
    )


@login_required
@require_POST
def station_teller_add(request, station_id):
    _organiser(request)
    station = get_object_or_404(polling_stations_visible_to(PollingStation.objects.all(), request.user), id=station_id)
    form = UsernameForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{station}: {form.errors['username'][0]}")
        return redirect("polling:day", day_id=station.polling_day_id)
    teller = form.cleaned_data["username"]
    try:
        left = services.teller_assign(station=station, user=teller)
    except services.PollingDayError as error:
        messages.error(request, f"{station}: {error}.")
    else:
        moved = f" (no longer at {left})" if left else ""
        messages.success(request, f"{display_name(teller)} tells at {station}{moved}.")
    return redirect("polling:day", day_id=station.polling_day_id)


@login_required
@require_POST
def station_teller_remove(request, station_id, user_id):
    _organiser(request)
    station = get_object_or_404(polling_stations_visible_to(PollingStation.objects.all(), request.user), id=station_id)
    teller = get_object_or_404(station.tellers.all(), pk=user_id)
    services.teller_unassign(station=station, user=teller)
    messages.success(request, f"{display_name(teller)} no longer tells at {station}.")
    return redirect("polling:day", day_id=station.polling_day_id)


@login_required
@require_POST
def turnout_record(request, day_id):
    day = _day_for_organiser(request, day_id)
    try:
        added = services.polling_day_turnout_record(polling_day=day)
    except services.TurnoutRefused as error:
        messages.error(request, f"Turnout history not made: {error}.")
    else:
        messages.success(
            request,
            f"{added} electors the tellers saw added to {day.election or day}'s turnout history"
            " (the marked register replaces them when imported).",
        )
    return redirect("polling:day", day_id=day.id)


def _station(request, station_id):
    stations = polling_stations_visible_to(PollingStation.objects.select_related("polling_day", "ward"), request.user)
    return get_object_or_404(stations.prefetch_related("districts"), id=station_id)


@login_required
@private_page
def teller(request, station_id):
    station = _station(request, station_id)
    return render(request, "polling/teller.html", {"station": station, "keying": False})


@login_required
@private_page
def keying(request, station_id):
    _organiser(request)
    station = _station(request, station_id)
    return render(request, "polling/teller.html", {"station": station, "keying": True})


@login_required
@private_page
def board(request, day_id):
    day = _day_for_organiser(request, day_id)
    from wards.polling.api import board_for

    return render(request, "polling/board.html", {"day": day, "board": board_for(request.user, day)})


@login_required
@private_page
@require_http_methods(["GET", "POST"])
def knock_up(request, day_id, ward_id):
    day = _day_for_organiser(request, day_id)
    ward = get_object_or_404(_my_wards(request.user).filter(polling_days=day), id=ward_id)
    form = RoundSizeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rounds = services.knock_up_rounds_build(polling_day=day, ward=ward, size=form.cleaned_data["size"])
        messages.success(request, f"{len(rounds)} rounds built for {ward}.")
        return redirect("polling:knock-up", day_id=day.id, ward_id=ward.id)
    postal = list(selectors.postal_promises(polling_day=day, ward=ward))
    _audit(request, "postal-promises", [e.voter_id for e in postal])
    return render(
        request,
        "polling/knock_up.html",
        {
            "day": day,
            "ward": ward,
            "form": form,
            "rounds": selectors.knock_up_rounds(polling_day=day, ward=ward),
            "postal": postal,
            "send_form": UsernameForm(),
        },
    )


def _round_for_organiser(request, round_id):
    _organiser(request)
    rounds = knock_up_rounds_visible_to(KnockUpRound.objects.select_related("polling_day", "ward"), request.user)
    return get_object_or_404(rounds, id=round_id)


@login_required
@require_POST
def round_send(request, round_id):
    round_ = _round_for_organiser(request, round_id)
    form = UsernameForm(request.POST)
    if form.is_valid():
        try:
            services.knock_up_round_send(round=round_, volunteer=form.cleaned_data["username"])
        except services.PollingDayError as error:
            messages.error(request, f"Round {round_.number}: {error}.")
        else:
            volunteer = display_name(form.cleaned_data["username"])
            messages.success(request, f"Round {round_.number} is out with {volunteer}.")
    else:
        messages.error(request, f"Round {round_.number}: {form.errors['username'][0]}")
    return redirect("polling:knock-up", day_id=round_.polling_day_id, ward_id=round_.ward_id)


@login_required
@require_POST
def round_back(request, round_id):
    round_ = _round_for_organiser(request, round_id)
    services.knock_up_round_back(round=round_)
    return redirect("polling:knock-up", day_id=round_.polling_day_id, ward_id=round_.ward_id)


@login_required
@require_POST
def postal_returned(request, day_id, voter_id):
    day = _day_for_organiser(request, day_id)
    voter = get_object_or_404(
        voters_visible_to(Voter.objects.filter(Q(polling_district__ward__polling_days=day)), request.user), id=voter_id
    )
    try:
        services.postal_vote_returned_mark(polling_day=day, voter=voter, marked_by=request.user)
    except services.PollingDayError as error:
        messages.error(request, str(error))
    return redirect("polling:knock-up", day_id=day.id, ward_id=voter.polling_district.ward_id)


@login_required
@private_page
def round_phone(request, round_id):
    rounds = knock_up_rounds_visible_to(KnockUpRound.objects.select_related("polling_day", "ward"), request.user)
    return render(request, "polling/round.html", {"round": get_object_or_404(rounds, id=round_id)})


@login_required
@private_page
def round_print(request, round_id):
    rounds = knock_up_rounds_visible_to(KnockUpRound.objects.select_related("polling_day", "ward"), request.user)
    round_ = get_object_or_404(rounds, id=round_id)
    doors = selectors.knock_up_round_doors(round=round_, include_voted=True)
    _audit(request, "knock-up-sheet", [d.voter_id for d in doors], action="export")
    return render(request, "polling/round_print.html", {"round": round_, "doors": doors})
