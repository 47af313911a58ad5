"""Splitting a cut into rounds: streets whole, long streets by side and number range, nearby streets together."""

import pytest

from canvass.walklists.rounds import Door, plan_rounds, postcode_sector, street_order


def doors(street, numbers, *, postcode="RG21 7AB", district="PA1", start_id=0):
    return [Door(start_id + i, street, n, f"{n} {street}", postcode, district) for i, n in enumerate(numbers)]


def test_a_street_that_fits_stays_in_one_round():
    rounds = plan_rounds(doors("Abbey Road", range(1, 21)) + doors("Beech Way", range(1, 31), start_id=100), size=40)
    assert [r.streets for r in rounds] == [["Abbey Road"], ["Beech Way"]]


def test_the_walk_goes_up_the_odd_side_and_back_down_the_even_side():
    ordered = street_order(doors("Abbey Road", [4, 1, 2, 3, 6, 5]))
    assert [d.house_number for d in ordered] == [1, 3, 5, 6, 4, 2]


def test_a_long_street_splits_by_side():
    (odd, even) = plan_rounds(doors("Long Lane", range(1, 61)), size=40)
    assert odd.streets == ["Long Lane (odd)"] and {d.house_number % 2 for d in odd.doors} == {1}
    assert even.streets == ["Long Lane (even)"] and odd.size == even.size == 30


def test_a_side_too_long_for_a_round_splits_into_runs_of_numbers():
    rounds = plan_rounds(doors("Long Lane", range(1, 200, 2)), size=40)
    assert [r.size for r in rounds] == [34, 34, 32]
    assert rounds[0].streets == ["Long Lane 1–67 (odd)"] and rounds[1].streets == ["Long Lane 69–135 (odd)"]


def test_no_round_is_larger_than_the_size():
    mixed = [
        *doors("A Street", range(1, 45)),
        *doors("B Street", range(1, 12), start_id=100),
        *doors("C Street", range(1, 90), start_id=200),
    ]
    rounds = plan_rounds(mixed, size=30)
    assert all(r.size <= 30 for r in rounds)
    assert sorted(d.id for r in rounds for d in r.doors) == sorted(d.id for d in mixed)


def test_streets_in_the_same_postcode_sector_follow_each_other():
    mixed = [
        *doors("Alpha Road", range(1, 11), postcode="RG24 9AA"),
        *doors("Beta Road", range(1, 11), postcode="RG21 7AB", start_id=100),
        *doors("Gamma Road", range(1, 11), postcode="RG24 9AB", start_id=200),
    ]
    (only,) = plan_rounds(mixed, size=40)
    assert only.streets == ["Beta Road", "Alpha Road", "Gamma Road"]


def test_a_half_full_round_does_not_cross_into_the_next_sector():
    mixed = [
        *doors("Alpha Road", range(1, 26), postcode="RG21 7AB"),
        *doors("Beta Road", range(1, 11), postcode="RG24 9AA", start_id=100),
    ]
    assert [r.streets for r in plan_rounds(mixed, size=40)] == [["Alpha Road"], ["Beta Road"]]


def test_a_round_is_named_by_its_streets_within_the_name_length():
    many = [d for i in range(30) for d in doors(f"Street number {i:02}", [1], start_id=i * 10)]
    (only,) = plan_rounds(many, size=40)
    assert only.name().startswith("Street number 00, Street number 01") and only.name().endswith("more")
    assert len(only.name()) <= 120


def test_postcode_sector():
    assert postcode_sector("rg21 7ab") == "RG21 7" and postcode_sector("") == ""


def test_a_round_needs_a_door():
    with pytest.raises(ValueError):
        plan_rounds([], size=0)
