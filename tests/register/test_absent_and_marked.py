import datetime as dt

import pytest

from canvass.models import TurnoutRecord, Voter
from canvass.register import generator
from canvass.register.services import absent_voters_import, file_import, register_import
from tests.register.conftest import absent_voters_bytes, csv_bytes, marked_register_bytes

ELECTION = dt.date(2024, 5, 2)


@pytest.fixture
def loaded(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    return register


@pytest.mark.parametrize("supplier", ["xpress", "idox", "halarose"])
def test_absent_voters_list_marks_postal_and_proxy_voters(council, loaded, supplier):
    data = absent_voters_bytes(loaded, supplier=supplier)
    expected = data.decode().splitlines()[1:]

    report = absent_voters_import(file=data, council=council)

    postal = sum(line.endswith(",P") for line in expected)
    assert report.counts["postal voters"] == postal == Voter.objects.filter(is_postal_voter=True).count()
    assert report.counts["proxy voters"] == len(expected) - postal == Voter.objects.filter(is_proxy_voter=True).count()


def test_new_absent_voters_list_replaces_the_previous_one(council, loaded):
    absent_voters_import(file=absent_voters_bytes(loaded, seed=1), council=council)
    second = absent_voters_bytes(loaded, seed=2)

    report = absent_voters_import(file=second, council=council)

    assert report.counts["no longer absent voters"] > 0
    absent = Voter.objects.filter(is_postal_voter=True) | Voter.objects.filter(is_proxy_voter=True)
    assert absent.count() == len(second.decode().splitlines()) - 1


def test_marked_register_becomes_turnout_history(council, loaded):
    data = marked_register_bytes(loaded)
    marks = [line.rsplit(",", 1)[1] for line in data.decode().splitlines()[1:]]

    report = file_import(kind="marked", file=data, council=council, election_date=ELECTION)

    assert report.counts["voted in person"] == marks.count("v")
    assert report.counts["voted by post"] == marks.count("x")
    assert report.counts["did not vote"] == marks.count("")
    assert TurnoutRecord.objects.filter(election_date=ELECTION, method="postal").count() == marks.count("x")
    assert TurnoutRecord.objects.filter(election_date=ELECTION, method="in_person").count() == marks.count("v")


def test_importing_the_same_marked_register_twice_keeps_one_row_per_voter(council, loaded):
    data = marked_register_bytes(loaded)
    file_import(kind="marked", file=data, council=council, election_date=ELECTION)
    count = TurnoutRecord.objects.count()

    file_import(kind="marked", file=data, council=council, election_date=ELECTION)

    assert TurnoutRecord.objects.count() == count


def test_marked_register_with_an_unknown_mark_is_rejected(council, loaded):
    data = csv_bytes("Elector Number Prefix,Elector Number,Elector Number Suffix,Mark", "AB1,1,0,v", "AB1,2,0,q")

    report = file_import(kind="marked", file=data, council=council, election_date=ELECTION)

    assert not report.applied
    assert [(r.line, r.column) for r in report.rejections] == [(3, "Mark")]
    assert "unknown value 'Q'" in report.rejections[0].reason
    assert not TurnoutRecord.objects.exists()


def test_absent_voter_not_on_the_register_is_rejected(council, loaded):
    data = csv_bytes("Elector Number Prefix,Elector Number,Elector Number Suffix,Absent Type", "AB1,9999,0,P")

    report = absent_voters_import(file=data, council=council)

    assert report.rejections[0].reason == "elector AB1-9999: not on the register (absent voters list)"


def test_an_idox_list_whose_suffix_is_a_name_suffix_keys_the_elector_by_number(council, loaded):
    elector = next(e for e in loaded if e.suffix == 0 and "N" not in e.markers)
    data = csv_bytes("PD,ENO,Suffix,Absent Type", f"{elector.pd},{elector.number},Jnr,P")

    report = absent_voters_import(file=data, council=council)

    assert report.counts["postal voters"] == 1 and report.rejected_total == 0
    voter = Voter.objects.get(is_postal_voter=True)
    assert (voter.polling_district.code, voter.elector_number, voter.elector_suffix) == (elector.pd, elector.number, 0)


def test_an_idox_list_keeps_a_numeric_suffix_as_the_numbers(council, loaded):
    elector = next(e for e in loaded if e.suffix == 0 and "N" not in e.markers)
    data = csv_bytes("PD,ENO,Suffix,Absent Type", f"{elector.pd},{elector.number},7,P")

    report = absent_voters_import(file=data, council=council, accept_skipped_rows=True)

    assert report.rejected_total == 1  # AB1-n/7 is on nobody's register: refused, never read as AB1-n
    assert not Voter.objects.filter(is_postal_voter=True).exists()
