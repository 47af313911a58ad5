import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from canvass import sql
from tests.polling.conftest import at, uid
from tests.wards_data import voter
from wards.models import TellerReturn
from wards.polling.models import Outcome, PollingStation, TellerEntry
from wards.polling.services import (
    PollingDayError,
    UndoRefused,
    polling_station_merge,
    teller_entry_record,
    teller_entry_undo,
)


@pytest.fixture
def electors(ab1, ab2, sh1):
    return [
        voter(ab1, number=1, elector_number=888),
        voter(ab1, number=2, elector_number=888, elector_suffix=8),
        voter(ab2, number=3, elector_number=5),
    ]


def enter(station, typed, *, when=None, sent_at=None, teller=None, client_uuid=None):
    return teller_entry_record(
        station=station,
        typed=typed,
        client_uuid=client_uuid or uid(),
        entered_at=when or at(12),
        sent_at=sent_at or timezone.now(),
        entered_by=teller,
    )


@pytest.mark.parametrize(
    "typed, reference",
    [
        ("888", "AB1-888"),
        ("888/8", "AB1-888/8"),
        ("888.8", "AB1-888/8"),
        ("AB1 888", "AB1-888"),
        ("AB1-888/8", "AB1-888/8"),
    ],
)
def test_each_form_records_the_elector_with_the_stations_district(station, electors, typed, reference):
    answer = enter(station, typed)
    assert (answer.outcome, answer.reference, answer.message) == ("recorded", reference, f"{reference} recorded")
    assert TellerReturn.objects.filter(polling_district__code="AB1", elector_number=888).count() == 1


def test_the_same_elector_twice_is_already_recorded(station, electors):
    enter(station, "888")
    assert enter(station, "AB1-888").outcome == Outcome.ALREADY_RECORDED
    assert TellerReturn.objects.count() == 1


def test_a_replayed_client_uuid_gets_its_first_answer_and_records_nothing_more(station, electors):
    client_uuid = uid()
    first = enter(station, "888", client_uuid=client_uuid)
    again = enter(station, "888", client_uuid=client_uuid)
    assert (again.outcome, again.replayed, first.replayed) == ("recorded", True, False)
    assert TellerEntry.objects.count() == TellerReturn.objects.count() == 1


def test_a_number_not_on_the_register_is_said_so(station, electors):
    answer = enter(station, "999")
    assert (answer.outcome, answer.message) == ("not_on_register", "AB1-999 is not on the register")
    assert not TellerReturn.objects.exists()


def test_a_district_that_votes_elsewhere_names_the_other_station(station, electors):
    answer = enter(station, "AB2 5")
    assert answer.outcome == Outcome.OTHER_STATION
    assert "AB2" in answer.message and "not at AB1" in answer.message
    assert not TellerReturn.objects.exists()


def test_an_unknown_district_is_named(station, electors):
    answer = enter(station, "ZZ9 5")
    assert (answer.outcome, answer.message) == ("unknown_district", "ZZ9 5: no polling district ZZ9")


def test_an_unreadable_entry_says_how_to_type_it(station, electors):
    answer = enter(station, "eight")
    assert answer.outcome == Outcome.UNREADABLE and "PO1-888/8" in answer.message


@pytest.mark.parametrize("hour, minute", [(6, 59), (22, 1)])
def test_entries_before_opening_or_after_close_are_refused(station, electors, hour, minute):
    answer = enter(station, "888", when=at(hour, minute))
    assert answer.outcome == Outcome.OUTSIDE_HOURS and f"{hour:02d}:{minute:02d}" in answer.message
    assert not TellerReturn.objects.exists()


def test_a_phone_clock_far_off_is_corrected_and_reported(station, electors):
    # The phone runs two hours fast: it stamped the number 14:00 and sent it at what it thinks is now + 2h.
    answer = enter(station, "888", when=at(14), sent_at=timezone.now() + dt.timedelta(hours=2))
    assert answer.outcome == Outcome.RECORDED
    assert answer.clock_offset_seconds == pytest.approx(7200, abs=5)
    assert timezone.localtime(TellerEntry.objects.get().entered_at).hour == 12


