"""Every rejected row named by line, column and reason; files that are not registers refused cleanly."""

import pytest

from canvass.models import Household, Voter
from canvass.register import generator
from canvass.register.reader import RegisterFileError
from canvass.register.services import register_import
from tests.register.conftest import XPRESS_HEADER, csv_bytes

GOOD = "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("AB1,,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,", "Elector Number", "missing elector number"),
        ("AB1,2x,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,", "Elector Number", "elector number '2x' is not a whole number"),
        ("ZZ9,2,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,", "Elector Number Prefix", "unknown polling district 'ZZ9'"),
        (
            "AB1,2,0,,31/02/2008,SMITH Jo,RG21 7AB,2 Foo Road,,,,,",
            "Elector DOB",
            "malformed date '31/02/2008' (expected DD/MM/YYYY)",
        ),
        (
            "AB1,1,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,",
            "Elector Number",
            "duplicate elector reference AB1-1 (first on line 2)",
        ),
        ("AB1,2,0,,,SMITH Jo,RG21 7AB", "(row)", "wrong column count: expected 13, found 7"),
        ("AB1,2,0,,,SMITH Jo,RG21 7AB,,,,,,", "Address1", "missing address"),
        (
            "AB1,2,x,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,",
            "Elector Number Suffix",
            "elector number suffix 'x' is not a whole number",
        ),
        # A UPRN in the number's column failed the whole import on PostgreSQL (integer out of range in the COPY).
        (
            "AB1,100023456789,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,",
            "Elector Number",
            "elector number '100023456789' is too long (at most 9 digits)",
        ),
        (
            "AB1,2,123456,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,",
            "Elector Number Suffix",
            "elector number suffix '123456' is too long (at most 4 digits)",
        ),
        # `isdigit` takes a superscript digit (cp1252 has three), which int() refuses: a traceback.
        ("AB1,2²,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,", "Elector Number", "elector number '2²' is not a whole number"),
    ],
)
def test_bad_row_is_reported_with_line_column_and_reason_and_nothing_changes(council, row, column, reason):
    report = register_import(file=csv_bytes(XPRESS_HEADER, GOOD, row), council=council)

    assert [r.as_dict() for r in report.rejections] == [{"line": 3, "column": column, "reason": reason}]
    assert report.outcome == "rejected" and not report.applied
    assert not Voter.objects.exists() and not Household.objects.exists()


def test_unknown_prefix_is_reported_in_the_summary_not_invented(council):
    rows = [GOOD] + [f"XY9,{n},0,,,SMITH Jo,RG21 7AB,{n} Foo Road,,,,," for n in range(2, 5)]

    report = register_import(file=csv_bytes(XPRESS_HEADER, *rows), council=council, accept_skipped_rows=True)

    assert report.unknown_districts == {"XY9": 3}
    assert Voter.objects.count() == 1
    assert not council.wards.filter(polling_districts__code="XY9").exists()


def test_accepting_skipped_rows_applies_the_good_rows_and_reports_the_bad(council, register):
    text = generator.register_bytes(register).decode().splitlines()
    text[5] = text[5].replace(text[5].split(",")[1], "", 1)  # line 6 loses its elector number
    report = register_import(file=csv_bytes(*text), council=council, accept_skipped_rows=True)

    assert report.applied
    assert [(r.line, r.reason) for r in report.rejections] == [(6, "missing elector number")]
    assert Voter.objects.count() == len(register) - 1


def test_rejections_are_listed_in_line_order_in_the_printed_report(council):
    rows = [GOOD, "AB1,,0,,,A B,RG21 7AB,2 Foo Road,,,,,", "QQ1,3,0,,,A B,RG21 7AB,3 Foo Road,,,,,"]

    text = register_import(file=csv_bytes(XPRESS_HEADER, *rows), council=council).as_text()

    assert "line 3, column Elector Number: missing elector number" in text
    assert "line 4, column Elector Number Prefix: unknown polling district 'QQ1'" in text
    assert "Nothing was changed" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel .xls"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"name;street;town\nJohn;Foo Road;Basingstoke\n", "matches no supported layout"),
    ],
)
def test_file_that_is_not_a_register_gets_a_clear_error(council, data, message):
    with pytest.raises(RegisterFileError, match=message):
        register_import(file=data, council=council)


def test_header_only_file_is_refused(council):
    with pytest.raises(RegisterFileError, match="no electors"):
        register_import(file=csv_bytes(XPRESS_HEADER), council=council)


def test_a_duplicate_that_was_first_at_its_address_does_not_lose_the_household(council):
    rows = [GOOD, "AB1,1,0,,,SMITH Al,RG21 7AB,9 New Road,,,,,", "AB1,2,0,,,SMITH Bo,RG21 7AB,9 New Road,,,,,"]

    report = register_import(file=csv_bytes(XPRESS_HEADER, *rows), council=council, accept_skipped_rows=True)

    assert [(r.line, r.reason) for r in report.rejections] == [
        (3, "duplicate elector reference AB1-1 (first on line 2)")
    ]
    bo = Voter.objects.get(forenames="Bo")
    assert bo.household.address == "9 New Road"
