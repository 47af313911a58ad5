"""Skipping a rejected row of a complete file (a full register, an absent voters list, a marked register) leaves
the elector under its reference exactly as they were: not gone, not stripped of a postal vote, no turnout lost."""

import datetime as dt

import pytest

from canvass.models import ContactRecord, TurnoutRecord, Voter
from canvass.register import staging
from canvass.register.apply import KEPT_LABEL, UNREADABLE_LABEL
from canvass.register.services import absent_voters_import, file_import, register_import
from tests.factories import ContactRecordFactory
from tests.register.conftest import XPRESS_HEADER, csv_bytes

ROWS = [
    "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
    "AB1,2,0,G,15/08/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,",
    "AB1,3,0,,,BROWN Bo,RG21 7AB,3 Foo Road,,,,,",
    "AB2,1,0,,,GREEN Cy,RG21 7AD,1 Bar Lane,,,,,",
]
ANN = {"polling_district__code": "AB1", "elector_number": 2, "elector_suffix": 0}
KEYED = "Elector Number Prefix,Elector Number,Elector Number Suffix,{}"
ELECTION = dt.date(2024, 5, 2)


@pytest.fixture
def loaded(council):
    register_import(file=csv_bytes(XPRESS_HEADER, *ROWS), council=council)
    return Voter.objects.get(**ANN)


def _details(voter: Voter) -> tuple:
    voter.refresh_from_db()
    return (
        voter.on_register,
        voter.left_register_on,
        voter.polling_district_id,
        voter.elector_number,
        voter.household_id,
        voter.surname,
        voter.forenames,
        voter.markers,
        voter.attainer_date,
    )


def _with_row_2(row: str) -> bytes:
    return csv_bytes(XPRESS_HEADER, ROWS[0], row, *ROWS[2:])


@pytest.mark.parametrize(
    "row",
    [
        "AB1,2,0,G,31/02/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,",  # malformed date of birth
        "AB1,2,0,,,,RG21 7AB,2 Foo Road,,,,,",  # no name
        "AB1,2,0,G,15/08/2008,JONES Ann,RG21 7AB,,,,,,",  # no address
        "AB1,2,0,G,15/08/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,,Extra",  # wrong column count
    ],
)
def test_full_register_keeps_the_voter_whose_row_was_rejected_as_they_were(council, loaded, row):
    ContactRecordFactory(voter=loaded)
    before = _details(loaded)

    report = register_import(file=_with_row_2(row), council=council, accept_skipped_rows=True)

    assert report.applied and report.rejected_total == 1
    assert _details(loaded) == before
    assert ContactRecord.objects.filter(voter=loaded).count() == 1
    assert report.counts["gone"] == 0 and report.samples["gone"] == []
    assert report.counts[KEPT_LABEL] == 1 and report.samples["kept as they were"] == ["AB1-2"]
    assert report.counts["matched"] == 3
    assert "kept as they were (their rows were rejected): 1" in report.as_text()


def test_a_dry_run_counts_the_kept_voter_as_the_real_run_does(council, loaded):
    data = _with_row_2("AB1,2,0,G,2008-13-45,JONES Ann,RG21 7AB,2 Foo Road,,,,,")

    dry = register_import(file=data, council=council, accept_skipped_rows=True, dry_run=True)
    real = register_import(file=data, council=council, accept_skipped_rows=True)

    assert dry.outcome == "dry_run" and real.outcome == "applied"
    assert dry.counts == real.counts
    assert dry.samples == real.samples
    assert (dry.counts["gone"], dry.counts[KEPT_LABEL]) == (0, 1)
    assert Voter.objects.get(**ANN).on_register


def test_the_voter_who_really_left_is_still_gone(council, loaded):
    """Only the rejected row's elector is kept: someone the file no longer lists leaves as before."""
    data = csv_bytes(XPRESS_HEADER, ROWS[0], "AB1,2,0,G,31/02/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,", ROWS[3])

    report = register_import(file=data, council=council, accept_skipped_rows=True)

    assert (report.counts["gone"], report.samples["gone"], report.counts[KEPT_LABEL]) == (1, ["AB1-3"], 1)
    assert not Voter.objects.get(polling_district__code="AB1", elector_number=3).on_register
    assert Voter.objects.get(**ANN).on_register


