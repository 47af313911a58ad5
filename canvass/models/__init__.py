from canvass.models.audit import AuditAction, AuditEvent
from canvass.models.contacts import Channel, ContactRecord, Intention, Likelihood, Outcome
from canvass.models.demo import DemoLoad
from canvass.models.imports import RegisterImport
from canvass.models.people import Profile, Role
from canvass.models.refusals import RefusedSyncItem
from canvass.models.register import Household, Voter
from canvass.models.tokens import ApiToken
from canvass.models.turnout import TurnoutRecord
from canvass.walklists.models import WalkList, WalkListHousehold

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEvent",
    "WalkList",
    "WalkListHousehold",
    "Channel",
    "ContactRecord",
    "DemoLoad",
    "Household",
    "Intention",
    "Likelihood",
    "Outcome",
    "Profile",
    "RefusedSyncItem",
    "RegisterImport",
    "Role",
    "TurnoutRecord",
    "Voter",
]
