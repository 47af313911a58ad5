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
