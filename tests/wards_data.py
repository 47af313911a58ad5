"""Hand-made wards, voters and contacts with known answers, shared by the statistics tests."""

import datetime as dt

from django.utils import timezone

from canvass.models import Intention, Outcome
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PartyFactory,
    PollingDistrictFactory,
    VoterFactory,
)


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def party(code: str, **kwargs):
    return PartyFactory(code=code, name=code, **kwargs)


def voter(district, *, street="Church Street", number=None, household=None, **kwargs):
    if household is None:
        household = HouseholdFactory(polling_district=district, street=street, house_number=number)
    return VoterFactory(household=household, polling_district=district, **kwargs)


def spoke(voter, *, local=None, national=None, likelihood=None, days=1, **kwargs):
    """A doorstep conversation; `local`/`national` are a Party or an Intention value."""
    fields = {"outcome": Outcome.SPOKE, "likelihood": likelihood, "contacted_at": days_ago(days), **kwargs}
    for side, value in (("local", local), ("national", national)):
        if value is None:
            continue
        if isinstance(value, str):
            fields[f"{side}_intention"] = value
        else:
            fields[f"{side}_intention"], fields[f"{side}_party"] = Intention.PARTY, value
    return ContactRecordFactory(voter=voter, **fields)


def not_in(voter, *, days=1):
    return ContactRecordFactory(voter=voter, outcome=Outcome.NOT_IN, contacted_at=days_ago(days))


def district(ward, code):
    return PollingDistrictFactory(ward=ward, code=code)


def ward_with_result(*, ours_votes: int, rival_votes: int, rival=None, **kwargs):
    """A ward whose projection rests on its last result alone: 100 ballots expected."""
    from tests.factories import OurPartyFactory, WardFactory
    from wards.models import WardResult

    ward = WardFactory(last_turnout_votes=100, **kwargs)
    WardResult.objects.create(ward=ward, party=OurPartyFactory(), votes=ours_votes)
    WardResult.objects.create(ward=ward, party=rival or party("CON"), votes=rival_votes)
    return ward
