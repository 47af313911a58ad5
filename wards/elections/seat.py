"""The campaign's third step: the parliamentary seat, from the last general election and the canvass.

Electors counted are parliamentary electors on the register (the register's own rule, in
`VoterQuerySet.westminster_electors`), in the constituency's whole wards and split polling districts.
Each voter's national intention is their latest spoken contact's, as on the ward pages.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from canvass.models import ContactRecord, Outcome, Voter
from wards.models import Candidate, Constituency, Contest, Council, ElectionKind, Party, PollingDistrict, Ward


@dataclass(frozen=True)
class WardMovement:
    ward_id: int
    ward_name: str
    to_us: int
    from_us: int

    @property
    def net(self) -> int:
        return self.to_us - self.from_us


@dataclass(frozen=True)
class RoadToSeat:
    constituency: Constituency
    last_general: Contest | None
    our_votes: int | None
    winner_votes: int | None
    we_hold: bool
    national_counts: dict[str, int]  # party code (or intention) -> voters whose latest answer it is
    canvassed: int
    movement: list[WardMovement]

    @property
    def our_share(self) -> Decimal | None:
        ours = self.national_counts.get(OURS_KEY, 0)
        return (Decimal(ours) / self.canvassed).quantize(Decimal("0.001")) if self.canvassed else None

    @property
    def votes_needed(self) -> int | None:
        """Votes to add to our last result to pass the winner's (to keep the seat, 0)."""
        if self.last_general is None or self.our_votes is None or self.winner_votes is None:
            return None
        return 0 if self.we_hold else self.winner_votes - self.our_votes + 1

    @property
    def projected_votes(self) -> int | None:
        """Our canvass share of the last general election's ballots."""
        if self.our_share is None or not self.last_general or not self.last_general.ballots_issued:
            return None
        return round(self.last_general.ballots_issued * self.our_share)

    @property
    def last_share(self) -> Decimal | None:
        if self.our_votes is None or not self.last_general or not self.last_general.ballots_issued:
            return None
        return (Decimal(self.our_votes) / self.last_general.ballots_issued).quantize(Decimal("0.001"))


OURS_KEY = "__ours__"


def _last_two_readings(electors):
    """Each elector's two latest spoken national answers (newest first): one windowed query, no per-voter subquery."""
    rank = Window(RowNumber(), partition_by=[F("voter_id")], order_by=[F("contacted_at").desc(), F("id").desc()])
    return (
        ContactRecord.objects.filter(outcome=Outcome.SPOKE, voter__in=electors.values("id"))
        .exclude(national_intention="")
        .annotate(nth=rank)
        .filter(nth__lte=2)
        .values_list("voter_id", "nth", "national_intention", "national_party_id", "voter__polling_district__ward_id")
    )


def constituencies_of(*, council: Council) -> list[Constituency]:
    return list(
        Constituency.objects.filter(Q(wards__council=council) | Q(polling_districts__ward__council=council))
        .distinct()
        .order_by("name")
    )


def district_ids_of(constituency: Constituency) -> list[int]:
    return list(
        PollingDistrict.objects.filter(Q(ward__constituencies=constituency) | Q(constituencies=constituency))
        .distinct()
        .values_list("id", flat=True)
    )


def road_to_seat(*, constituency: Constituency) -> RoadToSeat:
    """The seat's last general result, the canvass's national intention across it, and where it moves to us."""
    ours = Party.objects.filter(is_ours=True).values_list("id", flat=True).first()
    codes = dict(Party.objects.values_list("id", "code"))
    districts = district_ids_of(constituency)
    electors = Voter.objects.on_register().westminster_electors().filter(polling_district_id__in=districts)
    latest: dict[int, tuple] = {}
    before: dict[int, int | None] = {}
    for voter_id, nth, answer, party_id, ward_id in _last_two_readings(electors):
        if nth == 1:
            latest[voter_id] = (answer, party_id, ward_id)
        else:
            before[voter_id] = party_id
    counts: dict[str, int] = {}
    for answer, party_id, _ in latest.values():
        key = OURS_KEY if party_id is not None and party_id == ours else (codes.get(party_id) or answer)
        counts[key] = counts.get(key, 0) + 1
    canvassed = len(latest)
    moves: dict[int, list[int]] = {}
    for voter_id, previous in before.items():
        _, now, ward_id = latest[voter_id]
        if ours is None or previous is None or now is None or (previous == ours) == (now == ours):
            continue
        moves.setdefault(ward_id, [0, 0])[0 if now == ours else 1] += 1
    names = dict(Ward.objects.filter(id__in=list(moves)).values_list("id", "name"))
    movement = sorted(
        (WardMovement(ward_id, names[ward_id], to_us, from_us) for ward_id, (to_us, from_us) in moves.items()),
        key=lambda m: (-m.net, m.ward_name),
    )
    last = (
        Contest.objects.filter(constituency=constituency, election__kind=ElectionKind.GENERAL)
        .select_related("election")
        .order_by("-election__date")
        .first()
    )
    our_votes = winner_votes = None
    we_hold = False
    if last is not None:
        standings = list(Candidate.objects.filter(contest=last).order_by("-votes").values_list("votes", "party_id"))
        our_votes = max((votes for votes, party_id in standings if party_id == ours), default=0)
        winner_votes = standings[0][0] if standings else None
        we_hold = bool(standings) and standings[0][1] == ours
    return RoadToSeat(constituency, last, our_votes, winner_votes, we_hold, counts, canvassed, movement)
