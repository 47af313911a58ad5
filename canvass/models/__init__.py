from canvass.models.contacts import Channel, ContactRecord, Intention, Likelihood, Outcome
from canvass.models.imports import RegisterImport
from canvass.models.people import Profile, Role
from canvass.models.register import Household, Voter
from canvass.models.turnout import TurnoutRecord

__all__ = [
    "Channel",
    "ContactRecord",
    "Household",
    "Intention",
    "Likelihood",
    "Outcome",
    "Profile",
    "RegisterImport",
    "Role",
    "TurnoutRecord",
    "Voter",
]
