import pytest

from tests.dashboards import scene
from tests.login import client_for


@pytest.fixture
def campaign(db, popley, south_ham, our_party, vera, victor, olivia, oscar, alice):
    """The council with Popley (Olivia's) and South Ham (Oscar's) canvassed, and statistics computed."""
    return scene.build(popley=popley, south_ham=south_ham, ours=our_party, volunteers=[vera, victor])


@pytest.fixture
def as_alice(alice):
    return client_for(alice)


@pytest.fixture
def as_olivia(olivia):
    return client_for(olivia)


@pytest.fixture
def as_vera(vera):
    return client_for(vera)
