"""Reads on the election history: the last comparable contest, seats up, open by-elections."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from canvass import rules
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


# Which election a ward follows when several are ahead: an open by-election first, then by date; on one day,
# the borough poll before a county or general one held with it.
FOLLOW_ORDER = {
    ElectionKind.BY_ELECTION: 0,
    ElectionKind.ALL_OUT: 1,
    ElectionKind.THIRDS: 1,
    ElectionKind.COUNTY: 2,
    ElectionKind.GENERAL: 3,
}


def _follow_key(election: Election) -> tuple:
    return (election.kind != ElectionKind.BY_ELECTION, election.date, FOLLOW_ORDER.get(election.kind, 9), election.id)


def current_elections_for(*, wards, on: dt.date | None = None) -> dict[int, Election]:
    """Each ward's election ahead (held `on` or later, default today): its open by-election, else the next one
    scheduled for it. Wards with nothing scheduled are left out.

    Scheduled for a ward: an election with a contest entered for it, a borough election (all out or by thirds)
    of its council, or a general election contested in a constituency that holds the ward or one of its polling
    districts. Three queries whatever the number of wards, a fourth when a general election is ahead.
    """
    on = on or today()
    wards = list(wards)
    ids = [ward.id for ward in wards]
    if not ids:
        return {}
    found: dict[int, list[Election]] = {ward_id: [] for ward_id in ids}
    for contest in Contest.objects.filter(ward_id__in=ids, election__date__gte=on).select_related("election"):
        found[contest.ward_id].append(contest.election)
    council_elections: dict[int, list[Election]] = {}
    for election in Election.objects.filter(
        council_id__in={ward.council_id for ward in wards},
        kind__in=(ElectionKind.ALL_OUT, ElectionKind.THIRDS),
        date__gte=on,
    ):
        council_elections.setdefault(election.council_id, []).append(election)
    for ward in wards:
        found[ward.id] += council_elections.get(ward.council_id, [])
    # General elections: each constituency's whole wards and the wards of its split districts, one row per pair.
    pairs = set()
    wanted = set(ids)
    for whole, split, election_id in (
        Contest.objects.filter(election__kind=ElectionKind.GENERAL, election__date__gte=on)
        .filter(Q(constituency__wards__in=ids) | Q(constituency__polling_districts__ward__in=ids))
        .values_list("constituency__wards", "constituency__polling_districts__ward", "election_id")
    ):
        pairs |= {(ward_id, election_id) for ward_id in (whole, split) if ward_id in wanted}
    if pairs:
        elections = Election.objects.in_bulk({election_id for _, election_id in pairs})
        for ward_id, election_id in pairs:
            found[ward_id].append(elections[election_id])
    return {ward_id: min(elections, key=_follow_key) for ward_id, elections in found.items() if elections}


def current_election_for(ward: Ward, on: dt.date | None = None) -> Election | None:
    """The election the ward's pages, target lists and polling day follow: its open by-election until polling day
    has passed, else the next election scheduled for it (`current_elections_for`); None when nothing is."""
    return current_elections_for(wards=[ward], on=on).get(ward.id)


def electors_rule(election: Election | None) -> rules.Rule:
    """Who may vote at the election a ward follows: council electors (a general election: parliamentary
    electors) who are of age by its polling day; council electors when no election is ahead."""
    if election is None:
        return rules.COUNCIL_ELECTOR
    return rules.elector_at(parliamentary=election.kind == ElectionKind.GENERAL, polling_day=election.date)


def electors_label(election: Election | None) -> str:
    """What the target lists count, in words: which electors, and by which polling day."""
    if election is None:
        return "council electors on the register"
    which = "parliamentary electors" if election.kind == ElectionKind.GENERAL else "council electors"
    return f"{which} on the register who may vote on {election.date:%-d %B %Y}"
