from canvass.models.contacts import Channel, ContactRecord, Intention, Likelihood, Outcome
from canvass.models.people import Profile, Role
from canvass.models.register import Household, Voter

__all__ = [
    "Channel",
    "ContactRecord",
    "Household",
    "Intention",
    "Likelihood",
    "Outcome",
    "Profile",
    "Role",
    "Voter",
]
