"""The campaign's third step: the parliamentary seat, from the last general election and the canvass.

Electors counted are parliamentary electors on the register (the register's own rule, in
`VoterQuerySet.westminster_electors`), in the constituency's whole wards and split polling districts.
Each voter's national intention is their latest spoken contact's, as on the ward pages.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery

from canvass.models import ContactRecord, Outcome, Voter
from wards.models import Candidate, Constituency, Contest, Council, ElectionKind, Party, PollingDistrict


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


def _latest_national(nth: int):
    readings = ContactRecord.objects.filter(voter=OuterRef("pk"), outcome=Outcome.SPOKE).exclude(national_intention="")
    return Subquery(
        readings.order_by("-contacted_at", "-id").values("national_party_id")[nth : nth + 1],
        output_field=IntegerField(),
    )


def _latest_answer(nth: int = 0):
    readings = ContactRecord.objects.filter(voter=OuterRef("pk"), outcome=Outcome.SPOKE).exclude(national_intention="")
    return Subquery(readings.order_by("-contacted_at", "-id").values("national_intention")[nth : nth + 1])


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
    counts: dict[str, int] = {}
    canvassed = 0
    for answer, party_id, n in (
        electors.annotate(answer=_latest_answer(), party=_latest_national(0))
        .filter(answer__isnull=False)
        .values_list("answer", "party")
        .annotate(n=Count("id"))
    ):
        key = OURS_KEY if party_id is not None and party_id == ours else (codes.get(party_id) or answer)
        counts[key] = counts.get(key, 0) + n
        canvassed += n
    moved = (
        []
        if ours is None
        else (
            electors.annotate(now=_latest_national(0), before=_latest_national(1))
            .filter(before__isnull=False, now__isnull=False)
            .values_list("polling_district__ward_id", "polling_district__ward__name")
            .annotate(
                to_us=Count("id", filter=Q(now=ours) & ~Q(before=ours)),
                from_us=Count("id", filter=Q(before=ours) & ~Q(now=ours)),
            )
        )
    )
    movement = sorted(
        (WardMovement(ward_id, name, to_us, from_us) for ward_id, name, to_us, from_us in moved),
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
