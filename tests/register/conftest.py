"""A small council for register imports: two Popley districts (north) and one South Ham district (south)."""

import random

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


def absent_voters_bytes(register, *, seed: int = 4, share: float = 0.2, supplier: str = "xpress") -> bytes:
    """An absent voters list for about `share` of the register, mostly postal (P), some proxy (X)."""
    rng = random.Random(seed)
    rows = [(e, rng.choice(("P", "P", "P", "X"))) for e in register if rng.random() < share]
    return generator.keyed_list_bytes("absent", rows, supplier=supplier)


def marked_register_bytes(register, *, seed: int = 5, turnout: float = 0.4, supplier: str = "xpress") -> bytes:
    """Every elector, marked v (voted in person), x (voted by post) or left blank."""
    rng = random.Random(seed)
    rows = [(e, ("x" if rng.random() < 0.3 else "v") if rng.random() < turnout else "") for e in register]
    return generator.keyed_list_bytes("marked", rows, supplier=supplier)
