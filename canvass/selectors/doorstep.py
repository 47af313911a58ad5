"""What the doorstep pages show: a volunteer's walk lists and one list door by door, in walking order.

Progress is counted as the API counts it: knocked = any contact since the list was cut; contacts = every
contact since then; to do = doors someone may knock where nobody has answered yet ("not in" stays to do).

Every read starts from `WalkList.objects.visible_to(user)`, so a list (and its households) outside the
volunteer's assignments is simply not found. A list page costs a fixed number of queries, whatever its length.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from canvass.models import ContactRecord, Household, Outcome, Voter, WalkList, WalkListHousehold


@dataclass
class Door:
    household: Household
    voters: list = field(default_factory=list)
    # The latest contact at this door since the list was cut: what the volunteer needs to know on arrival.
    visit: ContactRecord | None = None
    last_household_contact: ContactRecord | None = None

    @property
    def knocked(self) -> bool:
        return self.visit is not None

    answered: bool = False

    @property
    def can_knock(self) -> bool:
        """A door where every voter asked for no contact (or none is left on the register) is not offered."""
        return any(not voter.do_not_contact for voter in self.voters)

    @property
    def to_do(self) -> bool:
        """Counted in the list's "still to do", as the API counts it: knockable and nobody answered yet."""
        return self.can_knock and not self.answered


@dataclass
class Street:
    name: str
    doors: list


def _contacts_since_cut(walk_list: WalkList) -> QuerySet:
    return ContactRecord.objects.filter(
        household__walk_list_stops__walk_list=walk_list, contacted_at__gte=walk_list.created_at
    )


def walk_lists_for(user) -> QuerySet:
    """The lists a user may walk, each with its size and how many of its doors were knocked since it was cut."""
    # Per stop, does a contact since the cut exist (an index probe), rather than grouping every contact.
    since_cut = ContactRecord.objects.filter(
        household_id=OuterRef("household_id"), contacted_at__gte=OuterRef("walk_list__created_at")
    )
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
        .annotate(households_count=Count("stops"), knocked_count=Coalesce(Subquery(knocked), 0))
        .order_by("-created_at", "-id")
    )


def _latest_by(queryset: QuerySet, key: str) -> dict:
    """The latest contact in `queryset` per voter or per household, in one query.

    One pass ranking each key's contacts (a window), not a subquery per contact: a list whose voters
    had 64,000 contacts timed out the other way.
    """
    ranked = queryset.annotate(
        latest=Window(RowNumber(), partition_by=[F(key)], order_by=[F("contacted_at").desc(), F("id").desc()])
    )
    rows = ranked.filter(latest=1).select_related("local_party", "national_party")
    return {getattr(row, f"{key}_id"): row for row in rows}


def walk_list_streets(walk_list: WalkList) -> list[Street]:
    """The list's doors grouped street by street, in the walking order fixed when the list was cut."""
    stops = list(walk_list.stops.select_related("household").order_by("position"))
    voters = (
        Voter.objects.filter(household__walk_list_stops__walk_list=walk_list, on_register=True)
        .select_related("polling_district")
        .order_by("household_id", "elector_number", "elector_suffix")
    )
    on_list = ContactRecord.objects.filter(household__walk_list_stops__walk_list=walk_list)
    voter_last = _latest_by(on_list.filter(voter__isnull=False), "voter")
    household_last = _latest_by(on_list.filter(voter__isnull=True), "household")
    visits = _latest_by(_contacts_since_cut(walk_list), "household")
    answered = set(
        _contacts_since_cut(walk_list)
        .exclude(outcome=Outcome.NOT_IN)
        .order_by()
        .values_list("household_id", flat=True)
        .distinct()
    )
    doors = {}
    for stop in stops:
        doors[stop.household_id] = Door(
            household=stop.household,
            visit=visits.get(stop.household_id),
            last_household_contact=household_last.get(stop.household_id),
            answered=stop.household_id in answered,
        )
    for voter in voters:
        voter.last_contact = voter_last.get(voter.pk)
        doors[voter.household_id].voters.append(voter)
    ordered = [doors[stop.household_id] for stop in stops]
    return [
        Street(name=name or "No street", doors=list(group))
        for name, group in groupby(ordered, key=lambda door: door.household.street)
    ]


def walk_list_progress(walk_list: WalkList, streets: list[Street]) -> dict:
    """The list's figures from its doors, plus one count of the contacts made since it was cut."""
    doors = [door for street in streets for door in street.doors]
    return {
        "households": len(doors),
        "knocked": sum(door.knocked for door in doors),
        "contacts": _contacts_since_cut(walk_list).count(),
        "to_do": sum(door.to_do for door in doors),
    }
