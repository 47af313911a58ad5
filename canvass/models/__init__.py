from canvass.models.audit import AuditAction, AuditEvent
from canvass.models.contacts import Channel, ContactRecord, Intention, Likelihood, Outcome
from canvass.models.people import Profile, Role
from canvass.models.register import Household, Voter
from canvass.models.walklists import WalkList, WalkListHousehold

__all__ = [
    "AuditAction",
    "AuditEvent",
    "WalkList",
    "WalkListHousehold",
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
