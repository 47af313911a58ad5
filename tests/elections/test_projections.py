import datetime as dt
from decimal import Decimal

import pytest

from tests.elections.helpers import contest
from tests.factories import CouncilFactory, OurPartyFactory, PartyFactory, WardFactory
from tests.wards_data import district, voter
from wards.elections.selectors import comparable_contests
from wards.elections.services import ElectionError, by_election_open
from wards.models import ElectionKind
from wards.selectors import ward_statistics
from wards.services import ward_statistics_recompute
from wards.services.campaign import road_to_majority

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(db):
    return OurPartyFactory(), PartyFactory(code="CON", name="Conservative"), PartyFactory(code="LD", name="Lib Dem")


def all_out_2021(ward, parties, *, ours=(900, 850, 800), rivals=(700, 650, 600)):
    """Three seats up: 1,000 ballots, each elector with three votes; our three candidates ahead."""
    lab, con, _ = parties
    people = [(f"Lab {i}", lab, votes, True) for i, votes in enumerate(ours)]
    people += [(f"Con {i}", con, votes, False) for i, votes in enumerate(rivals)]
    return contest(
        ward,
        kind=ElectionKind.ALL_OUT,
        date=dt.date(2021, 5, 6),
        seats=3,
        ballots=1000,
        electorate=4000,
        candidates=people,
    )


def test_turnout_is_ballots_over_the_electorate_not_the_sum_of_votes(parties):
    made = all_out_2021(WardFactory(), parties)
    assert sum(made.candidates.values_list("votes", flat=True)) == 4500
    assert made.turnout == Decimal("0.2500")


def test_shares_are_per_ballot_so_a_three_seat_ward_does_not_triple_them(parties):
    ward = WardFactory()
    all_out_2021(ward, parties)
    comparable = comparable_contests(ward_ids=[ward.id])[ward.id]
    assert comparable.our_share_of_ballots() == Decimal("0.9")
    assert comparable.rival_votes_per_ballot(1) == Decimal("0.7")
    assert comparable.rival_votes_per_ballot(3) == Decimal("0.6")


def test_the_projection_uses_the_last_comparable_contests_turnout_over_todays_electors(parties):
    ward = WardFactory()
    all_out_2021(ward, parties)
    contest(
        ward,
        kind=ElectionKind.GENERAL,
        date=dt.date(2024, 7, 4),
        ballots=10,
        electorate=10,
        candidates=[("MP", parties[1], 10, True)],
    )
    ab1 = district(ward, "AB1")
    for number in range(1, 9):
        voter(ab1, number=number)
    ward_statistics_recompute(ward_ids=[ward.id])
    stats = ward_statistics(ward=ward)
    # 8 electors today at the 2021 turnout of 25%: 2 ballots; the general election is not comparable.
    assert (stats.electors, stats.expected_turnout) == (8, 2)


def test_a_thirds_election_puts_one_seat_up_and_beats_the_best_rival(parties):
    ward = WardFactory(seats_up=3)
    ward.council.cycle = "thirds"
    ward.council.save()
    all_out_2021(ward, parties, ours=(680, 500, 400), rivals=(700, 650, 600))
    ward_statistics_recompute(ward_ids=[ward.id])
    stats = ward_statistics(ward=ward)
    # 1,000 ballots expected; we had 68% of them, the best rival 70%: one seat, not won.
    assert (stats.expected_votes, stats.votes_needed, stats.seats_projected_gain) == (680, 701, 0)


def test_an_all_out_election_puts_every_seat_up(parties):
    ward = WardFactory(seats_up=1)
    ward.council.cycle = "all_out"
    ward.council.save()
    all_out_2021(ward, parties, ours=(680, 500, 400), rivals=(700, 650, 600))
    ward_statistics_recompute(ward_ids=[ward.id])
    stats = ward_statistics(ward=ward)
    # Three seats up: beat the third rival (60%) and all three are projected.
    assert (stats.expected_votes, stats.votes_needed, stats.seats_projected_gain) == (680, 601, 3)


@pytest.mark.parametrize(
    ("wards", "cycle", "majority", "gain", "gap_after"),
    [(18, "thirds", 28, 18, 10), (18, "all_out", 28, 54, 0), (20, "thirds", 31, 20, 11), (20, "all_out", 31, 60, 0)],
)
def test_the_road_to_majority_follows_the_cycle_on_54_and_60_seats(parties, wards, cycle, majority, gain, gap_after):
    council = CouncilFactory(name=f"Council of {wards * 3}", total_seats=wards * 3, cycle=cycle)
    for _ in range(wards):
        all_out_2021(WardFactory(council=council, seats_held=0), parties)
    ward_statistics_recompute()
    road = road_to_majority(council=council)
    assert (road.total_seats, road.majority, road.seats_projected_gain, road.gap_after_next_election) == (
        wards * 3,
        majority,
        gain,
        gap_after,
    )


def test_a_by_election_projects_its_one_seat(parties):
    ward = WardFactory(seats_held=0)
    ward.council.cycle = "all_out"
    ward.council.save()
    all_out_2021(ward, parties)
    by_election_open(ward=ward, date=dt.date.today() + dt.timedelta(days=30))
    ward_statistics_recompute(ward_ids=[ward.id])
    stats = ward_statistics(ward=ward)
    # One seat: beat the best rival (70% of ballots), and one seat at most is gained.
    assert (stats.votes_needed, stats.seats_projected_gain) == (701, 1)


def test_a_ward_cannot_have_two_open_by_elections(parties):
    ward = WardFactory()
    by_election_open(ward=ward, date=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(ElectionError, match="already open"):
        by_election_open(ward=ward, date=dt.date.today() + dt.timedelta(days=40))


def test_a_by_election_in_the_past_is_refused(parties):
    with pytest.raises(ElectionError, match="today or later"):
        by_election_open(ward=WardFactory(), date=dt.date(2020, 1, 1))


def test_the_election_ahead_is_an_open_by_election_before_the_scheduled_one(parties):
    from wards.elections.selectors import current_election_for

    ward = WardFactory()
    assert current_election_for(ward) is None
    soon = dt.date.today() + dt.timedelta(days=10)
    contest(ward, kind=ElectionKind.THIRDS, date=soon, candidates=[])
    assert current_election_for(ward).kind == ElectionKind.THIRDS
    by_election = by_election_open(ward=ward, date=soon + dt.timedelta(days=30))
    assert current_election_for(ward) == by_election
    assert current_election_for(ward, on=by_election.date + dt.timedelta(days=1)) is None


def test_a_by_election_held_today_without_results_yet_leaves_the_last_result_as_the_base(parties):
    ward = WardFactory(seats_held=0)
    all_out_2021(ward, parties)
    by_election_open(ward=ward, date=dt.date.today())
    assert comparable_contests(ward_ids=[ward.id], before=dt.date.max)[ward.id].date == dt.date(2021, 5, 6)


def test_setting_the_cycle_keeps_each_wards_stored_seats_up_in_step(parties):
    from wards.elections.services import council_cycle_set

    council = CouncilFactory(name="Cycle council")
    ward = WardFactory(council=council, seats=3, seats_up=1)
    council_cycle_set(council=council, cycle="all_out")
    ward.refresh_from_db()
    assert (council.cycle, ward.seats_up) == ("all_out", 3)
    council_cycle_set(council=council, cycle="thirds")
    ward.refresh_from_db()
    assert ward.seats_up == 1
