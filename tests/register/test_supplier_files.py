"""Files shaped like the suppliers' real exports (docs: ../shared/DOMAIN.md, "What real supplier exports look like").

Each fixture is written by hand from those facts, not by the generator, so a layout the generator gets wrong
cannot pass by agreeing with itself.
"""

import datetime as dt

import pytest

from canvass.models import Household, Voter
from canvass.register.reader import RegisterFileError
from canvass.register.services import absent_voters_import, file_import, register_import, register_update_apply
from tests.register.conftest import XPRESS_HEADER, csv_bytes

STARTING_REGISTER = csv_bytes(
    XPRESS_HEADER,
    "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,Basingstoke,,,,RG21 7AB",
    "AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,Basingstoke,,,,RG21 7AB",
    "AB1,3,0,,,JONES Ann,RG21 7AB,3 Foo Road,Basingstoke,,,,RG21 7AB",
)

XPRESS_UPDATE_HEADER = (
    "CompanyName,CompanyOPCSRef,DistrictRef,StreetName,PropertyAddress1,PropertyAddress2,PropertyAddress3,"
    "PropertyAddress4,PropertyAddress5,PropertyPostCode,PropertyAddressPrefix,PropertyAddressNumber,ElectorNumber,"
    "ElectorForename,ElectorSurname,ElectorDOB,ElectorCreatedMonth,ElectorChangedMonth,ElectorDeletedMonth,"
    "MarkersRegisterText,RecordCount,RecordTotal,CurrentRegisterMonth"
)


def _xpress_update_row(reference, forename, surname, created, changed, deleted, address="3 Foo Road", markers=""):
    return (
        f"Basingstoke and Deane,E07000084,AB1,Foo Road,{address},Basingstoke,,,,RG21 7AB,,3,{reference},"
        f"{forename},{surname},,{created},{changed},{deleted},{markers},1,3,11"
    )


@pytest.fixture
def loaded(council):
    register_import(file=STARTING_REGISTER, council=council)


def _voter(reference_number, suffix=0):
    return Voter.objects.get(polling_district__code="AB1", elector_number=reference_number, elector_suffix=suffix)


def test_xpress_monthly_update_with_zero_months_adds_amends_and_deletes(council, loaded):
    rows = [
        _xpress_update_row("AB1-3/1", "Zoë", "JONES", 11, 0, 0),  # added this month
        _xpress_update_row("AB1-3", "Ann", "BAKER", 0, 11, 0),  # changed her name
        _xpress_update_row("AB1-2", "Jane", "SMITH", 0, 0, 11, address="1 Foo Road"),  # left
        _xpress_update_row("AB1-1", "John", "SMITH", 0, 0, 0, address="1 Foo Road"),  # 0 everywhere: no change
    ]
    data = csv_bytes(XPRESS_UPDATE_HEADER, *rows, encoding="cp1252")

    report = register_update_apply(file=data, council=council)

    assert report.layout == "Xpress monthly update"
    assert (report.counts["added"], report.counts["amended"], report.counts["deleted"]) == (1, 1, 1)
    assert report.counts["unchanged"] == 1
    assert _voter(3, 1).forenames == "Zoë"
    assert _voter(3).surname == "BAKER"
    assert not _voter(2).on_register and _voter(1).on_register


def test_xpress_update_in_which_nothing_changes_is_not_applied(council, loaded):
    data = csv_bytes(XPRESS_UPDATE_HEADER, _xpress_update_row("AB1-1", "John", "SMITH", 0, 0, 0))

    report = register_update_apply(file=data, council=council)

    assert report.outcome == "nothing to change" and not report.applied
    assert "Nothing in this update would change the register" in report.as_text()


def test_update_imported_as_a_full_register_is_refused_naming_its_kind(council, loaded):
    data = csv_bytes(XPRESS_UPDATE_HEADER, _xpress_update_row("AB1-3/1", "Zoe", "JONES", 11, 0, 0))

    with pytest.raises(RegisterFileError, match="looks like a monthly update .Xpress monthly update."):
        register_import(file=data, council=council)
    assert Voter.objects.count() == 3


IDOX_HEADER = (
    "PD,ENO,Status,Title,First Name,Initials,Surname,Suffix,Date Of Attainment,Franchise Flag,"
    + ",".join(f"Address {i}" for i in range(1, 8))
    + ",Postcode"
)


