from canvass.models.audit import AuditAction, AuditEvent
from canvass.models.contacts import Channel, ContactRecord, Intention, Likelihood, Outcome
from canvass.models.demo import DemoLoad
from canvass.models.imports import RegisterImport
from canvass.models.invitations import Invitation
from canvass.models.people import Profile, Role
from canvass.models.refusals import RefusedSyncItem
from canvass.models.register import Household, Voter
from canvass.models.residents import NewResident
from canvass.models.tokens import ApiToken
from canvass.models.turnout import TurnoutRecord
from canvass.sessions.models import CanvassSession, SessionReply
from canvass.surveys.models import Answer, Question, QuestionKind, QuestionVersion, Script
from canvass.walklists.models import (
    Delivery,
    DeliveryStatus,
    Leaflet,
    WalkList,
    WalkListCut,
    WalkListHousehold,
    WalkListKind,
)

__all__ = [
    "Answer",
    "Question",
    "QuestionKind",
    "QuestionVersion",
    "Script",
    "ApiToken",
    "AuditAction",
    "AuditEvent",
    "WalkList",
    "WalkListCut",
    "WalkListHousehold",
    "WalkListKind",
    "CanvassSession",
    "Channel",
    "ContactRecord",
    "Delivery",
    "DeliveryStatus",
    "DemoLoad",
    "Household",
    "Intention",
    "Invitation",
    "Leaflet",
    "NewResident",
    "Likelihood",
    "Outcome",
    "Profile",
    "RefusedSyncItem",
    "RegisterImport",
    "Role",
    "SessionReply",
    "TurnoutRecord",
    "Voter",
]
