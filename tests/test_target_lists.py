import datetime as dt
from unittest import mock

import pytest

from canvass.models import Intention
from tests.factories import ContactRecordFactory, OurPartyFactory, WardFactory
from tests.wards_data import district, not_in, party, spoke, voter
from wards.models import Segment, TargetListEntry
from wards.selectors import knock_up_list, target_list
from wards.services import TellerReturnError, target_lists_rebuild, teller_return_record, wards_recompute
from wards.services import targets as targets_service

POLLING_DAY = dt.date(2027, 5, 6)


@pytest.fixture
def lab(db):
    return OurPartyFactory()


@pytest.fixture
def con(db):
    return party("CON")


@pytest.fixture
def ward(db):
    return WardFactory(name="Popley")


@pytest.fixture
def ab1(ward):
    return district(ward, "AB1")


def listed(ward, segment):
    return [(entry.voter, entry.reason) for entry in target_list(ward=ward, segment=segment)]


def test_persuadables_are_the_undecided_the_leaning_away_and_the_split_ticket(ward, ab1, lab, con):
    undecided = voter(ab1, number=1)
    spoke(undecided, local=Intention.UNDECIDED)
    leaning = voter(ab1, number=3)
    spoke(leaning, local=con, likelihood=2)
    split = voter(ab1, number=5)
    spoke(split, local=lab, national=con, likelihood=5)
    spoke(voter(ab1, number=7), local=lab, national=lab, likelihood=5)
    target_lists_rebuild(ward=ward)
    assert listed(ward, Segment.PERSUADABLE) == [
        (undecided, "undecided"),
        (leaning, "leaning_away"),
        (split, "split_ticket"),
    ]


def test_soft_supporters_are_the_probables_to_firm_up(ward, ab1, lab):
    probable = voter(ab1, number=1)
    spoke(probable, likelihood=4)
    ours_no_likelihood = voter(ab1, number=3)
    spoke(ours_no_likelihood, local=lab)
    spoke(voter(ab1, number=5), local=lab, likelihood=5)
    target_lists_rebuild(ward=ward)
    assert listed(ward, Segment.SOFT_SUPPORTER) == [(probable, "probable"), (ours_no_likelihood, "probable")]


def test_never_contacted_voters_are_listed_in_streets_where_we_do_well(ward, ab1, lab, con):
    spoke(voter(ab1, street="High Street", number=1), local=lab, likelihood=5)
    spoke(voter(ab1, street="Low Road", number=1), local=con, likelihood=1)
    fresh_high = voter(ab1, street="High Street", number=3)
    voter(ab1, street="Low Road", number=3)
    target_lists_rebuild(ward=ward)
    assert listed(ward, Segment.NEVER_CONTACTED) == [(fresh_high, "priority_street")]


def test_a_voter_not_in_when_called_is_not_never_contacted(ward, ab1):
    not_in(voter(ab1, number=1))
    fresh = voter(ab1, number=3)
    target_lists_rebuild(ward=ward)
    assert listed(ward, Segment.NEVER_CONTACTED) == [(fresh, "priority_street")]


def test_postal_supporters_are_chased_before_ballot_packs_go_out(ward, ab1, lab):
    postal = voter(ab1, number=1, is_postal_voter=True)
    spoke(postal, likelihood=4)
    spoke(voter(ab1, number=3), likelihood=4)
    spoke(voter(ab1, number=5, is_postal_voter=True), likelihood=2)
    target_lists_rebuild(ward=ward)
    assert listed(ward, Segment.POSTAL_SUPPORTER) == [(postal, "postal_vote")]


def test_lists_run_in_walking_order_street_then_odd_side_then_even(ward, ab1):
    church = [voter(ab1, street="Church Street", number=n) for n in (4, 1, 2, 3)]
    acre = voter(ab1, street="Acre Lane", number=9)
    target_lists_rebuild(ward=ward)
    entries = target_list(ward=ward, segment=Segment.NEVER_CONTACTED)
    assert [e.voter for e in entries] == [acre, church[1], church[3], church[2], church[0]]
    positions = [e.position for e in entries]
    assert positions == sorted(set(positions))