def _idox(*rows: str) -> bytes:
    lines = ["Date Published 01/12/2026,,,", "Basingstoke and Deane Borough Council,,,", IDOX_HEADER, *rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_idox_file_with_title_lines_hard_spaces_opt_out_prefix_and_a_name_suffix(council):
    data = _idox(
        "AB1,1,,Mr,John,J,(z) SMITH,Jnr,,,1\xa0Foo Road,Basingstoke,,,,,,RG21 7AB",
        "AB1,2,,Mrs,Jane,J,SMITH,,,,1 Foo Road,Basingstoke,,,,,,RG21 7AB",
    )

    report = register_import(file=data, council=council)

    assert report.layout == "Idox" and report.rejected_total == 0
    john = _voter(1)
    assert (john.surname, john.forenames) == ("SMITH", "John Jnr")
    assert "Z" in john.markers
    assert john.household_id == _voter(2).household_id  # the hard space read as a space
    assert john.household.address == "1 Foo Road\nBasingstoke"


def test_idox_update_status_carries_the_month(council, loaded):
    data = _idox(
        "AB1,3/1,+Jan,Ms,Zoe,Z,JONES,,,,3 Foo Road,Basingstoke,,,,,,RG21 7AB",
        "AB1,2,-Feb,Mrs,Jane,J,SMITH,,,,1 Foo Road,Basingstoke,,,,,,RG21 7AB",
        "AB1,3,=Mar,Mrs,Ann,A,BAKER,,,,3 Foo Road,Basingstoke,,,,,,RG21 7AB",
    )

    report = register_update_apply(file=data, council=council)

    assert (report.counts["added"], report.counts["amended"], report.counts["deleted"]) == (1, 1, 1)
    assert _voter(3).surname == "BAKER" and _voter(3, 1).forenames == "Zoe"


PP50_HEADER = (
    "PD,ENO,Title,First Name,Initials,Surname,Suffix,Date Of Attainment,Franchise Flag,"
    + ",".join(f"Address {i}" for i in range(1, 10))
    + ",Postcode"
)
PP50_UPDATE_HEADER = (
    "PD,ENO,Status,Title,First Name,Initials,Surname,Suffix,Date Of Attainment,Franchise Flag,"
    + ",".join(f"Address {i}" for i in range(1, 10))
    + ",Postcode,Post Code,Register Code,Clerical Error,Opt Out Flag"
)
PP50_ADDRESS = "3 Foo Road,Basingstoke,,,,,,,"


def test_halarose_pp50_without_a_status_column_is_read(council):
    data = csv_bytes(PP50_HEADER, f"AB1,1,Mr,John,J,SMITH,,,,{PP50_ADDRESS},RG21 7AB")

    report = register_import(file=data, council=council)

    assert report.layout == "Halarose EROS (pp50)"
    assert (_voter(1).surname, _voter(1).forenames) == ("SMITH", "John")


def test_halarose_update_with_ref_lines_and_two_months_concatenated(council, loaded):
    end = "RG21 7AB,RG21 7AB,E,N,N"
    data = csv_bytes(
        "Ref: 2026/11/ABC",
        "Monthly Additions and Deletions November",
        PP50_UPDATE_HEADER,
        f"AB1,3/1,A,Ms,Zoe,Z,JONES,,,,{PP50_ADDRESS},{end}",
        "",
        "Ref: 2026/12/ABC",
        "Monthly Additions and Deletions December",
        PP50_UPDATE_HEADER,
        f"AB1,3,M,Mrs,Ann,A,BAKER,,,,{PP50_ADDRESS},{end}",
    )

    report = register_update_apply(file=data, council=council)

    assert report.rejected_total == 0, report.as_text()
    assert (report.counts["added"], report.counts["amended"]) == (1, 1)
    assert report.rows_read == 2 and report.lines_read == 9


def test_halarose_pdcode_rollno_variant_reads_the_number_and_middle_name(council):
    header = (
        "PDCode,RollNo,ElectorTitle,ElectorSurname,ElectorForename,ElectorMiddleName,AttainersDOB,FranchiseMarker,"
        + ",".join(f"RegisteredAddress{i}" for i in range(1, 7))
        + ",PostCode,Euro,Parl,County,Ward,SubHouse,House"
    )
    row = "AB1,5.000,Mr,SMITH,John,Adam,,,5 Foo Road,Basingstoke,,,,,RG21 7AB,SE,NH,HA,Popley,,5"
    added = "AB1,5.001,Ms,SMITH,Jo,,,G,5 Foo Road,Basingstoke,,,,,RG21 7AB,SE,NH,HA,Popley,,5"

    report = register_import(file=csv_bytes(header, row, added), council=council)

    assert report.layout == "Halarose EROS (PDCode / RollNo)"
    assert _voter(5).forenames == "John Adam"
    assert _voter(5, 1).markers == "G"


POSTAL_HEADER = (
    "AV Type,PD/ENO,Elector Surname,Elector Forename,Elector Initials,Elector Suffix,Elector Title,"
    "Corres Address Line 1,Corres Address Line 2,Corres Address Line 3,Corres Address Line 4,Corres Address Line 5,"
    "Corres Address Postcode,Corres Address Country,Proxy Name,Send Address Line 1,Send Address Line 2,"
    "Send Address Line 3,Send Address Line 4,Send Address Line 5,Send Address Postcode"
)


def test_postal_and_proxy_list_with_av_type_and_pd_eno(council, loaded):
    tail = ",,,,,,,,,,,,,,,,,,"
    data = csv_bytes(
        POSTAL_HEADER, f"Postal,AB1-1,SMITH{tail}", f"Postal Proxy,AB1-2,SMITH{tail}", f"Proxy,AB1-3,JONES{tail}"
    )

    report = absent_voters_import(file=data, council=council)

    assert report.rejected_total == 0, report.as_text()
    assert (report.counts["postal voters"], report.counts["proxy voters"]) == (1, 2)
    assert _voter(1).is_postal_voter and _voter(2).is_proxy_voter and _voter(3).is_proxy_voter


def test_postal_list_imported_as_a_register_is_refused_naming_its_kind(council):
    data = csv_bytes(POSTAL_HEADER, "Postal,AB1-1,SMITH" + "," * 18)

    with pytest.raises(RegisterFileError, match="looks like an absent voters .postal and proxy. list"):
        register_import(file=data, council=council)


def test_unbalanced_quote_is_reported_at_the_line_where_it_opens(council):
    data = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        'AB1,2,0,,,SMITH Jane,RG21 7AB,"Flat 2, Rose Court,,,,,',
        "AB1,3,0,,,JONES Ann,RG21 7AB,3 Foo Road,,,,,",
    )

    with pytest.raises(RegisterFileError, match=r"Line 3: a quote .* opens here"):
        register_import(file=data, council=council)
    assert not Voter.objects.exists()


