"""Polling day's API: tellers send numbers to their station, volunteers load their knock-up rounds,
the committee room reads the board. Scope comes from canvass/scoping.py; listings are audited."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from canvass.api.audit import request_id
from canvass.api.permissions import HasRole
from canvass.api.views.contacts import _as_uuid
from canvass.models import Role, Voter
from canvass.scoping import (
    knock_up_rounds_visible_to,
    polling_stations_visible_to,
    role_of,
    voters_visible_to,
    wards_visible_to,
)
from canvass.services.audit import audit_record
from wards.models import Ward
from wards.polling import selectors, serializers
from wards.polling.models import KnockUpRound, PollingDay, PollingStation, TellerEntry
from wards.polling.services import (
    PollingDayError,
    UndoRefused,
    knock_up_round_back,
    knock_up_round_send,
    knock_up_rounds_build,
    polling_day_open,
    postal_vote_returned_mark,
    teller_assign,
    teller_entry_record,
    teller_entry_undo,
    teller_unassign,
)


class UndoNotAllowed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "undo_not_allowed"


def stations_for(user) -> QuerySet[PollingStation]:
    return polling_stations_visible_to(PollingStation.objects.all(), user)


def audit(request, resource: str, object_ids, action="list"):
    audit_record(
        user=request.user, action=action, resource=resource, object_ids=object_ids, request_id=request_id(request)
    )


class StationListView(generics.ListAPIView):
    """The polling stations you tell at (organisers: their wards')."""

    permission_classes = [IsAuthenticated, HasRole]
    serializer_class = serializers.StationSerializer
    pagination_class = None

    def get_queryset(self):
        return (
            stations_for(self.request.user)
            .select_related("polling_day")
            .prefetch_related("districts")
            .order_by("-polling_day__election_date", "name")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit(request, "polling-stations", [row["id"] for row in response.data])
        return response


class StationTellerView(APIView):
    """Organisers: a member tells at this station (and leaves any other station of the day)."""

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(request=serializers.TellerAssignSerializer, responses={200: serializers.TellerAssignedSerializer})
    def post(self, request, station_id: int):
        if role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
            raise PermissionDenied("Only organisers and admins place tellers.")
        station = get_object_or_404(stations_for(request.user), id=station_id)
        form = serializers.TellerAssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            left = teller_assign(station=station, user=form.validated_data["teller"])
        except PollingDayError as error:
            raise DomainError(str(error)) from error
        return Response({"station": station.id, "left_station": left.id if left else None})


class StationTellerRemoveView(APIView):
    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, station_id: int, user_id: int):
        if role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
            raise PermissionDenied("Only organisers and admins place tellers.")
        station = get_object_or_404(stations_for(request.user), id=station_id)
        teller = get_object_or_404(station.tellers.all(), pk=user_id)
        teller_unassign(station=station, user=teller)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntrySyncView(APIView):
    """A teller's queued numbers: each gets its own answer; replaying a client UUID records nothing."""

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(request=serializers.EntryBatchSerializer, responses={200: serializers.EntryBatchAnswerSerializer})
    def post(self, request, station_id: int):
        station = get_object_or_404(stations_for(request.user).select_related("polling_day"), id=station_id)
        raw = request.data.get("entries") if isinstance(request.data, dict) else None
        if not isinstance(raw, list) or not 1 <= len(raw) <= serializers.MAX_BATCH:
            raise ValidationError({"entries": [f"Send a list of 1 to {serializers.MAX_BATCH} entries."]})
        results = []
        for position, item in enumerate(raw):
            parsed = serializers.EntryItemSerializer(data=item)
            if not parsed.is_valid():
                # The item's UUID as sent, or null when it sent none that is one (never "" or an object: a client
                # following the answer to DELETE /entries/{client_uuid}/ would call /entries/).
                uuid = _as_uuid(item.get("client_uuid") if isinstance(item, dict) else None)
                results.append(_error(uuid, f"entry {position + 1}: {_first_error(parsed.errors)}"))
                continue
            answer = teller_entry_record(station=station, entered_by=request.user, **parsed.validated_data)
            results.append({**answer.__dict__, "ok": answer.ok})
        return Response({"results": results})


def _error(uuid, message: str) -> dict:
    return {
        "client_uuid": uuid,
        "outcome": "error",
        "ok": False,
        "message": message,
        "reference": "",
        "clock_offset_seconds": 0,
        "replayed": False,
    }


def _first_error(errors: dict) -> str:
    field, messages = next(iter(errors.items()))
    return f"{field}: {messages[0]}"


class EntryListView(generics.ListAPIView):
    """The station's latest entries, as numbers; audited."""

    permission_classes = [IsAuthenticated, HasRole]
    serializer_class = serializers.EntrySerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TellerEntry.objects.none()
        # A teller's own station only (any other is a 404); the committee room its wards' stations.
        station = get_object_or_404(stations_for(self.request.user), id=self.kwargs["station_id"])
        return selectors.station_entries(station=station)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit(request, "teller-entries", [row["id"] for row in response.data])
        return response


class EntryUndoView(APIView):
    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, client_uuid):
        entry = get_object_or_404(
            TellerEntry.objects.filter(station__in=stations_for(request.user)), client_uuid=client_uuid
        )
        if entry.entered_by_id != request.user.pk and role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
            raise UndoNotAllowed("only the teller who took a number (or the committee room) may undo it")
        try:
            teller_entry_undo(entry=entry, user=request.user)
        except UndoRefused as error:
            raise UndoNotAllowed(str(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class HourlyCountView(APIView):
    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(responses={200: serializers.HourCountSerializer(many=True)})
    def get(self, request, station_id: int):
        station = get_object_or_404(stations_for(request.user), id=station_id)
        rows = selectors.station_hourly_counts(station=station)
        return Response([{"hour": hour, "recorded": n} for hour, n in rows])


class RoundListView(generics.ListAPIView):
    """Knock-up rounds: a volunteer's own, an organiser's wards'."""

    permission_classes = [IsAuthenticated, HasRole]
    serializer_class = serializers.RoundSerializer
    pagination_class = None

    def get_queryset(self):
        rounds = knock_up_rounds_visible_to(KnockUpRound.objects.all(), self.request.user)
        return rounds.select_related("ward", "polling_day").order_by("-polling_day__election_date", "ward", "number")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit(request, "knock-up-rounds", [row["id"] for row in response.data])
        return response


class RoundDetailView(APIView):
    """A knock-up round's promises still to vote, in walking order; voted electors drop off. Audited."""

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(responses={200: serializers.RoundDetailSerializer})
    def get(self, request, round_id: int):
        rounds = knock_up_rounds_visible_to(KnockUpRound.objects.select_related("ward", "polling_day"), request.user)
        round_ = get_object_or_404(rounds, id=round_id)
        doors = selectors.knock_up_round_doors(round=round_, include_voted=False)
        audit(request, "knock-up-round", [d.voter_id for d in doors])
        data = serializers.RoundSerializer(round_).data
        body = {**data, "loaded_at": timezone.now(), "doors": serializers.DoorSerializer(doors, many=True).data}
        return Response(body)


class BoardView(APIView):
    """The committee room board for a polling day: per station and ward, within your wards."""

    permission_classes = [IsAuthenticated, HasRole]

    @extend_schema(responses={200: serializers.BoardSerializer})
    def get(self, request, day_id: int):
        if role_of(request.user) not in (Role.ORGANISER, Role.ADMIN):
            raise Http404
        day = get_object_or_404(days_for(request.user), id=day_id)
        board = board_for(request.user, day)
        audit(request, "polling-board", [day.id])
        return Response(serializers.BoardSerializer(board).data)


def board_for(user, day: PollingDay):
    return selectors.committee_board(
        polling_day=day, stations=stations_for(user), wards=wards_visible_to(Ward.objects.all(), user)
    )


class OrganisersOnly(HasRole):
    message = "Only organisers and admins run polling day."

    def has_permission(self, request, view):
        return role_of(request.user) in (Role.ORGANISER, Role.ADMIN)


class DomainError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


def days_for(user) -> QuerySet[PollingDay]:
    return PollingDay.objects.filter(wards__in=wards_visible_to(Ward.objects.all(), user)).distinct()


class PollingDayListView(generics.ListCreateAPIView):
    """Polling days in your wards; POST opens one (a station per polling district of its wards)."""

    permission_classes = [IsAuthenticated, OrganisersOnly]
    serializer_class = serializers.PollingDaySerializer
    pagination_class = None

    def get_queryset(self):
        return days_for(self.request.user).select_related("election").prefetch_related("wards")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit(request, "polling-days", [row["id"] for row in response.data])
        return response

    def perform_create(self, serializer):
        wards = serializer.validated_data["wards"]
        allowed = set(wards_visible_to(Ward.objects.filter(id__in=[w.id for w in wards]), self.request.user))
        if set(wards) - allowed:
            raise ValidationError({"wards": ["You may open polling day only for your own wards."]})
        try:
            serializer.instance = polling_day_open(**serializer.validated_data, opened_by=self.request.user)
        except PollingDayError as error:
            raise DomainError(str(error)) from error


def _day_and_ward(user, day_id, ward_id):
    day = get_object_or_404(days_for(user), id=day_id)
    ward = get_object_or_404(wards_visible_to(Ward.objects.filter(polling_days=day), user), id=ward_id)
    return day, ward


class RoundBuildView(APIView):
    """Splits the ward's knock-up list into rounds of `size` voters (rounds already out are kept)."""

    permission_classes = [IsAuthenticated, OrganisersOnly]

    @extend_schema(request=serializers.RoundBuildSerializer, responses={201: serializers.RoundSerializer(many=True)})
    def post(self, request, day_id: int, ward_id: int):
        day, ward = _day_and_ward(request.user, day_id, ward_id)
        form = serializers.RoundBuildSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        rounds = knock_up_rounds_build(polling_day=day, ward=ward, size=form.validated_data["size"])
        return Response(serializers.RoundSerializer(rounds, many=True).data, status=status.HTTP_201_CREATED)


class RoundSendView(APIView):
    permission_classes = [IsAuthenticated, OrganisersOnly]

    @extend_schema(request=serializers.RoundSendSerializer, responses={200: serializers.RoundSerializer})
    def post(self, request, round_id: int):
        round_ = get_object_or_404(knock_up_rounds_visible_to(KnockUpRound.objects.all(), request.user), id=round_id)
        form = serializers.RoundSendSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            knock_up_round_send(round=round_, volunteer=form.validated_data["volunteer"])
        except PollingDayError as error:
            raise DomainError(str(error)) from error
        return Response(serializers.RoundSerializer(round_).data)


class RoundBackView(APIView):
    permission_classes = [IsAuthenticated, OrganisersOnly]

    @extend_schema(request=None, responses={200: serializers.RoundSerializer})
    def post(self, request, round_id: int):
        round_ = get_object_or_404(knock_up_rounds_visible_to(KnockUpRound.objects.all(), request.user), id=round_id)
        knock_up_round_back(round=round_)
        return Response(serializers.RoundSerializer(round_).data)


class PostalPromiseListView(APIView):
    """The ward's postal-vote promises, to chase before the day; audited."""

    permission_classes = [IsAuthenticated, OrganisersOnly]

    @extend_schema(responses={200: serializers.PostalPromiseSerializer(many=True)})
    def get(self, request, day_id: int, ward_id: int):
        day, ward = _day_and_ward(request.user, day_id, ward_id)
        entries = list(selectors.postal_promises(polling_day=day, ward=ward))
        audit(request, "postal-promises", [e.voter_id for e in entries])
        return Response(serializers.PostalPromiseSerializer(entries, many=True).data)


class PostalReturnedView(APIView):
    permission_classes = [IsAuthenticated, OrganisersOnly]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, day_id: int, voter_id: int):
        day = get_object_or_404(days_for(request.user), id=day_id)
        voters = voters_visible_to(Voter.objects.filter(polling_district__ward__polling_days=day), request.user)
        voter = get_object_or_404(voters, id=voter_id)
        try:
            postal_vote_returned_mark(polling_day=day, voter=voter, marked_by=request.user)
        except PollingDayError as error:
            raise DomainError(str(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)
