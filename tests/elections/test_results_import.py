import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.factories import OurPartyFactory, PartyFactory, WardFactory
from wards.elections.importer import ResultsImportError, election_results_import
from wards.models import Candidate, Contest, Election, ElectionKind, WardResult

pytestmark = pytest.mark.django_db

RESULTS = """\ufeffElection date,Ward,Candidate,Party,Votes,Elected,Ballots issued,Electorate\r
02/05/2024,Popley,Ann Able,LAB,1200,yes,2400,8000\r
02/05/2024,Popley,Bob Baker,CON,900,no,,\r
02/05/2024,Popley,Cy Cole,Ind,150,no,,\r
"""


@pytest.fixture
def popley(db):
    OurPartyFactory()
    PartyFactory(code="CON", name="Conservative")
    return WardFactory(name="Popley")


def test_a_results_file_makes_the_election_the_contest_and_its_candidates(popley):
    summary = election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=RESULTS.encode())
    assert (summary.elections, summary.contests, summary.candidates) == (1, 1, 3)
    contest = Contest.objects.get(ward=popley)
    assert contest.election.date == dt.date(2024, 5, 2)
    assert (contest.seats_contested, contest.ballots_issued, contest.electorate) == (1, 2400, 8000)
    assert contest.turnout == Decimal("0.3000")
    assert list(contest.candidates.values_list("name", "votes", "elected")) == [
        ("Ann Able", 1200, True),
        ("Bob Baker", 900, False),
        ("Cy Cole", 150, False),
    ]
    assert contest.candidates.get(name="Cy Cole").party is None


def test_the_wards_last_result_is_derived_from_the_history(popley):
    election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=RESULTS.encode())
    popley.refresh_from_db()
    assert (popley.last_election_date, popley.last_turnout_votes) == (dt.date(2024, 5, 2), 2400)
    assert dict(WardResult.objects.filter(ward=popley).values_list("party__code", "votes")) == {"LAB": 1200, "CON": 900}


def test_ballots_and_electorate_can_come_in_a_second_file(popley):
    results = "date,ward,candidate,party,votes,elected\n2024-05-02,Popley,Ann Able,LAB,1200,y\n"
    totals = "Election date,Ward,Ballot papers issued,Electorate\n2024-05-02,popley,2400,8000\n"
    election_results_import(
        council=popley.council, kind=ElectionKind.THIRDS, results=results.encode(), totals=io.BytesIO(totals.encode())
    )
    assert Contest.objects.get().turnout == Decimal("0.3000")


def test_bad_rows_are_reported_by_line_and_nothing_is_written(popley):
    bad = RESULTS + "02/05/2024,Nowhere,Di Dee,LAB,10,no,,\r\n02/05/2024,Popley,Ed Eve,XYZ,ten,no,,\r\n"
    with pytest.raises(ResultsImportError) as raised:
        election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=bad.encode())
    assert raised.value.errors == [
        "results line 5: ward 'Nowhere' is not a ward of this council",
        "results line 6: party 'XYZ' is not known (add it in the admin, or write Ind)",
    ]
    assert not Election.objects.exists() and not Candidate.objects.exists()


def test_ballots_above_the_electorate_are_refused(popley):
    bad = "date,ward,candidate,party,votes,elected,ballots,electorate\n2024-05-02,Popley,Ann,LAB,10,y,9000,8000\n"
    with pytest.raises(ResultsImportError, match="ballots issued 9000 exceed the electorate 8000"):
        election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=bad.encode())
    assert not Contest.objects.exists()


def test_reimporting_replaces_the_wards_candidates(popley):
    election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=RESULTS.encode())
    again = "date,ward,candidate,party,votes,elected\n2024-05-02,Popley,Ann Able,LAB,1300,y\n"
    election_results_import(council=popley.council, kind=ElectionKind.THIRDS, results=again.encode())
    assert list(Candidate.objects.values_list("name", "votes")) == [("Ann Able", 1300)]
    assert Election.objects.count() == 1


def test_the_management_command_imports_and_reports(popley, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(RESULTS.encode())
    out = io.StringIO()
    call_command("import_election_results", str(path), council=popley.council.name, kind="thirds", stdout=out)
    assert "Imported 3 candidates in 1 ward contests" in out.getvalue()


def test_the_management_command_fails_with_the_errors(popley, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(b"date,ward,candidate,party,votes\n2024-05-02,Popley,Ann,LAB,\n")
    with pytest.raises(CommandError, match="line 2: votes are empty"):
        call_command("import_election_results", str(path), council=popley.council.name, kind="thirds")
