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


def test_the_marked_register_supersedes_the_tellers_numbers(db):
    import datetime as dt

    from canvass.register import generator
    from canvass.register.services import file_import, register_import
    from tests.factories import CouncilFactory, PollingDistrictFactory, WardFactory
    from tests.register.conftest import marked_register_bytes
    from wards.polling.models import PollingStation
    from wards.polling.services import polling_day_open

    election = dt.date(2024, 5, 2)
    council = CouncilFactory()
    popley = WardFactory(council=council, name="Popley")
    ab1 = PollingDistrictFactory(ward=popley, code="AB1")
    electors = list(generator.electors(districts=("AB1",), count=40, seed=7))
    register_import(file=generator.register_bytes(electors), council=council)
    day = polling_day_open(election_date=election, wards=[popley])
    station = PollingStation.objects.get(polling_day=day, districts=ab1)
    first = ab1.voters.order_by("elector_number").first()
    teller_entry_record(
        station=station,
        typed=str(first.elector_number),
        client_uuid=uid(),
        entered_at=dt.datetime(2024, 5, 2, 11, tzinfo=dt.UTC),
    )
    assert polling_day_turnout_record(polling_day=day) == 1

    file_import(kind="marked", file=marked_register_bytes(electors), council=council, election_date=election)

    assert not TurnoutRecord.objects.filter(election_date=election, from_tellers=True).exists()
    assert TurnoutRecord.objects.filter(election_date=election).exists()
