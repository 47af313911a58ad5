import datetime as dt
from decimal import Decimal

import pytest

from canvass.models import Intention
from tests.factories import CouncilFactory, OurPartyFactory, WardFactory
from tests.wards_data import district, party, spoke, voter
from wards.elections.seat import constituencies_of, district_ids_of, road_to_seat
from wards.models import Constituency, ElectionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(db):
    """Town (all of Popley, and Rooksdown's RK1) and Rural (Rooksdown's RK2): a ward split by polling district."""
    lab, con = OurPartyFactory(), party("CON")
    council = CouncilFactory()
    popley, rooksdown = WardFactory(name="Popley", council=council), WardFactory(name="Rooksdown", council=council)
    po1, rk1, rk2 = district(popley, "PO1"), district(rooksdown, "RK1"), district(rooksdown, "RK2")
    town = Constituency.objects.create(name="Town", code="T1")
    rural = Constituency.objects.create(name="Rural", code="R1")
    town.wards.add(popley)
    town.polling_districts.add(rk1)
    rural.polling_districts.add(rk2)
    people = {
        "p1": voter(po1, number=1),
        "p2": voter(po1, number=2),
        "r1": voter(rk1, number=1),
        "r2": voter(rk2, number=1),
        "overseas": voter(po1, number=3, markers="F"),
        "eu": voter(po1, number=4, markers="G"),
    }
    spoke(people["p1"], national=con, days=40)
    spoke(people["p1"], national=lab, days=2)  # moved to us
    spoke(people["p2"], national=lab, days=40)
    spoke(people["p2"], national=con, days=2)  # moved away
    spoke(people["r1"], national=con, days=40)
    spoke(people["r1"], national=lab, days=2)  # moved to us, in Rooksdown's town half
    spoke(people["r2"], national=lab, days=2)  # the rural half: not the town's
    spoke(people["overseas"], national=lab)  # may vote for an MP
    spoke(people["eu"], national=lab)  # may not: local elections only
    spoke(voter(po1, number=5), national=Intention.UNDECIDED)
    return {"lab": lab, "con": con, "town": town, "rural": rural, "council": council, "rk1": rk1, "rk2": rk2}


def general(constituency, lab, con, *, ours, theirs, ballots=100):
    from wards.models import Candidate, Contest, Election

    election, _ = Election.objects.get_or_create(council=None, date=dt.date(2024, 7, 4), kind=ElectionKind.GENERAL)
    made = Contest.objects.create(election=election, constituency=constituency, ballots_issued=ballots, electorate=200)
    Candidate.objects.create(contest=made, name="Lab", party=lab, votes=ours, elected=ours > theirs)
    Candidate.objects.create(contest=made, name="Con", party=con, votes=theirs, elected=theirs > ours)
    return made


def test_a_split_ward_counts_only_its_districts_in_each_constituency(split):
    assert set(district_ids_of(split["town"])) == {
        split["rk1"].id,
        *split["town"].wards.get().polling_districts.values_list("id", flat=True),
    }
    assert district_ids_of(split["rural"]) == [split["rk2"].id]
    assert {c.code for c in constituencies_of(council=split["council"])} == {"T1", "R1"}


def test_national_intention_across_the_constituency_counts_parliamentary_electors_only(split):
    road = road_to_seat(constituency=split["town"])
    # p1, r1 and the overseas elector for us; p2 Conservative; one undecided; not r2 (rural), not the EU citizen.
    assert road.national_counts == {"__ours__": 3, "CON": 1, "undecided": 1}
    assert (road.canvassed, road.our_share) == (5, Decimal("0.600"))


def test_the_wards_with_most_movement_to_us_come_first(split):
    road = road_to_seat(constituency=split["town"])
    assert [(m.ward_name, m.to_us, m.from_us) for m in road.movement] == [("Rooksdown", 1, 0), ("Popley", 1, 1)]


def test_votes_needed_come_from_the_last_general_result(split):
    general(split["town"], split["lab"], split["con"], ours=30, theirs=45)
    road = road_to_seat(constituency=split["town"])
    assert (road.our_votes, road.winner_votes, road.votes_needed, road.we_hold) == (30, 45, 16, False)
    assert road.last_share == Decimal("0.300")
    assert road.projected_votes == 60  # 60% of the canvassed, at the last election's 100 ballots


def test_a_seat_we_hold_needs_no_more_votes(split):
    general(split["rural"], split["lab"], split["con"], ours=50, theirs=40)
    assert road_to_seat(constituency=split["rural"]).votes_needed == 0
