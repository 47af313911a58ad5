"""Writes on the election history: the derived last result, opening a by-election."""

import datetime as dt

from django.db import transaction
from django.db.models import F

from wards.elections.selectors import comparable_contests
from wards.models import Candidate, Contest, Election, ElectionKind, Ward, WardResult


class ElectionError(ValueError):
    """An election action that cannot be done, with the reason."""


@transaction.atomic
def last_results_refresh(*, ward_ids) -> int:
    """Rebuild each ward's WardResult (party totals), last election date and ballots from its history.

    WardResult is derived: the last borough contest held, summed by party (independents without a
    party are not in it). Wards with no contest keep what they have. Returns the wards refreshed.
    """
    history = comparable_contests(ward_ids=ward_ids, before=dt.date.max)
    if not history:
        return 0
    ward_of = {comparable.contest_id: ward_id for ward_id, comparable in history.items()}
    totals: dict[tuple[int, int], int] = {}
    for contest_id, party_id, votes in Candidate.objects.filter(
        contest_id__in=list(ward_of), party__isnull=False
    ).values_list("contest_id", "party_id", "votes"):
        key = (ward_of[contest_id], party_id)
        totals[key] = totals.get(key, 0) + votes
    WardResult.objects.filter(ward_id__in=list(history)).delete()
    WardResult.objects.bulk_create(
        WardResult(ward_id=ward_id, party_id=party_id, votes=votes) for (ward_id, party_id), votes in totals.items()
    )
    wards = list(Ward.objects.filter(id__in=list(history)))
    for ward in wards:
        ward.last_election_date = history[ward.id].date
        ward.last_turnout_votes = history[ward.id].ballots_issued
    Ward.objects.bulk_update(wards, ["last_election_date", "last_turnout_votes"])
    return len(wards)


@transaction.atomic
def by_election_open(*, ward: Ward, date: dt.date, by=None, name: str = "") -> Election:
    """An organiser opens a by-election for one seat in the ward; its pages follow it until polling day has passed."""
    today = dt.date.today()
    if date < today:
        raise ElectionError(f"{ward}: a by-election's date must be today or later (got {date:%-d %b %Y})")
    if Contest.objects.filter(ward=ward, election__kind=ElectionKind.BY_ELECTION, election__date__gte=today).exists():
        raise ElectionError(f"{ward}: a by-election is already open")
    election = Election.objects.create(
        council_id=ward.council_id,
        date=date,
        kind=ElectionKind.BY_ELECTION,
        name=name or f"{ward} by-election {date:%-d %b %Y}",
        opened_by=by,
    )
    Contest.objects.create(election=election, ward=ward, seats_contested=1)
    return election


@transaction.atomic
def council_cycle_set(*, council, cycle: str) -> int:
    """Set the council's cycle and each ward's stored seats up to match (thirds: one; all out: every seat).

    The projection reads the cycle itself; the stored figure is kept in step for the API and the admin.
    Returns the wards updated.
    """
    if cycle not in ("", ElectionKind.THIRDS, ElectionKind.ALL_OUT):
        raise ElectionError(f"{council}: the cycle is thirds or all out, not {cycle!r}")
    council.cycle = cycle
    council.save(update_fields=["cycle"])
    if cycle == ElectionKind.THIRDS:
        return Ward.objects.filter(council=council).update(seats_up=1)
    if cycle == ElectionKind.ALL_OUT:
        return Ward.objects.filter(council=council).update(seats_up=F("seats"))
    return 0
