"""The one read model of walk lists: which lists a user may walk, one list's doors as a tree, and its progress.

`walk_list_tree` returns the list street by street, door by door in walking order, each door with its voters
on the register, each voter with their last contact, the reason they are on the ward's target list and
do-not-contact; each door with its own last contact and what happened there since the list was cut. The API,
the doorstep page, the CSV export and the printed walk sheet all read this tree. Rows are plain dicts: a
300-door list carries some 700 voters and their last contacts, too many to build model instances for. It
costs three queries whatever the list's length (two without contacts).

Progress: knocked = any contact since the list was cut; contacts = every contact since then; to do =
doors someone may knock where nobody has answered yet ("not in" stays to do).
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from canvass.franchise import franchise_for_markers
from canvass.models import ContactRecord, Outcome, Voter, WalkList, WalkListHousehold
from canvass.rules import COUNTED_CONTACT
from wards.models import Reason, TargetListEntry

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
VOTER_FIELDS = (
    "title",
    "forenames",
    "surname",
    "markers",
    "is_postal_voter",
    "is_proxy_voter",
    "do_not_contact",
    "on_register",
)


def _assigned_volunteers() -> Prefetch:
    user_model = WalkList.assigned_to.rel.model
    # The names too: the API shows each assigned volunteer by display name (canvass.models.people).
    return Prefetch(
        "assigned_to", queryset=user_model.objects.only("id", "first_name", "last_name", user_model.USERNAME_FIELD)
    )


def walk_lists_for(user):
    """The lists a user may walk, newest first, each with its size and its doors knocked since it was cut."""
    # Per stop, does a contact since the cut exist (an index probe), rather than grouping every contact:
    # the cost follows the list's doors, not their history.
    since_cut = ContactRecord.objects.filter(
        household_id=OuterRef("household_id"), contacted_at__gte=OuterRef("walk_list__created_at")
    ).filter(COUNTED_CONTACT.q())
    knocked = (
        WalkListHousehold.objects.filter(walk_list=OuterRef("pk"))
        .filter(Exists(since_cut))
        .order_by()
        .values("walk_list")
        .annotate(doors=Count("id"))
        .values("doors")
    )
    return (
        WalkList.objects.visible_to(user)
        .select_related("ward")
        .annotate(households_count=Count("stops", distinct=True), knocked_count=Coalesce(Subquery(knocked), 0))
        .order_by("-created_at", "-id")
    )


def walk_lists_with_assignees(user):
    """As `walk_lists_for`, with the ids of the volunteers each list is assigned to (the API lists them)."""
    return walk_lists_for(user).prefetch_related(_assigned_volunteers())


def walk_list_for_detail(user):
    """The lists a user may open, without the per-list counts (the tree counts its doors itself)."""
    return WalkList.objects.visible_to(user).select_related("ward").prefetch_related(_assigned_volunteers())


def newest_contact_id(**match):
    """The id of the newest contact matching `match` (OuterRefs): one index probe per row it is used on."""
    return Subquery(ContactRecord.objects.filter(**match).order_by("-contacted_at", "-id").values("id")[:1])


def _reference(code: str, number: int, suffix: int) -> str:
    """As Voter.reference writes it, without loading the polling district row per voter."""
    return f"{code}-{number}/{suffix}" if suffix else f"{code}-{number}"


def _address_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def _doors(walk_list: WalkList, *, with_contacts: bool) -> list[dict]:
    stops = WalkListHousehold.objects.filter(walk_list=walk_list).order_by("position")
    if with_contacts:
        # A record corrected at the door ("change") counts once: its correction stands for it.
        since = ContactRecord.objects.filter(
            household_id=OuterRef("household_id"), contacted_at__gte=walk_list.created_at
        ).filter(COUNTED_CONTACT.q())
        stops = stops.annotate(
            last_id=newest_contact_id(household_id=OuterRef("household_id"), voter__isnull=True),
            visit_id=Subquery(since.order_by("-contacted_at", "-id").values("id")[:1]),
            contacts=Coalesce(
                Subquery(since.order_by().values("household_id").annotate(n=Count("id")).values("n")), Value(0)
            ),
            answered=Exists(since.exclude(outcome=Outcome.NOT_IN)),
        )
        extra: tuple[str, ...] = ("last_id", "visit_id", "contacts", "answered")
    else:
        extra = ()
    doors = []
    for row in stops.values("household_id", "position", *extra, *(f"household__{name}" for name in DOOR_FIELDS)):
        door = {"id": row["household_id"], "position": row["position"]}
        for name in DOOR_FIELDS:
            door[name] = row[f"household__{name}"]
        for name in extra:
            door[name] = row[name]
        address = door["address"]
        door["label"] = address.splitlines()[0] if address else f"Household {door['id']}"
        door["address_line"] = _address_line(address)
        doors.append(door)
    return doors


def _voters(walk_list: WalkList, *, with_contacts: bool) -> list[dict]:
    voters = Voter.objects.on_register().filter(
        household_id__in=WalkListHousehold.objects.filter(walk_list=walk_list).values("household_id")
    )
    reason = TargetListEntry.objects.filter(ward_id=walk_list.ward_id, voter_id=OuterRef("pk")).order_by(
        "segment", "position"
    )
    if walk_list.segment:  # a list cut from a segment marks the voters it was cut for, with that segment's reason
        reason = reason.filter(segment=walk_list.segment)
    voters = voters.annotate(target_reason=Subquery(reason.values("reason")[:1]))
    extra: tuple[str, ...] = ()
    if with_contacts:
        voters = voters.annotate(last_id=newest_contact_id(voter_id=OuterRef("pk")))
        extra = ("last_id",)
    rows = voters.order_by("household_id", "elector_number", "elector_suffix", "id").values(
        "id", "household_id", "polling_district__code", "elector_number", "elector_suffix", "target_reason",
        *extra, *VOTER_FIELDS,
    )  # fmt: skip
    for row in rows:
        row["reference"] = _reference(
            row.pop("polling_district__code"), row.pop("elector_number"), row.pop("elector_suffix")
        )
        row["full_name"] = " ".join(part for part in (row["forenames"], row["surname"]) if part)
        row["franchise"] = franchise_for_markers(row["markers"])
        row["target_reason_text"] = Reason(row["target_reason"]).label if row["target_reason"] else ""
    return list(rows)


def _contacts(ids: set[int]) -> dict[int, dict]:
    """The contacts with these ids as summaries, with the party codes a volunteer reads: one query."""
    if not ids:
        return {}
    rows = ContactRecord.objects.filter(id__in=sorted(ids)).values(
        "id", "voter_id", *SUMMARY_FIELDS, "local_party__code", "national_party__code"
    )
    return {row.pop("id"): row for row in rows}


def walk_list_tree(walk_list: WalkList, *, with_contacts: bool = True) -> list[dict]:
    """The list as streets -> doors -> voters, in the walking order fixed when the list was cut.

    A street recurs when the route returns to it. `with_contacts=False` leaves out the contacts and progress
    (the CSV and the printed sheet need neither).
    """
    doors = _doors(walk_list, with_contacts=with_contacts)
    voters = _voters(walk_list, with_contacts=with_contacts)
    contacts = {}
    if with_contacts:
        ids = {door[key] for door in doors for key in ("last_id", "visit_id")} | {v["last_id"] for v in voters}
        contacts = _contacts(ids - {None})
    by_household = defaultdict(list)
    for voter in voters:
        if with_contacts:
            voter["last_contact"] = contacts.get(voter.pop("last_id"))
        by_household[voter.pop("household_id")].append(voter)
    streets: list[dict] = []
    for door in doors:
        door["voters"] = by_household.get(door["id"], [])
        door["knockable"] = any(not voter["do_not_contact"] for voter in door["voters"])
        door["do_not_contact"] = bool(door["voters"]) and not door["knockable"]
        if with_contacts:
            door["last_contact"] = contacts.get(door.pop("last_id"))
            door["visit"] = contacts.get(door.pop("visit_id"))
            door["knocked"] = door["contacts"] > 0
            door["to_do"] = door["knockable"] and not door["answered"]
        if not streets or streets[-1]["name"] != door["street"]:
            streets.append({"name": door["street"], "doors": []})
        streets[-1]["doors"].append(door)
    return streets


def tree_doors(streets: list[dict]) -> list[dict]:
    return [door for street in streets for door in street["doors"]]


def walk_list_progress(streets: list[dict]) -> dict:
    """The list's figures, from a tree read with its contacts."""
    doors = tree_doors(streets)
    return {
        "households": len(doors),
        "knocked": sum(door["knocked"] for door in doors),
        "contacts": sum(door["contacts"] for door in doors),
        "to_do": sum(door["to_do"] for door in doors),
    }


def contactable(streets: list[dict]) -> list[dict]:
    """The tree with only the voters who may be contacted, dropping doors left with nobody (exports)."""
    kept: list[dict] = []
    for street in streets:
        doors = [
            {**door, "voters": voters}
            for door in street["doors"]
            if (voters := [voter for voter in door["voters"] if not voter["do_not_contact"]])
        ]
        if not doors:
            continue
        if kept and kept[-1]["name"] == street["name"]:
            kept[-1]["doors"].extend(doors)
        else:
            kept.append({"name": street["name"], "doors": doors})
    return kept


def walk_list_detail(walk_list: WalkList) -> WalkList:
    """A list with its tree, its doors in a flat list and its progress, as the API's detail renders it."""
    walk_list.streets = walk_list_tree(walk_list)
    walk_list.doors = tree_doors(walk_list.streets)
    walk_list.households_count = len(walk_list.doors)
    walk_list.progress = walk_list_progress(walk_list.streets)
    return walk_list
