"""Real files: BOMs, Windows line endings, cp1252, quoted commas, blank lines."""

import datetime as dt

import pytest

from canvass.models import Household, Voter
from canvass.register import generator
from canvass.register.records import parse_date
from canvass.register.services import register_import
from tests.register.conftest import XPRESS_HEADER, csv_bytes


def test_dirty_file_imports_the_same_voters_as_the_clean_one(council, register):
    dirty = generator.register_bytes(register, dirty=True)
    assert dirty.startswith(b"\xef\xbb\xbf") and b"\r\n\r\n" in dirty

    report = register_import(file=dirty, council=council)

    assert report.rejected_total == 0
    assert Voter.objects.count() == len(register)
    assert set(Voter.objects.values_list("forenames", flat=True)) == {e.forenames for e in register}


def test_cp1252_file_keeps_accented_names(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH Zoë,RG21 7AB,1 Church Street,Basingstoke,,,,", encoding="cp1252")

    register_import(file=data, council=council)

    assert Voter.objects.get().forenames == "Zoë"


def test_quoted_commas_stay_inside_the_address(council):
    data = csv_bytes(XPRESS_HEADER, 'AB1,1,0,,,SMITH John,RG21 7AB,"Flat 2, Rose Court",12 Foo Road,,,,RG21 7AB')

    register_import(file=data, council=council)

    household = Household.objects.get()
    assert household.address == "Flat 2, Rose Court\n12 Foo Road"
    assert (household.street, household.house_number) == ("Foo Road", 12)


def test_windows_line_endings_and_blank_lines_are_read(council):
    rows = [XPRESS_HEADER, "", "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,", "", ""]
    rows.append("AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,,,,,")
    data = ("\r\n".join(rows) + "\r\n").encode()

    report = register_import(file=data, council=council)

    assert report.counts["new"] == 2
    assert Household.objects.count() == 1


def test_lines_of_spaces_or_of_commas_and_spaces_are_blank_lines(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,", "   ", " , , ,", "\t")

    report = register_import(file=data, council=council)

    assert report.rejected_total == 0 and report.rows_read == 1 and report.lines_read == 5


def test_a_totals_line_at_the_end_is_not_an_elector(council):
    data = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,,,,,",
        "Total electors: 2,,,,,,,,,,,,",
        "End of report",
    )

    report = register_import(file=data, council=council)

    assert report.rejected_total == 0, report.as_text()
    assert report.counts["new"] == 2 and report.lines_read == 5


@pytest.mark.parametrize(
    "written", ["15/08/2008", "2008-08-15", "15-08-2008", "15-Aug-2008", "15/08/08", "2008-08-15 00:00:00"]
)
def test_attainer_dates_in_the_forms_exports_and_spreadsheets_write(written):
    assert parse_date(written) == dt.date(2008, 8, 15)


def test_attainer_date_with_a_midnight_time_is_read(council):
    header = XPRESS_HEADER.replace("Elector Name", "Elector Surname,Elector Forename")
    data = csv_bytes(header, "AB1,1,0,,15/08/2008 00:00,SMITH,Jo,RG21 7AB,1 Foo Road,,,,,")

    register_import(file=data, council=council)

    assert Voter.objects.get().attainer_date == dt.date(2008, 8, 15)


@pytest.mark.parametrize("ends", [("\r\n", "\r"), ("\r", "\r\n"), ("\n", "\r")])
def test_line_ends_mixed_in_one_file_are_each_a_line_end(council, ends):
    # Months concatenated from different tools, or a file edited on another machine: a CR inside an LF-ended
    # line (or a CRLF in a CR-only file) made the CSV "malformed" and the file was refused.
    first, second = ends
    rows = ["AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,", "AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,,,,,"]
    data = XPRESS_HEADER + first + rows[0] + first + rows[1] + second + "AB1,3,0,,,SMITH Jo,RG21 7AB,1 Foo Road,,,,,"

    report = register_import(file=(data + second).encode(), council=council)

    assert report.counts["new"] == 3 and report.lines_read == 4