def test_a_phone_clock_far_off_can_put_an_entry_outside_hours(station, electors):
    answer = enter(station, "888", when=at(8), sent_at=timezone.now() + dt.timedelta(hours=2))
    assert answer.outcome == Outcome.OUTSIDE_HOURS


def test_a_station_with_two_districts_needs_the_district_typed(day, ab1, ab2, electors):
    merged = polling_station_merge(stations=list(PollingStation.objects.filter(districts__in=[ab1, ab2])), name="Hall")
    assert enter(merged, "888").outcome == Outcome.UNREADABLE
    assert enter(merged, "AB2 5").outcome == Outcome.RECORDED


def test_bad_entries_lose_nothing_else(station, electors):
    answers = [enter(station, typed).outcome for typed in ["888", "eight", "999", "888/8"]]
    assert answers == ["recorded", "unreadable", "not_on_register", "recorded"]
    assert TellerReturn.objects.count() == 2


def test_undo_takes_the_elector_off_the_voted(station, electors, tara):
    client_uuid = uid()
    enter(station, "888", client_uuid=client_uuid, teller=tara)
    teller_entry_undo(entry=TellerEntry.objects.get(client_uuid=client_uuid), user=tara)
    assert not TellerReturn.objects.exists()
    assert TellerEntry.objects.get().undone_at is not None


def test_undo_of_an_already_recorded_entry_keeps_the_first(station, electors, tara):
    enter(station, "888", teller=tara)
    second = uid()
    enter(station, "888", client_uuid=second, teller=tara)
    teller_entry_undo(entry=TellerEntry.objects.get(client_uuid=second), user=tara)
    assert TellerReturn.objects.count() == 1


def test_only_the_last_few_entries_can_be_undone(station, electors, tara):
    first = uid()
    enter(station, "888", client_uuid=first, teller=tara)
    for _ in range(5):
        enter(station, "999", teller=tara)
    with pytest.raises(UndoRefused, match="last 5 entries"):
        teller_entry_undo(entry=TellerEntry.objects.get(client_uuid=first), user=tara)
    assert TellerReturn.objects.count() == 1


def test_a_new_number_costs_two_statements_on_postgresql(station, electors, django_assert_num_queries):
    station = PollingStation.objects.select_related("polling_day").get(id=station.id)  # as the API loads it
    # One query judges it; PostgreSQL writes the vote and the entry in one statement (elsewhere: two, in a
    # transaction). The test's own transaction adds a savepoint and its release.
    with django_assert_num_queries(4 if sql.is_postgres() else 5):
        assert enter(station, "888").outcome == Outcome.RECORDED
    assert TellerEntry.objects.get().teller_return == TellerReturn.objects.get()


def test_a_number_already_recorded_in_one_statement_links_no_vote(station, electors):
    enter(station, "888")
    answer = enter(station, "AB1-888")
    second = TellerEntry.objects.get(client_uuid=answer.client_uuid)
    assert (second.outcome, second.answer, second.teller_return_id) == (
        Outcome.ALREADY_RECORDED,
        "AB1-888 was already recorded",
        None,
    )


def test_stations_with_numbers_entered_are_not_merged(day, ab1, ab2, electors):
    stations = list(PollingStation.objects.filter(districts__in=[ab1, ab2]).order_by("id"))
    enter(stations[1], "5")  # the station that would be merged away
    with pytest.raises(PollingDayError, match="tellers have entered numbers"):
        polling_station_merge(stations=stations, name="Hall")
    assert PollingStation.objects.filter(districts__in=[ab1, ab2]).count() == 2


def test_an_admin_merges_two_stations_from_the_admin(client, alice, day, ab1, ab2):
    stations = PollingStation.objects.filter(districts__in=[ab1, ab2]).order_by("id")
    client.force_login(alice)

    client.post(
        reverse("admin:polling_pollingstation_changelist"),
        {"action": "merge_stations", "_selected_action": [s.pk for s in stations]},
    )

    (merged,) = PollingStation.objects.filter(districts__in=[ab1]).distinct()
    assert set(merged.districts.all()) == {ab1, ab2}
