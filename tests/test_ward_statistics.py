from decimal import Decimal

import pytest

from canvass.models import Intention
from tests.factories import OurPartyFactory, WardFactory
from tests.wards_data import district, not_in, party, spoke, voter
from wards.models import AreaStatistics, ContactRateSample, WardResult
from wards.selectors import council_statistics, ward_statistics, zone_statistics
from wards.services import ward_statistics_recompute


@pytest.fixture
def canvassed_popley(db):
    """Popley: seven council electors, five spoken to, one split-ticket promise with a postal vote."""
    lab, con, ld = OurPartyFactory(), party("CON"), party("LD")
    popley = WardFactory(name="Popley", expected_turnout_percent=Decimal("40.0"))
    for code, votes in ((lab, 400), (con, 500), (ld, 100)):
        WardResult.objects.create(ward=popley, party=code, votes=votes)
    ab1 = district(popley, "AB1")
    v1 = voter(ab1, number=1, is_postal_voter=True)
    v2 = voter(ab1, household=v1.household)
    v3 = voter(ab1, number=3)
    v4 = voter(ab1, number=4)
    v5 = voter(ab1, number=5)
    voter(ab1, number=6)
    overseas = voter(ab1, number=7, markers="F")
    gone = voter(ab1, number=8, on_register=False)
    refuser = voter(ab1, number=9, do_not_contact=True)
    spoke(v1, local=lab, national=con, likelihood=5)
    spoke(v2, local=lab, national=lab, likelihood=4)
    spoke(v3, local=con, days=100)
    spoke(v3, local=Intention.UNDECIDED, likelihood=3, days=2)
    spoke(v4, local=con, national=con, likelihood=1, days=120)
    not_in(v5)
    spoke(overseas, local=lab)
    spoke(gone, local=lab)
    spoke(refuser, local=lab, likelihood=5)
    return popley


def popley_stats(ward) -> AreaStatistics:
    ward_statistics_recompute(ward_ids=[ward.id])
    return ward_statistics(ward=ward)


def test_electors_are_council_electors_on_the_register(canvassed_popley):
    assert popley_stats(canvassed_popley).electors == 7


def test_households_count_each_door_once(canvassed_popley):
    assert popley_stats(canvassed_popley).households == 6


def test_contacted_counts_electors_spoken_to_ever_and_in_the_last_90_days(canvassed_popley):
    stats = popley_stats(canvassed_popley)
    assert (stats.contacted_ever, stats.contacted_recently) == (5, 4)
    assert stats.contact_rate == Decimal("0.714")


def test_outcomes_count_every_contact_made_in_the_ward(canvassed_popley):
    assert popley_stats(canvassed_popley).outcomes == {"spoke": 8, "not_in": 1}


def test_local_intentions_come_from_each_voters_latest_conversation(canvassed_popley):
    stats = popley_stats(canvassed_popley)
    assert stats.local_intentions == {"LAB": 3, "CON": 1, "undecided": 1}
    assert stats.local_shares()["LAB"] == Decimal("0.600")


def test_national_intentions_come_from_each_voters_latest_conversation(canvassed_popley):
    assert popley_stats(canvassed_popley).national_intentions == {"CON": 2, "LAB": 1}


def test_split_ticket_is_ours_locally_and_another_party_nationally(canvassed_popley):
    stats = popley_stats(canvassed_popley)
    assert (stats.ours_locally, stats.split_ticket) == (3, 1)
    assert stats.split_ticket_share == Decimal("0.333")


def test_promises_likely_supporters_and_undecided(canvassed_popley):
    stats = popley_stats(canvassed_popley)
    assert (stats.promises, stats.likely_supporters, stats.undecided) == (2, 1, 1)


def test_postal_voters_among_supporters(canvassed_popley):
    assert popley_stats(canvassed_popley).postal_supporters == 1


def test_projection_weighs_expected_votes_against_the_votes_to_beat_the_top_rival(canvassed_popley):
    stats = popley_stats(canvassed_popley)
    # Turnout 40% of 7 = 3 ballots; 3 of 5 canvassed support us = 2 votes; CON took half last time: 3 * 0.5 + 1.
    assert (stats.expected_turnout, stats.expected_votes, stats.votes_needed) == (3, 2, 2)
    assert stats.winnability == Decimal("1.000")
    assert stats.projected_win
    assert stats.seats_projected_gain == 1


def test_projection_without_a_last_result_uses_the_quota(db):
    OurPartyFactory()
    ward = WardFactory(last_turnout_votes=1000, seats_up=1)
    stats = popley_stats(ward)
    assert (stats.expected_turnout, stats.expected_votes, stats.votes_needed) == (1000, 0, 501)
    assert stats.winnability == Decimal("0.000")


def test_a_ward_without_expected_turnout_has_no_projection(db):
    stats = popley_stats(WardFactory())
    assert (stats.expected_turnout, stats.winnability) == (None, None)


def test_zone_and_council_rows_add_up_their_wards(canvassed_popley):
    south = WardFactory(name="South Ham", zone="south", council=canvassed_popley.council)
    voter(district(south, "SH1"), number=1)
    ward_statistics_recompute()
    council = canvassed_popley.council
    assert council_statistics(council=council).electors == 8
    assert council_statistics(council=council).local_intentions == {"LAB": 3, "CON": 1, "undecided": 1}
    assert [(z.zone, z.electors) for z in zone_statistics(council=council)] == [("north", 7), ("south", 1)]


def test_recompute_replaces_rather_than_adds_rows(canvassed_popley):
    ward_statistics_recompute()
    ward_statistics_recompute()
    assert AreaStatistics.objects.wards().count() == 1
    assert AreaStatistics.objects.councils().count() == 1


def test_contact_rate_series_runs_day_by_day_and_sums_into_the_council(canvassed_popley):
    ward_statistics_recompute()
    daily = ContactRateSample.objects.filter(ward=canvassed_popley, period="day").order_by("period_start")
    # First conversations: v4 120 days ago, v3 100 days ago, v3 again (not new), v1, v2, refuser yesterday.
    assert [(s.newly_contacted, s.contacted) for s in daily] == [(1, 1), (1, 2), (3, 5)]
    council = ContactRateSample.objects.filter(ward__isnull=True, period="day").order_by("period_start")
    assert [s.contacted for s in council] == [1, 2, 5]
    weekly = ContactRateSample.objects.filter(ward=canvassed_popley, period="week")
    assert sorted(s.contacted for s in weekly) == [1, 2, 5]
