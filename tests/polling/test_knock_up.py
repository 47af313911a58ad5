import pytest

from tests.polling.conftest import at, uid
from wards.models import TellerReturn, Ward
from wards.polling.models import KnockUpRound, PollingStation, TellerEntry
from wards.polling.selectors import committee_board, knock_up_round_doors, knock_up_rounds, postal_promises
from wards.polling.services import (
    PollingDayError,
    knock_up_round_back,
    knock_up_round_send,
    knock_up_rounds_build,
    postal_vote_returned_mark,
    teller_entry_record,
    teller_entry_undo,
)


def vote(station, typed):
    return teller_entry_record(station=station, typed=typed, client_uuid=uid(), entered_at=at(12))


def test_rounds_split_the_promises_in_walking_order_and_leave_postal_voters_out(day, popley, promises):
    rounds = knock_up_rounds_build(polling_day=day, ward=popley, size=2)
    first, second = (knock_up_round_doors(round=r, include_voted=True) for r in rounds)
    assert [d.voter_id for d in first] == [promises[0].id, promises[2].id]
    assert [d.voter_id for d in second] == [promises[3].id]


def test_a_round_drops_voters_the_tellers_saw(day, popley, promises, station):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    vote(station, "105")
    assert [d.voter_id for d in knock_up_round_doors(round=round_, include_voted=False)] == [
        promises[0].id,
        promises[3].id,
    ]
    printed = knock_up_round_doors(round=round_, include_voted=True)
    assert [d.voted for d in printed] == [False, True, False]


def test_a_round_with_its_voted_dropped_is_one_query_and_reads_as_the_register_writes(
    day, popley, promises, station, django_assert_num_queries
):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    vote(station, "105")
    round_ = KnockUpRound.objects.select_related("polling_day").get(id=round_.id)
    with django_assert_num_queries(1):
        doors = knock_up_round_doors(round=round_, include_voted=False)
    assert [(d.reference, d.voted) for d in doors] == [(promises[0].reference, False), (promises[3].reference, False)]


def test_do_not_contact_voters_never_appear_on_a_round(day, popley, promises):
    (round_,) = knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    promises[0].do_not_contact = True
    promises[0].save()
    assert promises[0].id not in [d.voter_id for d in knock_up_round_doors(round=round_, include_voted=True)]


def test_rebuilding_keeps_rounds_already_out(day, popley, promises, vera):
    first, *_ = knock_up_rounds_build(polling_day=day, ward=popley, size=1)
    knock_up_round_send(round=first, volunteer=vera)
    rebuilt = knock_up_rounds_build(polling_day=day, ward=popley, size=5)
    assert [r.number for r in rebuilt] == [2]
    assert KnockUpRound.objects.filter(polling_day=day, ward=popley).count() == 2


def test_round_size_must_be_positive(day, popley, promises):
    with pytest.raises(PollingDayError, match="at least one voter"):
        knock_up_rounds_build(polling_day=day, ward=popley, size=0)


def test_postal_promises_are_listed_apart_and_marked_returned(day, popley, promises, olivia):
    postal_vote_returned_mark(polling_day=day, voter=promises[1], marked_by=olivia)
    assert [(e.voter_id, e.returned) for e in postal_promises(polling_day=day, ward=popley)] == [(promises[1].id, True)]


def test_only_postal_voters_can_be_marked_returned(day, promises):
    with pytest.raises(PollingDayError, match="no postal vote"):
        postal_vote_returned_mark(polling_day=day, voter=promises[0])


def test_the_board_counts_promises_voted_and_outstanding(
    day, popley, promises, station, vera, django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    rounds = knock_up_rounds_build(polling_day=day, ward=popley, size=1)
    knock_up_round_send(round=rounds[0], volunteer=vera)
    knock_up_round_back(round=rounds[1])
    vote(station, "101")
    vote(station, "103")
    committee_board(polling_day=day, stations=PollingStation.objects.all(), wards=Ward.objects.all())
    # A refresh: the electorate and the promises come from the cache; the stations with their last entry,
    # the wards with their rounds and the districts with their live counts are three small queries.
    with django_assert_num_queries(3):
        board = committee_board(polling_day=day, stations=PollingStation.objects.all(), wards=Ward.objects.all())
    ab1 = next(row for row in board.stations if row.name.startswith("AB1"))
    assert (ab1.electorate, ab1.voted, ab1.promises, ab1.promises_voted, ab1.outstanding) == (4, 2, 3, 1, 2)
    assert (ab1.postal_promises, ab1.turnout_percent, ab1.last_entry_at is not None) == (1, 50.0, True)
    ward_row = next(row for row in board.wards if row.name == "Popley")
    assert (ward_row.promises, ward_row.outstanding, ward_row.rounds_out, ward_row.rounds_back) == (3, 2, 1, 1)


def test_round_counts_voted_doors(day, popley, promises, station):
    knock_up_rounds_build(polling_day=day, ward=popley, size=10)
    vote(station, "107")
    (round_,) = knock_up_rounds(polling_day=day, ward=popley)
    assert (round_.doors_total, round_.doors_voted) == (3, 1)
    assert TellerReturn.objects.count() == 1


def test_the_board_counts_a_promise_once_and_not_after_undo(day, popley, promises, station, tara, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    first = teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_by=tara, entered_at=at(9))
    teller_entry_record(station=station, typed="AB1-101", client_uuid=uid(), entered_by=tara, entered_at=at(9))

    def promises_voted():
        board = committee_board(polling_day=day, stations=PollingStation.objects.all(), wards=Ward.objects.all())
        return next(row for row in board.wards if row.name == "Popley").promises_voted

    assert promises_voted() == 1
    teller_entry_undo(entry=TellerEntry.objects.get(client_uuid=first.client_uuid), user=tara)
    assert promises_voted() == 0
