from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from canvass.models import ContactRecord, Outcome, Voter, WalkList, WalkListHousehold

SUMMARY_FIELDS = (
    "id",
    "voter_id",
    "household_id",
    "client_uuid",
    "contacted_at",
    "outcome",
    "local_intention",
    "local_party_id",
    "national_intention",
    "national_party_id",
    "likelihood",
)


def latest_contact_per(field: str, queryset=None):
    """The newest contact for each `field` value (voter or household): DISTINCT ON where the database has it."""
    queryset = (queryset if queryset is not None else ContactRecord.objects.all()).only(*SUMMARY_FIELDS)
    if connection.features.can_distinct_on_fields:
        return queryset.order_by(field, "-contacted_at", "-id").distinct(field)
    newest = ContactRecord.objects.filter(**{field: OuterRef(field)}).order_by("-contacted_at", "-id").values("id")[:1]
    return queryset.filter(id=Subquery(newest))


def walk_lists_for(user):
    return (
        WalkList.objects.visible_to(user)
        .select_related("ward")
        .prefetch_related(Prefetch("assigned_to", queryset=WalkList.assigned_to.rel.model.objects.only("id")))
        .annotate(households_count=Count("stops", distinct=True))
    )


def walk_list_stops(walk_list: WalkList) -> list[WalkListHousehold]:
    """The list's doors in walking order with their voters and last contacts: five queries, whatever the length."""
    voters = Voter.objects.on_register().select_related("polling_district").order_by("elector_number", "id")
    return list(
        walk_list.stops.select_related("household")
        .order_by("position")
        .prefetch_related(
            Prefetch("household__voters", queryset=voters, to_attr="door_voters"),
            Prefetch(
                "household__door_voters__contacts",
                queryset=latest_contact_per("voter_id"),
                to_attr="latest_contacts",
            ),
            Prefetch(
                "household__contacts",
                queryset=latest_contact_per("household_id", ContactRecord.objects.filter(voter__isnull=True)),
                to_attr="latest_door_contacts",
            ),
        )
    )


def walk_list_progress(walk_list: WalkList) -> dict:
    since = ContactRecord.objects.filter(household_id=OuterRef("household_id"), contacted_at__gte=walk_list.created_at)
    contact_count = since.order_by().values("household_id").annotate(n=Count("id")).values("n")
    knockable = Voter.objects.filter(household_id=OuterRef("household_id"), on_register=True, do_not_contact=False)
    stops = WalkListHousehold.objects.filter(walk_list=walk_list).annotate(
        was_knocked=Exists(since),
        was_answered=Exists(since.exclude(outcome=Outcome.NOT_IN)),
        is_knockable=Exists(knockable),
        n_contacts=Coalesce(Subquery(contact_count, output_field=IntegerField()), Value(0)),
    )
    totals = stops.aggregate(
        households=Count("id"),
        knocked=Count("id", filter=Q(was_knocked=True)),
        contacts=Coalesce(Sum("n_contacts"), Value(0)),
        to_do=Count("id", filter=Q(is_knockable=True, was_answered=False)),
    )
    return totals


def walk_list_detail(walk_list: WalkList) -> WalkList:
    walk_list.ordered_stops = walk_list_stops(walk_list)
    walk_list.progress = walk_list_progress(walk_list)
    return walk_list
