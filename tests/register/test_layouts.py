import pytest

from canvass.register.layouts import HALAROSE, IDOX, XPRESS_13, XPRESS_14, LayoutError, detect_layout
from tests.register.conftest import XPRESS_HEADER


def test_xpress_13_column_header_is_recognised():
    assert detect_layout(XPRESS_HEADER.split(",")).layout == XPRESS_13


def test_xpress_14_column_header_with_surname_and_forename_is_recognised():
    header = XPRESS_HEADER.replace("Elector Name", "Elector Surname,Elector Forename").split(",")
    assert detect_layout(header).layout == XPRESS_14


def test_layout_is_found_by_header_not_position_and_ignores_case_and_spacing():
    header = list(reversed(XPRESS_HEADER.upper().replace(" ", "_").split(",")))
    columns = detect_layout(header)
    assert columns.layout == XPRESS_13
    assert columns.index["number"] == header.index("ELECTOR_NUMBER")


def test_idox_header_is_recognised():
    header = ["PD", "ENO", "Status", "Title", "First Names", "Surname", "Suffix", "Date of Attainment"]
    header += ["Franchise Flag"] + [f"Address {i}" for i in range(1, 10)] + ["Postcode", "Opt Out"]
    assert detect_layout(header).layout == IDOX


def test_halarose_header_is_recognised():
    header = ["Polling District", "Elector No", "Elector No Suffix", "Franchise", "Title", "Forename", "Surname"]
    header += ["Attainment Date", "Post Code"] + [f"Address Line {i}" for i in range(1, 7)]
    assert detect_layout(header).layout == HALAROSE


def test_unknown_header_names_the_headers_it_expected():
    with pytest.raises(LayoutError) as error:
        detect_layout(["Name", "Street", "Town"])
    message = str(error.value)
    assert "Found: Name, Street, Town" in message
    assert "Elector Number Prefix" in message and "ENO" in message and "Elector No" in message