def test_cr_only_line_ends_are_read(council):
    lines = [
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,,,,,",
    ]
    data = "\r".join(lines).encode()

    report = register_import(file=data, council=council)

    assert report.counts["new"] == 2 and report.lines_read == 3


def test_elector_without_a_name_who_is_not_anonymous_is_rejected(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,,RG21 7AB,1 Foo Road,,,,,", "AB1,2,0,N,,,,,,,,,")

    report = register_import(file=data, council=council)

    assert [(r.line, r.column, r.reason) for r in report.rejections] == [
        (2, "Elector Name", "no name, and the elector is not marked N (anonymous)")
    ]


def test_two_long_addresses_that_begin_alike_are_two_households(council):
    long_start = "The Old Rectory Cottage Annexe " * 9
    data = csv_bytes(
        XPRESS_HEADER,
        f"AB1,1,0,,,SMITH John,RG21 7AB,{long_start}East Wing,,,,,",
        f"AB1,2,0,,,SMITH Jane,RG21 7AB,{long_start}West Wing,,,,,",
    )

    register_import(file=data, council=council)

    assert _voter(1).household_id != _voter(2).household_id
    assert len(_voter(1).household.address_key) <= 255


def test_per_row_messages_name_the_file(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,")

    report = register_import(file=data, council=council, file_name="november.csv")

    assert "november.csv line 2, column Elector Number: missing elector number" in report.as_text()


def test_idox_full_register_whose_rows_carry_change_codes_is_refused_as_an_update(council):
    data = _idox("AB1,1,+Jan,Mr,John,J,SMITH,,,,1 Foo Road,Basingstoke,,,,,,RG21 7AB")

    with pytest.raises(RegisterFileError, match="looks like a monthly update: 1 rows carry a change code"):
        register_import(file=data, council=council)
    assert not Voter.objects.exists()


def test_an_unknown_idox_status_is_a_rejected_row_naming_the_codes(council, loaded):
    data = _idox("AB1,3,?Jan,Mrs,Ann,A,BAKER,,,,3 Foo Road,Basingstoke,,,,,,RG21 7AB")

    report = register_update_apply(file=data, council=council)

    assert report.rejections[0].column == "Status"
    assert report.rejections[0].reason.startswith("unknown change code '?JAN' (expected +, -, =")


def test_headers_in_another_case_and_spacing_are_recognised(council):
    header = XPRESS_UPDATE_HEADER.upper().replace("ELECTORNUMBER", "Elector_Number").replace(",", " ,")
    data = csv_bytes(header, _xpress_update_row("AB1-1", "John", "SMITH", 11, 0, 0))

    report = register_update_apply(file=data, council=council)

    assert report.layout == "Xpress monthly update" and report.counts["added"] == 1


IDOX_ADM_HEADER = IDOX_HEADER.replace(",Status,", ",Status (A/D/M),")


def test_idox_status_header_that_names_its_codes_is_the_update_column(council, loaded):
    # One council's Idox export reads `Status (A/D/M)`: the column was not recognised, so the update was refused
    # and, imported as a full register, its deleted elector was added and the others retired.
    rows = (
        "AB1,3/1,A,Ms,Zoe,Z,JONES,,,,3 Foo Road,Basingstoke,,,,,,RG21 7AB",
        "AB1,2,D,Mrs,Jane,J,SMITH,,,,1 Foo Road,Basingstoke,,,,,,RG21 7AB",
    )
    data = csv_bytes(IDOX_ADM_HEADER, *rows)

    with pytest.raises(RegisterFileError, match="looks like a monthly update"):
        register_import(file=data, council=council)
    report = register_update_apply(file=data, council=council)

    assert (report.counts["added"], report.counts["deleted"]) == (1, 1)
    assert _voter(3, 1).forenames == "Zoe" and not _voter(2).on_register


def test_pp50_update_with_both_postcode_columns_reads_the_one_filled_in(council):
    # `Postcode` and `Post Code` are one header once normalised: only the first column was read, so a file that
    # fills in the update's `Post Code` lost every postcode.
    data = csv_bytes(
        PP50_UPDATE_HEADER,
        f"AB1,1,A,Mr,John,J,SMITH,,,,{PP50_ADDRESS},,RG21 7AB,E,N,N",
        f"AB1,2,A,Mrs,Jane,J,SMITH,,,,{PP50_ADDRESS},RG21 7AB,,E,N,N",
    )

    register_update_apply(file=data, council=council)

    assert _voter(1).household.postcode == "RG21 7AB"
    assert _voter(1).household_id == _voter(2).household_id


def test_concatenated_months_each_starting_with_a_bom(council, loaded):
    # Months joined from separate files: each file's BOM lands at the start of its `Ref:` line.
    def month(ref: str, row: str) -> bytes:
        lines = (ref, "Monthly Additions and Deletions", PP50_UPDATE_HEADER, row)
        return b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode()

    end = "RG21 7AB,RG21 7AB,E,N,N"
    data = month("Ref: 2026/11/ABC", f"AB1,3/1,A,Ms,Zoe,Z,JONES,,,,{PP50_ADDRESS},{end}") + month(
        "Ref: 2026/12/ABC", f"AB1,3,M,Mrs,Ann,A,BAKER,,,,{PP50_ADDRESS},{end}"
    )

    report = register_update_apply(file=data, council=council)

    assert report.rejected_total == 0, report.as_text()
    assert (report.counts["added"], report.counts["amended"], report.rows_read) == (1, 1, 2)


def test_opt_out_prefix_in_a_single_name_column_stays_out_of_the_name(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,(z) SMITH John,RG21 7AB,1 Foo Road,,,,,")

    register_import(file=data, council=council)

    assert (_voter(1).surname, _voter(1).forenames, _voter(1).markers) == ("SMITH", "John", "Z")


def test_postcode_written_only_in_the_last_address_line_is_the_postcode(council):
    data = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,,1 Foo Road,Basingstoke,RG21 7AB,,,",
        "AB1,2,0,,,SMITH Jane,RG21 7AB,1 Foo Road,Basingstoke,,,,",
    )

    register_import(file=data, council=council)

    household = _voter(1).household
    assert (household.address, household.postcode) == ("1 Foo Road\nBasingstoke", "RG21 7AB")
    assert household.pk == _voter(2).household_id


def test_a_range_of_house_numbers_walks_in_its_street(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,12-14 Foo Road,Basingstoke,,,,")

    register_import(file=data, council=council)

    assert (_voter(1).household.street, _voter(1).household.house_number) == ("Foo Road", 12)


def test_lists_that_carry_the_registers_columns_are_read_as_lists(council, loaded):
    # A marked register or an absent voters list with the elector's name and address: the register's columns
    # matched first, so the file was refused as "a full register" under its right kind.
    address = "RG21 7AB,1 Foo Road,Basingstoke,,,,RG21 7AB"
    marked = csv_bytes(XPRESS_HEADER + ",Mark", f"AB1,1,0,,,SMITH John,{address},v", f"AB1,2,0,,,SMITH Jane,{address},")
    postal = csv_bytes(XPRESS_HEADER + ",Absent Type", f"AB1,1,0,,,SMITH John,{address},P")

    report = file_import(kind="marked", file=marked, council=council, election_date=dt.date(2026, 5, 7))
    absent_voters_import(file=postal, council=council)

    assert report.counts["voted in person"] == 1 and _voter(1).turnout.count() == 1
    assert _voter(1).is_postal_voter
    with pytest.raises(RegisterFileError, match="looks like an absent voters"):
        register_import(file=postal, council=council)


def test_an_update_of_deletions_adds_no_empty_household(council, loaded):
    # A deletion (or a row created and deleted in the file) carries no address: the update created a
    # household with an empty address in its district, a door with nobody behind it.
    rows = [
        _xpress_update_row("AB1-2", "Jane", "SMITH", 0, 0, 11, address="1 Foo Road"),
        _xpress_update_row("AB1-9", "Zoe", "BAKER", 11, 0, 11),
    ]

    register_update_apply(file=csv_bytes(XPRESS_UPDATE_HEADER, *rows), council=council)

    assert not Household.objects.filter(address_key="").exists()
    assert Household.objects.count() == 2


def test_an_elector_changed_in_several_concatenated_months_makes_one_change(council, loaded):
    # Each month's rows were staged on their own, so an elector changed in November and again in December was
    # a "duplicate elector reference" and the whole file was refused; so was a number deleted and reused.
    end = "RG21 7AB,RG21 7AB,E,N,N"
    data = csv_bytes(
        "Ref: 2026/11/ABC",
        "Monthly Additions and Deletions November",
        PP50_UPDATE_HEADER,
        f"AB1,4,A,Ms,Zoe,Z,JONES,,,,{PP50_ADDRESS},{end}",
        f"AB1,3,M,Mrs,Ann,A,BAKER,,,,{PP50_ADDRESS},{end}",
        f"AB1,2,D,Mrs,Jane,J,SMITH,,,,{PP50_ADDRESS},{end}",
        "Ref: 2026/12/ABC",
        "Monthly Additions and Deletions December",
        PP50_UPDATE_HEADER,
        f"AB1,4,M,Ms,Zoe,Z,BAKER,,,,{PP50_ADDRESS},{end}",  # added, then renamed: one addition, as renamed
        f"AB1,3,D,Mrs,Ann,A,BAKER,,,,{PP50_ADDRESS},{end}",  # amended, then deleted: one deletion
        f"AB1,2,A,Mr,Tom,T,BROWN,,,,{PP50_ADDRESS},{end}",  # deleted, then the number reused
    )

    report = register_update_apply(file=data, council=council)

    assert report.rejected_total == 0, report.as_text()
    assert (report.counts["added"], report.counts["amended"], report.counts["deleted"]) == (2, 0, 2)
    assert report.counts["rows combined with a later row of the same elector"] == 2
    assert _voter(4).surname == "BAKER" and not _voter(3).on_register
    assert Voter.objects.get(elector_number=2, on_register=True).surname == "BROWN"
    assert not Voter.objects.get(elector_number=2, surname="SMITH").on_register


def test_an_elector_added_twice_in_one_update_is_still_a_duplicate(council, loaded):
    end = "RG21 7AB,RG21 7AB,E,N,N"
    rows = [f"AB1,4,A,Ms,Zoe,Z,JONES,,,,{PP50_ADDRESS},{end}", f"AB1,4,A,Mr,Tom,T,BROWN,,,,{PP50_ADDRESS},{end}"]

    report = register_update_apply(file=csv_bytes(PP50_UPDATE_HEADER, *rows), council=council)

    assert [r.reason for r in report.rejections] == ["duplicate elector reference AB1-4 (first on line 2)"]


def test_an_unrecognised_header_after_title_lines_is_the_one_the_error_shows(council):
    # The error named the headers "found" in the first line: an Idox title line, not the header at fault.
    data = _idox("AB1,1,,Mr,John,J,SMITH,,,,1 Foo Road,,,,,,,RG21 7AB").replace(b"Franchise Flag", b"Franchise")

    with pytest.raises(RegisterFileError, match=r"Found: PD, ENO, Status, .*Franchise, Address 1") as error:
        register_import(file=data, council=council)
    assert "Date Published" not in str(error.value)