def test_a_reference_another_row_of_the_file_stages_keeps_nobody(council, loaded):
    """A rejected row's reference on a good row too: that row decides for it (here, a new elector at AB1-2)."""
    data = csv_bytes(
        XPRESS_HEADER,
        ROWS[0],
        "AB1,2,0,G,31/02/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,",
        "AB1,2,0,,,WHITE Di,RG21 7AB,9 Foo Road,,,,,",
        "AB1,3,0,,32/01/2008,BROWN Bo,RG21 7AB,3 Foo Road,,,,,",  # rejected too: its elector is kept
        ROWS[3],
    )

    report = register_import(file=data, council=council, accept_skipped_rows=True)

    assert report.rejected_total == 2
    assert (report.counts["gone"], report.samples["gone"], report.counts["new"]) == (1, ["AB1-2"], 1)
    assert (report.counts[KEPT_LABEL], report.samples["kept as they were"]) == (1, ["AB1-3"])
    assert Voter.objects.get(on_register=True, **ANN).surname == "WHITE"
    assert Voter.objects.get(polling_district__code="AB1", elector_number=3).on_register


def test_rejected_references_are_sent_in_batches(council, loaded, monkeypatch):
    monkeypatch.setattr(staging, "REJECTED_BATCH", 2)
    bad_dates = [f"AB1,{n},0,,31/02/2008,SMITH Jo,RG21 7AB,{n} Foo Road,,,,," for n in (1, 2, 3)]
    data = csv_bytes(XPRESS_HEADER, *bad_dates, "AB1,4,0,,,WHITE Di,RG21 7AB,4 Foo Road,,,,,", ROWS[3])

    report = register_import(file=data, council=council, accept_skipped_rows=True)

    assert (report.rejected_total, report.counts["gone"], report.counts[KEPT_LABEL]) == (3, 0, 3)
    assert report.samples["kept as they were"] == ["AB1-1", "AB1-2", "AB1-3"]
    assert Voter.objects.on_register().count() == len(ROWS) + 1


def test_a_row_whose_elector_number_cannot_be_read_protects_nobody(council, loaded):
    """The documented limitation: with no readable reference, the elector it was counts as gone, and the report
    says how many rejected rows were like that."""
    data = _with_row_2("AB1,2x,0,G,15/08/2008,JONES Ann,RG21 7AB,2 Foo Road,,,,,")

    report = register_import(file=data, council=council, accept_skipped_rows=True)

    assert report.rejections[0].reason == "elector number '2x' is not a whole number"
    assert (report.counts["gone"], report.samples["gone"]) == (1, ["AB1-2"])
    assert report.counts[UNREADABLE_LABEL] == 1 and KEPT_LABEL not in report.counts
    assert not Voter.objects.get(**ANN).on_register
    assert f"{UNREADABLE_LABEL}: 1" in report.as_text()


def test_absent_voters_list_keeps_the_postal_vote_of_a_rejected_row(council, loaded):
    absent_voters_import(file=csv_bytes(KEYED.format("Absent Type"), "AB1,1,0,P", "AB1,2,0,P"), council=council)

    report = absent_voters_import(
        file=csv_bytes(KEYED.format("Absent Type"), "AB1,2,0,Q", "AB1,3,0,X"), council=council, accept_skipped_rows=True
    )

    assert report.applied and report.rejected_total == 1
    assert Voter.objects.get(**ANN).is_postal_voter
    assert not Voter.objects.get(polling_district__code="AB1", elector_number=1).is_postal_voter
    assert Voter.objects.get(polling_district__code="AB1", elector_number=3).is_proxy_voter
    assert report.counts["no longer absent voters"] == 1
    assert report.counts[KEPT_LABEL] == 1


def test_marked_register_keeps_the_turnout_of_a_rejected_row(council, loaded):
    first = csv_bytes(KEYED.format("Mark"), "AB1,1,0,v", "AB1,2,0,x")
    file_import(kind="marked", file=first, council=council, election_date=ELECTION)

    report = file_import(
        kind="marked",
        file=csv_bytes(KEYED.format("Mark"), "AB1,1,0,", "AB1,2,0,q"),
        council=council,
        election_date=ELECTION,
        accept_skipped_rows=True,
    )

    assert report.applied
    assert TurnoutRecord.objects.get(election_date=ELECTION).voter == Voter.objects.get(**ANN)
    assert report.counts[KEPT_LABEL] == 1
