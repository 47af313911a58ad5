"""The demo council's recent elections, sized to the demo register so every turnout is a real one.

May 2021 all out on the new boundaries (three seats a ward), May 2024 by thirds (one seat), and the
July 2024 general election in two constituencies, one ward split between them by polling district.
The electorate of each ward contest is its council electors on the demo register, ballots a turnout
of 28-40% of them; each elector casts one vote per seat up, so votes add up to more than the ballots
in 2021, never in 2024. Constituency codes are placeholders: the demo does not claim real ones.
"""

import datetime as dt
import random

from django.db.models import Count

from canvass.demo import council as data
from canvass.demo.people import FORENAMES, SURNAMES
from canvass.models import Voter
from wards.elections.selectors import in_constituency_filter
from wards.elections.services import council_cycle_set, last_results_refresh
from wards.models import Candidate, Constituency, Contest, Council, Election, ElectionKind, Party, PollingDistrict, Ward

ALL_OUT_2021 = dt.date(2021, 5, 6)
THIRDS_2024 = dt.date(2024, 5, 2)
GENERAL_2024 = dt.date(2024, 7, 4)
# Candidates each party stands when three seats are up.
SLATE = {"LAB": 3, "CON": 3, "LD": 3, "BDI": 2, "GRN": 1, "IND": 1, "WEP": 1}
TOWN_SEAT = ("Basingstoke", "DEMO-BAS")
RURAL_SEAT = ("North West Hampshire", "DEMO-NWH")
SPLIT_WARD = (
    "Sherborne St John & Rooksdown"  # Rooksdown (first district) in the town seat, the village in the rural one
)
GENERAL_SHARES = {"LAB": 38, "CON": 33, "LD": 14, "GRN": 6, "IND": 2, "BDI": 0, "WEP": 0}


def demo_elections_build(*, council: Council, wards: dict[str, Ward], parties: dict[str, Party], seed: int) -> int:
    """Create what is missing of the demo's elections; returns the contests created."""
    council_cycle_set(council=council, cycle=ElectionKind.THIRDS)
    electorate = dict(
        Voter.objects.on_register()
        .council_electors()
        .filter(polling_district__ward__council=council)
        .values_list("polling_district__ward_id")
        .annotate(n=Count("id"))
    )
    created = 0
    for kind, date, seats in ((ElectionKind.ALL_OUT, ALL_OUT_2021, 3), (ElectionKind.THIRDS, THIRDS_2024, 1)):
        election, _ = Election.objects.get_or_create(council=council, date=date, kind=kind)
        done = set(election.contests.values_list("ward_id", flat=True))
        for demo_ward in data.WARDS:
            ward = wards[demo_ward.name]
            if ward.id in done or not electorate.get(ward.id):
                continue
            rng = random.Random(f"{seed}:{demo_ward.name}:{date}")
            support = data.LOCAL_SUPPORT_BY_ZONE[demo_ward.zone]
            _ward_contest(election, ward, seats, electorate[ward.id], support, parties, rng)
            created += 1
    created += _general(council, wards, parties, seed)
    last_results_refresh(ward_ids=[ward.id for ward in wards.values()])
    return created


def _name(rng: random.Random, taken: set[str]) -> str:
    """A candidate's name not already standing in the contest."""
    while (name := f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES).title()}") in taken:
        pass
    taken.add(name)
    return name


def _ballots(rng: random.Random, electorate: int) -> int:
    return max(1, round(electorate * rng.uniform(0.28, 0.40)))


def _ward_contest(election, ward, seats, electorate, support, parties, rng) -> None:
    ballots = _ballots(rng, electorate)
    contest = Contest.objects.create(
        election=election, ward=ward, seats_contested=seats, ballots_issued=ballots, electorate=electorate
    )
    shares = {code: share * rng.uniform(0.75, 1.25) for code, share in support.items()}
    total = sum(shares.values())
    people, taken = [], set()
    for code, share in shares.items():
        for _ in range(SLATE[code] if seats > 1 else 1):
            # 98% of ballots valid; each candidate of a party polls close to the party's share of them.
            people.append(
                [_name(rng, taken), parties[code], round(ballots * 0.98 * share / total * rng.uniform(0.9, 1.0))]
            )
    people.sort(key=lambda person: -person[2])
    Candidate.objects.bulk_create(
        Candidate(contest=contest, name=name, party=party, votes=votes, elected=place < seats)
        for place, (name, party, votes) in enumerate(people)
    )


def _general(council, wards, parties, seed) -> int:
    town, _ = Constituency.objects.get_or_create(code=TOWN_SEAT[1], defaults={"name": TOWN_SEAT[0]})
    rural, _ = Constituency.objects.get_or_create(code=RURAL_SEAT[1], defaults={"name": RURAL_SEAT[0]})
    for demo_ward in data.WARDS:
        if demo_ward.name == SPLIT_WARD:
            districts = list(PollingDistrict.objects.filter(ward=wards[demo_ward.name]).order_by("code"))
            town.polling_districts.add(*districts[:1])
            rural.polling_districts.add(*districts[1:])
        else:
            (rural if demo_ward.zone == "villages" else town).wards.add(wards[demo_ward.name])
    election, _ = Election.objects.get_or_create(council=council, date=GENERAL_2024, kind=ElectionKind.GENERAL)
    created = 0
    for constituency in (town, rural):
        if Contest.objects.filter(election=election, constituency=constituency).exists():
            continue
        inside = in_constituency_filter(constituency)
        electorate = Voter.objects.on_register().westminster_electors().filter(inside).distinct().count()
        if not electorate:
            continue
        rng = random.Random(f"{seed}:{constituency.code}:{GENERAL_2024}")
        ballots = _ballots(rng, electorate) + round(electorate * 0.25)  # a general election brings more out
        ballots = min(ballots, electorate)
        contest = Contest.objects.create(
            election=election, constituency=constituency, ballots_issued=ballots, electorate=electorate
        )
        taken: set[str] = set()
        shares = {code: share * rng.uniform(0.85, 1.15) for code, share in GENERAL_SHARES.items() if share}
        total = sum(shares.values())
        people = sorted(
            (
                (_name(rng, taken), parties[code], round(ballots * 0.99 * share / total))
                for code, share in shares.items()
            ),
            key=lambda person: -person[2],
        )
        Candidate.objects.bulk_create(
            Candidate(contest=contest, name=name, party=party, votes=votes, elected=place == 0)
            for place, (name, party, votes) in enumerate(people)
        )
        created += 1
    return created
