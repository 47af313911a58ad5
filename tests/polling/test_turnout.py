from canvass.models import TurnoutRecord
from tests.polling.conftest import at, uid
from wards.polling.services import polling_day_turnout_record, teller_entry_record


def test_teller_numbers_become_turnout_history_marked_as_from_tellers(day, promises, station):
    teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_at=at(9))
    assert polling_day_turnout_record(polling_day=day) == 1
    record = TurnoutRecord.objects.get()
    assert (record.voter, record.election_date, record.from_tellers, record.method) == (
        promises[0],
        day.election_date,
        True,
        "in_person",
    )


def test_turnout_already_known_for_the_day_is_kept(day, promises, station):
    TurnoutRecord.objects.create(voter=promises[0], election_date=day.election_date, method="postal")
    teller_entry_record(station=station, typed="101", client_uuid=uid(), entered_at=at(9))
    assert polling_day_turnout_record(polling_day=day) == 0
    assert TurnoutRecord.objects.get().from_tellers is False