def test_do_not_contact_and_off_register_voters_never_appear(ward, ab1, lab):
    spoke(voter(ab1, number=1, do_not_contact=True), local=Intention.UNDECIDED)
    spoke(voter(ab1, number=3, on_register=False), local=Intention.UNDECIDED)
    spoke(voter(ab1, number=5, markers="F"), local=Intention.UNDECIDED)
    voter(ab1, number=7, do_not_contact=True)
    target_lists_rebuild(ward=ward)
    assert not TargetListEntry.objects.exists()


def test_a_do_not_contact_request_after_the_build_takes_effect_at_once(ward, ab1):
    asked = voter(ab1, number=1)
    spoke(asked, local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    asked.do_not_contact = True
    asked.save()
    assert listed(ward, Segment.PERSUADABLE) == []


def test_doors_flagged_do_not_knock_are_left_off(ward, ab1):
    flagged = voter(ab1, number=1)
    spoke(flagged, local=Intention.UNDECIDED, do_not_knock=True)
    housemate = voter(ab1, household=voter(ab1, number=3).household)
    ContactRecordFactory(voter=None, household=housemate.household, ward=ward, outcome="refused", do_not_knock=True)
    target_lists_rebuild(ward=ward)
    assert not TargetListEntry.objects.filter(voter__in=[flagged, housemate]).exists()


def test_knock_up_lists_promises_the_tellers_have_not_seen(ward, ab1, lab):
    voted, waiting = voter(ab1, number=1), voter(ab1, number=3, elector_suffix=1)
    postal = voter(ab1, number=5, is_postal_voter=True)
    for promise in (voted, waiting, postal):
        spoke(promise, local=lab, likelihood=5)
    target_lists_rebuild(ward=ward)
    assert [e.voter for e in knock_up_list(ward=ward, election_date=POLLING_DAY)] == [voted, waiting]
    assert (
        teller_return_record(
            election_date=POLLING_DAY, references=[f"ab1-{voted.elector_number}", f"AB1-{waiting.elector_number}"]
        )
        == 2
    )
    assert [e.voter for e in knock_up_list(ward=ward, election_date=POLLING_DAY)] == [waiting]
    teller_return_record(election_date=POLLING_DAY, references=[f"AB1-{waiting.elector_number}/1"])
    assert list(knock_up_list(ward=ward, election_date=POLLING_DAY)) == []


def test_teller_numbers_sent_twice_are_recorded_once(ward, ab1):
    assert teller_return_record(election_date=POLLING_DAY, references=["AB1-1", "AB1-1"]) == 1
    assert teller_return_record(election_date=POLLING_DAY, references=["AB1-1"]) == 0


@pytest.mark.parametrize(("reference", "message"), [("AB1 x", "number 2"), ("ZZ9-4", "unknown polling district")])
def test_a_bad_teller_number_rejects_the_batch_and_says_which(ward, ab1, reference, message):
    with pytest.raises(TellerReturnError, match=message):
        teller_return_record(election_date=POLLING_DAY, references=["AB1-1", reference])
    assert not knock_up_list(ward=ward, election_date=POLLING_DAY).exists()


def test_a_failure_half_way_leaves_the_last_good_lists(ward, ab1):
    first = voter(ab1, number=1)
    spoke(first, local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    before = list(TargetListEntry.objects.values_list("voter", "segment", "position"))
    spoke(voter(ab1, number=3), local=Intention.UNDECIDED)
    real_insert = targets_service._insert_entries

    def insert_then_die(*args, **kwargs):
        real_insert(*args, **kwargs)  # old rows deleted, new rows written: then the worker dies
        raise RuntimeError("worker killed")

    with mock.patch.object(targets_service, "_insert_entries", insert_then_die), pytest.raises(RuntimeError):
        wards_recompute(ward_ids=[ward.id])
    assert list(TargetListEntry.objects.values_list("voter", "segment", "position")) == before


def test_rebuilding_twice_replaces_the_lists(ward, ab1):
    spoke(voter(ab1, number=1), local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    target_lists_rebuild(ward=ward)
    assert TargetListEntry.objects.filter(segment=Segment.PERSUADABLE).count() == 1


def test_rebuilding_one_ward_leaves_the_others_lists_alone(ward, ab1):
    other = WardFactory(name="Norden")
    spoke(voter(district(other, "NO1"), number=1), local=Intention.UNDECIDED)
    wards_recompute()
    target_lists_rebuild(ward=ward)
    assert TargetListEntry.objects.filter(ward=other).count() == 1


def test_a_rebuild_with_nothing_changed_rewrites_no_entry(ward, ab1):
    spoke(voter(ab1, number=1), local=Intention.UNDECIDED)
    voter(ab1, number=3)
    target_lists_rebuild(ward=ward)
    before = sorted(TargetListEntry.objects.values_list("id", flat=True))
    assert target_lists_rebuild(ward=ward) == 0
    assert sorted(TargetListEntry.objects.values_list("id", flat=True)) == before


def test_a_new_voter_in_walking_order_takes_its_place_and_leaves_the_others_entries_alone(ward, ab1):
    spoke(voter(ab1, number=1), local=Intention.UNDECIDED)
    middle, last = voter(ab1, number=3), voter(ab1, number=5)
    spoke(last, local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    kept = set(TargetListEntry.objects.filter(segment=Segment.PERSUADABLE).values_list("id", "voter", "position"))
    spoke(middle, local=Intention.UNDECIDED)  # from never contacted to persuadable
    assert target_lists_rebuild(ward=ward) == 1
    entries = list(target_list(ward=ward, segment=Segment.PERSUADABLE))
    assert [e.voter for e in entries][1:] == [middle, last]
    assert kept <= set(TargetListEntry.objects.values_list("id", "voter", "position"))


def test_a_small_sync_rewrites_a_small_share_of_the_ward_s_entries(ward, ab1):
    doors = [voter(ab1, street="Church Street", number=n) for n in range(1, 101)]
    for person in doors[::2]:
        spoke(person, local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    entries = TargetListEntry.objects.filter(ward=ward)
    before = set(entries.values_list("id", flat=True))
    # A sync near the start of the walk: one voter joins the persuadables, one leaves them (now a promise).
    spoke(doors[1], local=Intention.UNDECIDED)
    spoke(doors[2], likelihood=5)
    target_lists_rebuild(ward=ward)
    rewritten = set(entries.values_list("id", flat=True)) - before
    assert len(before) == 100  # 50 persuadables, 50 never contacted in the one street
    # Written: the new persuadable and the new promise; deleted: the old persuadable and never contacted entries.
    assert len(rewritten) == 2
    assert len(before - set(entries.values_list("id", flat=True))) == 2
    persuadables = [e.voter for e in target_list(ward=ward, segment=Segment.PERSUADABLE)]
    assert persuadables[:2] == [doors[0], doors[4]] and doors[1] in persuadables and doors[2] not in persuadables


def test_a_list_and_its_voters_and_doors_load_in_one_query(ward, ab1, django_assert_num_queries):
    for number in (1, 3, 5):
        spoke(voter(ab1, number=number), local=Intention.UNDECIDED)
    target_lists_rebuild(ward=ward)
    with django_assert_num_queries(1):
        rows = [(e.voter.reference, e.household.street) for e in target_list(ward=ward, segment=Segment.PERSUADABLE)]
    assert len(rows) == 3


def test_lists_of_wards_holding_most_of_the_register_read_contacts_whole_with_the_same_result(ward, ab1, lab):
    from wards.models import AreaStatistics
    from wards.services import sql

    other = WardFactory(name="Norden")
    outside = voter(district(other, "NO1"), number=2)
    spoke(outside, local=Intention.UNDECIDED)
    for number, district_code in ((1, "AB1"), (3, "AB2")):
        place = ab1 if district_code == "AB1" else district(ward, district_code)
        spoke(voter(place, number=number), local=Intention.UNDECIDED)
        spoke(voter(place, number=number + 10), local=lab)
    assert sql.most_of_the_register([ward.id])  # two of the three districts

    def recompute() -> tuple[list, tuple]:
        wards_recompute(ward_ids=[ward.id])
        lists = sorted(TargetListEntry.objects.filter(ward=ward).values_list("segment", "voter", "position", "reason"))
        stats = AreaStatistics.objects.wards().get(ward=ward)
        return lists, (stats.electors, stats.contacted_ever, stats.undecided, stats.local_intentions)

    whole = recompute()
    with mock.patch.object(sql, "MOST_OF_THE_REGISTER", float("inf")):  # filtered to the ward's voters, as before
        assert not sql.most_of_the_register([ward.id])
        TargetListEntry.objects.all().delete()
        assert recompute() == whole
    assert len(whole[0]) == 4 and not TargetListEntry.objects.filter(ward=other).exists()
