"""A small council for register imports: two Popley districts (north) and one South Ham district (south)."""

import pytest

from canvass.register import generator
from tests.factories import CouncilFactory, PollingDistrictFactory, WardFactory

DISTRICTS = ("AB1", "AB2", "CD1")


@pytest.fixture
def council(db):
    council = CouncilFactory()
    popley = WardFactory(council=council, name="Popley")
    south_ham = WardFactory(council=council, name="South Ham", zone="south")
    PollingDistrictFactory(ward=popley, code="AB1")
    PollingDistrictFactory(ward=popley, code="AB2")
    PollingDistrictFactory(ward=south_ham, code="CD1")
    return council


@pytest.fixture
def register():
    """The electors of a 300-elector register, the same every run."""
    return list(generator.electors(districts=DISTRICTS, count=300, seed=7))


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    """A small hand-written file: one string per line, LF endings."""
    return ("\n".join(lines) + "\n").encode(encoding)


XPRESS_HEADER = (
    "Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Markers,Elector DOB,Elector Name,"
    "PostCode,Address1,Address2,Address3,Address4,Address5,Address6"
)
