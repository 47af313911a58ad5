"""Reads on the election history: the last comparable contest, seats up, open by-elections."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Prefetch, Q, When
from django.utils import timezone

from wards.models import Candidate, Contest, Election, ElectionKind, Ward


@dataclass(frozen=True)
class Standing:
    """One candidate's place in a past contest, as the projection reads it."""

    votes: int
    is_ours: bool
    party_id: int | None


@dataclass(frozen=True)
class Comparable:
    """A ward's last comparable contest: its candidates (most votes first), ballots and turnout."""

    contest_id: int
    date: dt.date
    seats_contested: int
    ballots_issued: int | None
    turnout: Decimal | None
    candidates: tuple[Standing, ...]

    @property
    def votes(self) -> int:
        return sum(c.votes for c in self.candidates)

    def our_share_of_ballots(self) -> Decimal:
        """Our best candidate's votes over the ballots (over the votes when ballots were not recorded)."""
        ours = max((c.votes for c in self.candidates if c.is_ours), default=0)
        base = self.ballots_issued or self._votes_per_seat()
        return Decimal(ours) / base if base else Decimal(0)

    def rival_votes_per_ballot(self, place: int) -> Decimal | None:
        """The `place`-th best rival candidate's votes over the ballots; None when fewer rivals stood."""
        rivals = [c.votes for c in self.candidates if not c.is_ours]
        if len(rivals) < place:
            return None
        base = self.ballots_issued or self._votes_per_seat()
        return Decimal(rivals[place - 1]) / base if base else None

    def _votes_per_seat(self) -> int:
        return round(self.votes / self.seats_contested) if self.seats_contested else self.votes


def today() -> dt.date:
    return timezone.localdate()


def open_by_elections(*, ward_ids, on: dt.date | None = None) -> dict[int, Election]:
    """Each ward's by-election still to come (the earliest, if two are open)."""
    found = {}
    rows = (
        Contest.objects.filter(
            ward_id__in=list(ward_ids), election__in=Election.objects.by_elections_open(today=on or today())
        )
        .select_related("election")
        .order_by("-election__date")
    )
    for contest in rows:
        found[contest.ward_id] = contest.election
    return found


def comparable_contests(*, ward_ids, before: dt.date | None = None) -> dict[int, Comparable]:
    """The last borough contest with results in each ward (before `before`, default today), with its candidates:
    two queries."""
    before = before or today()
    contests = {}
    for contest in (
        Contest.objects.filter(
            ward_id__in=list(ward_ids), election__kind__in=ElectionKind.borough(), election__date__lt=before
        )
        # A contest with no candidates yet (a by-election just opened) is not a result to go on.
        .filter(candidates__isnull=False)
        .distinct()
        .select_related("election")
        .order_by("ward_id", "-election__date")
    ):
        contests.setdefault(contest.ward_id, contest)
    standings: dict[int, list[Standing]] = {contest.id: [] for contest in contests.values()}
    for contest_id, votes, is_ours, party_id in (
        Candidate.objects.filter(contest_id__in=list(standings))
        .order_by("contest_id", "-votes", "name")
        .values_list("contest_id", "votes", "party__is_ours", "party_id")
    ):
        standings[contest_id].append(Standing(votes, bool(is_ours), party_id))
    return {
        ward_id: Comparable(
            contest.id,
            contest.election.date,
            contest.seats_contested,
            contest.ballots_issued,
            contest.turnout,
            tuple(standings[contest.id]),
        )
        for ward_id, contest in contests.items()
    }


def seats_up(ward: Ward, *, cycle: str, by_election: Election | None) -> int:
    """Seats up in the ward at the election ahead: a by-election's one, else the council's cycle."""
    if by_election is not None:
        return 1
    if cycle == ElectionKind.THIRDS:
        return 1
    if cycle == ElectionKind.ALL_OUT:
        return ward.seats
    return ward.seats_up


def ward_history(*, ward: Ward) -> list[Contest]:
    """The ward's contests, newest first, each with its candidates and their parties: two queries."""
    return list(
        Contest.objects.filter(ward=ward)
        .select_related("election")
        .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.select_related("party")))
        .order_by("-election__date")
    )


def by_election_of(history: list[Contest], *, on: dt.date | None = None) -> Election | None:
    """The by-election still to come among a ward's contests (from `ward_history`), if one is open."""
    on = on or today()
    upcoming = [c.election for c in history if c.election.kind == ElectionKind.BY_ELECTION and c.election.date >= on]
    return min(upcoming, key=lambda election: election.date) if upcoming else None


def in_constituency_filter(constituency, prefix: str = "") -> Q:
    """Voters (or anything with a polling district) inside the constituency: whole wards or split districts."""
    return Q(**{f"{prefix}polling_district__ward__constituencies": constituency}) | Q(
        **{f"{prefix}polling_district__constituencies": constituency}
    )


def open_by_election_contests(*, council) -> list[Contest]:
    """The council's by-elections still to come, soonest first, each with its ward: one query."""
    return list(
        Contest.objects.filter(ward__council=council, election__in=Election.objects.by_elections_open(today=today()))
        .select_related("election", "ward")
        .order_by("election__date", "ward__name")
    )


def election_ahead(*, ward: Ward, on: dt.date | None = None) -> Election | None:
    """The election the ward's pages follow: its open by-election, else the next election entered for it.

    For polling day (knock-up, tellers) to take its date from; None when nothing is scheduled.
    """
    on = on or today()
    upcoming = (
        Contest.objects.filter(ward=ward, election__date__gte=on)
        .select_related("election")
        .order_by(
            # A by-election first: the ward follows it until it is over.
            Case(When(election__kind=ElectionKind.BY_ELECTION, then=0), default=1),
            "election__date",
        )
        .first()
    )
    return upcoming.election if upcoming else None
