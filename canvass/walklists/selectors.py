"""Reads for walk lists. A list's doors come back as plain dicts in five queries whatever its length:
a 300-door list carries some 700 voters and their last contacts, too many to build model instances for."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from canvass.models import ContactRecord, Outcome, Voter, WalkList, WalkListHousehold

SUMMARY_FIELDS = (
    "client_uuid",
    "contacted_at",
    "outcome",
    "local_intention",
    "local_party",
    "national_intention",
    "national_party",
    "likelihood",
)
DOOR_FIELDS = ("address", "street", "house_number", "postcode")
VOTER_FIELDS = ("title", "forenames", "surname", "markers", "is_postal_voter", "do_not_contact", "on_register")


def walk_lists_for(user):
    return (
        WalkList.objects.visible_to(user)
        .select_related("ward")
        .prefetch_related(Prefetch("assigned_to", queryset=WalkList.assigned_to.rel.model.objects.only("id")))
        .annotate(households_count=Count("stops", distinct=True))
    )


def newest_contact_id(**match):
    """The id of the newest contact matching `match` (OuterRefs): one index probe per row it is used on."""
    return Subquery(ContactRecord.objects.filter(**match).order_by("-contacted_at", "-id").values("id")[:1])


def _summaries(ids_query, key: str) -> dict:
    rows = ContactRecord.objects.filter(id__in=ids_query).order_by().values(key, *SUMMARY_FIELDS)
    return {row.pop(key): row for row in rows}


def _reference(code: str, number: int, suffix: int) -> str:
    """As Voter.reference writes it, without loading the polling district row per voter."""
    return f"{code}-{number}/{suffix}" if suffix else f"{code}-{number}"


def walk_list_doors(walk_list: WalkList) -> list[dict]:
    """The list's doors in walking order, each with its voters on the register and the last contacts."""
    stops = WalkListHousehold.objects.filter(walk_list=walk_list)
    household_ids = stops.values("household_id")
    doors = [
        {"id": row.pop("household_id"), "position": row.pop("position"), **row}
        for row in stops.order_by("position").values(
            "household_id", "position", *(f"household__{name}" for name in DOOR_FIELDS)
        )
    ]
    for door in doors:
        for name in DOOR_FIELDS:
            door[name] = door.pop(f"household__{name}")
    voters = Voter.objects.on_register().filter(household_id__in=household_ids)
    voter_rows = voters.order_by("household_id", "elector_number", "elector_suffix", "id").values(
        "id", "household_id", "polling_district__code", "elector_number", "elector_suffix", *VOTER_FIELDS
    )
    voter_last = _summaries(
        voters.annotate(newest=newest_contact_id(voter_id=OuterRef("pk"))).values("newest"), "voter_id"
    )
    door_last = _summaries(
        stops.annotate(newest=newest_contact_id(household_id=OuterRef("household_id"), voter__isnull=True)).values(
            "newest"
        ),
        "household_id",
    )
    by_household = defaultdict(list)
    for row in voter_rows:
        household_id = row.pop("household_id")
        row["reference"] = _reference(
            row.pop("polling_district__code"), row.pop("elector_number"), row.pop("elector_suffix")
        )
        row["last_contact"] = voter_last.get(row["id"])
        by_household[household_id].append(row)
    for door in doors:
        door["voters"] = by_household.get(door["id"], [])
        door["knockable"] = any(not voter["do_not_contact"] for voter in door["voters"])
        door["do_not_contact"] = bool(door["voters"]) and not door["knockable"]
        door["last_contact"] = door_last.get(door["id"])
    return doors


def walk_list_progress(walk_list: WalkList, doors: list[dict]) -> dict:
    """Knocked: any contact since the list was cut. To do: knockable doors not yet answered ('not in' stays).

    Counted door by door (an index probe each on the contacts' household index), so the cost follows the
    list's length, not the size of the contacts table.
    """
    since = ContactRecord.objects.filter(household_id=OuterRef("household_id"), contacted_at__gte=walk_list.created_at)
    per_door = (
        WalkListHousehold.objects.filter(walk_list=walk_list)
        .annotate(
            contacts=Coalesce(
                Subquery(since.order_by().values("household_id").annotate(n=Count("id")).values("n")), Value(0)
            ),
            answered=Exists(since.exclude(outcome=Outcome.NOT_IN)),
        )
        .values_list("household_id", "contacts", "answered")
    )
    contacts, knocked, answered = 0, 0, set()
    for household_id, count, was_answered in per_door:
        contacts += count
        knocked += count > 0
        if was_answered:
            answered.add(household_id)
    to_do = sum(1 for door in doors if door["knockable"] and door["id"] not in answered)
    return {"households": len(doors), "knocked": knocked, "contacts": contacts, "to_do": to_do}


def walk_list_for_detail(user):
    """The lists a user may open, without the per-list door count (the detail counts its doors itself)."""
    return (
        WalkList.objects.visible_to(user)
        .select_related("ward")
        .prefetch_related(Prefetch("assigned_to", queryset=WalkList.assigned_to.rel.model.objects.only("id")))
    )


def walk_list_detail(walk_list: WalkList) -> WalkList:
    walk_list.doors = walk_list_doors(walk_list)
    walk_list.households_count = len(walk_list.doors)
    walk_list.progress = walk_list_progress(walk_list, walk_list.doors)
    return walk_list
