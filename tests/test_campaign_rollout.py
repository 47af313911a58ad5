import pytest

from tests.factories import CouncilFactory, WardFactory
from tests.wards_data import ward_with_result
from wards.models import Campaign, Zone, ZoneOpening
from wards.selectors import ward_ranking
from wards.services import CampaignError, campaign_rollout, road_to_majority, rollout_next_zone, wards_recompute


@pytest.fixture
def council(db):
    return CouncilFactory(total_seats=54)


def winnable(council, zone, **kwargs):
    return ward_with_result(ours_votes=60, rival_votes=40, council=council, zone=zone, **kwargs)


def losing(council, zone, ours_votes=30, **kwargs):
    return ward_with_result(ours_votes=ours_votes, rival_votes=70, council=council, zone=zone, **kwargs)


def test_wards_rank_zone_by_zone_north_then_south_then_villages(council):
    village = winnable(council, Zone.VILLAGES, name="Bramley")
    south = winnable(council, Zone.SOUTH, name="South Ham")
    north = losing(council, Zone.NORTH, name="Popley")
    wards_recompute()
    assert [row.ward for row in ward_ranking(council=council)] == [north, south, village]


def test_within_a_zone_wards_rank_by_winnability(council):
    weak = losing(council, Zone.NORTH, ours_votes=10, name="Norden")
    strong = winnable(council, Zone.NORTH, name="Chineham")
    middling = losing(council, Zone.NORTH, ours_votes=50, name="Popley")
    wards_recompute()
    assert [row.ward for row in ward_ranking(council=council)] == [strong, middling, weak]


def test_the_campaign_starts_in_the_north(council):
    losing(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    wards_recompute()
    assert Campaign.objects.get(council=council).current_zone == Zone.NORTH


def test_the_south_opens_when_every_northern_ward_is_held_or_projected_won(council):
    WardFactory(council=council, zone=Zone.NORTH, seats=3, seats_held=3)
    winnable(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    wards_recompute()
    assert Campaign.objects.get(council=council).current_zone == Zone.SOUTH
    assert [row.is_open for row in ward_ranking(council=council)] == [True, True, True]


def test_one_unwon_northern_ward_keeps_the_campaign_in_the_north(council):
    winnable(council, Zone.NORTH)
    losing(council, Zone.NORTH)
    south = losing(council, Zone.SOUTH)
    wards_recompute()
    assert Campaign.objects.get(council=council).current_zone == Zone.NORTH
    assert not next(row for row in ward_ranking(council=council) if row.ward == south).is_open


def test_an_organiser_can_advance_to_the_next_zone_and_a_recompute_keeps_it(council, alice):
    losing(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    wards_recompute()
    campaign = campaign_rollout(council=council, advance=True, by=alice)
    assert (campaign.current_zone, campaign.advanced_by) == (Zone.SOUTH, alice)
    wards_recompute()
    assert Campaign.objects.get(council=council).current_zone == Zone.SOUTH


def test_advancing_past_the_last_zone_is_refused(council):
    losing(council, Zone.NORTH)
    losing(council, Zone.VILLAGES)
    campaign_rollout(council=council, advance=True)
    with pytest.raises(CampaignError, match="last zone"):
        campaign_rollout(council=council, advance=True)


@pytest.mark.parametrize(
    ("total_seats", "majority", "gap_after"),
    [(60, 31, 14), (54, 28, 11)],
)
def test_road_to_majority_counts_held_seats_projected_gains_and_the_gap(db, total_seats, majority, gap_after):
    council = CouncilFactory(name=f"Council of {total_seats}", total_seats=total_seats)
    for _ in range(4):
        WardFactory(council=council, seats=3, seats_held=3, seats_up=1)
    WardFactory(council=council, seats=3, seats_held=2, seats_up=1)
    winnable(council, Zone.SOUTH, seats_held=1)
    winnable(council, Zone.SOUTH, seats_held=0)
    losing(council, Zone.VILLAGES)
    wards_recompute()
    road = road_to_majority(council=council)
    assert (road.majority, road.seats_held, road.seats_projected_gain) == (majority, 15, 2)
    assert road.gap_after_next_election == gap_after


def test_road_to_majority_counts_every_seat_up_in_an_all_out_election(db):
    council = CouncilFactory(total_seats=54)
    winnable(council, Zone.NORTH, seats=3, seats_up=3, seats_held=1)
    wards_recompute()
    assert road_to_majority(council=council).seats_projected_gain == 2


def test_the_ranking_loads_in_two_queries_however_many_wards(council, django_assert_num_queries):
    for zone in (Zone.NORTH, Zone.SOUTH, Zone.VILLAGES, Zone.NORTH):
        losing(council, zone)
    wards_recompute()
    with django_assert_num_queries(2):  # the campaign's current zone, then the ranked rows with their wards
        names = [row.ward.name for row in ward_ranking(council=council)]
    assert len(names) == 4


def test_each_advance_is_kept_in_the_rollout_trail_with_who_opened_which_zone(council, alice):
    losing(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    losing(council, Zone.VILLAGES)
    campaign_rollout(council=council, advance=True, by=alice)
    campaign_rollout(council=council, advance=True, by=alice)
    trail = ZoneOpening.objects.filter(campaign__council=council).order_by("at", "id")
    assert [(o.from_zone, o.to_zone, o.opened_by, o.username) for o in trail] == [
        (Zone.NORTH, Zone.SOUTH, alice, "alice"),
        (Zone.SOUTH, Zone.VILLAGES, alice, "alice"),
    ]


def test_a_recompute_writes_nothing_to_the_rollout_trail(council):
    losing(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    wards_recompute()
    campaign_rollout(council=council)
    assert not ZoneOpening.objects.exists()


def test_the_next_zone_is_named_without_opening_it(council):
    losing(council, Zone.NORTH)
    losing(council, Zone.SOUTH)
    assert rollout_next_zone(council=council) == (Zone.NORTH, Zone.SOUTH)
    campaign_rollout(council=council, advance=True)
    assert rollout_next_zone(council=council) == (Zone.SOUTH, None)
