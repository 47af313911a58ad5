"""The ward page's aggregate reads (fixed SQL) on hand-made data: what each counts and what it leaves out."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from canvass.models import Outcome, TurnoutRecord
from tests.factories import ContactRecordFactory, HouseholdFactory, PollingDistrictFactory, VoterFactory
from wards.dashboards import contact_rate_series, marked_register_turnout, segment_counts, volunteer_activity
from wards.models import ContactRatePeriod, ContactRateSample, Reason, Segment, TargetListEntry


def test_volunteer_activity_counts_each_volunteers_counted_contacts_in_the_ward_lately(popley, south_ham, vera, victor):
    district = PollingDistrictFactory(ward=popley)
    voter = VoterFactory(household=HouseholdFactory(polling_district=district))
    elsewhere = VoterFactory(household=HouseholdFactory(polling_district=PollingDistrictFactory(ward=south_ham)))
    vera.first_name, vera.last_name = "Vera", "Vance"
    vera.save()
    for outcome in (Outcome.SPOKE, Outcome.SPOKE, Outcome.NOT_IN):
        ContactRecordFactory(voter=voter, volunteer=vera, outcome=outcome)
    ContactRecordFactory(voter=voter, volunteer=victor, outcome=Outcome.NOT_IN)
    ContactRecordFactory(voter=voter, volunteer=victor, is_superseded=True)  # replaced by a correction
    ContactRecordFactory(voter=voter, volunteer=victor, contacted_at=timezone.now() - dt.timedelta(days=40))
    ContactRecordFactory(voter=elsewhere, volunteer=victor)  # another ward
    ContactRecordFactory(voter=voter, volunteer=None)  # no volunteer (an import)
    assert volunteer_activity(ward=popley) == [
        {
            "volunteer_id": vera.id,
            "volunteer__username": "vera",
            "volunteer__first_name": "Vera",
            "volunteer__last_name": "Vance",
            "contacts": 3,
            "spoke": 2,
        },
        {
            "volunteer_id": victor.id,
            "volunteer__username": "victor",
            "volunteer__first_name": "",
            "volunteer__last_name": "",
            "contacts": 1,
            "spoke": 0,
        },
    ]


def test_marked_register_turnout_counts_the_wards_electors_votes_by_election(popley, south_ham):
    district = PollingDistrictFactory(ward=popley)
    first, postal, gone = (VoterFactory(household=HouseholdFactory(polling_district=district)) for _ in range(3))
    gone.on_register = False
    gone.save()
    other = VoterFactory(household=HouseholdFactory(polling_district=PollingDistrictFactory(ward=south_ham)))
    may_2023, may_2024 = dt.date(2023, 5, 4), dt.date(2024, 5, 2)
    for voter, date, method in (
        (first, may_2024, TurnoutRecord.Method.IN_PERSON),
        (postal, may_2024, TurnoutRecord.Method.POSTAL),
        (first, may_2023, TurnoutRecord.Method.POSTAL),
        (gone, may_2024, TurnoutRecord.Method.IN_PERSON),
        (other, may_2024, TurnoutRecord.Method.IN_PERSON),
    ):
        TurnoutRecord.objects.create(voter=voter, election_date=date, method=method)
    assert marked_register_turnout(ward=popley) == [
        {"election_date": may_2023, "voted": 1, "postal": 1},
        {"election_date": may_2024, "voted": 2, "postal": 1},
    ]


def test_segment_counts_leave_out_voters_who_asked_for_no_contact_or_left_the_register(popley):
    district = PollingDistrictFactory(ward=popley)
    shared, single = HouseholdFactory(polling_district=district), HouseholdFactory(polling_district=district)
    voters = [VoterFactory(household=shared) for _ in range(3)] + [VoterFactory(household=single)]
    voters[1].do_not_contact = True
    voters[1].save()
    voters[3].on_register = False
    voters[3].save()
    for position, voter in enumerate(voters):
        TargetListEntry.objects.create(
            ward=popley,
            segment=Segment.PERSUADABLE,
            reason=Reason.UNDECIDED,
            built_at=timezone.now(),
            position=position,
            voter=voter,
            household=voter.household,
        )
    counts = {s.segment: (s.voters, s.households) for s in segment_counts(ward=popley)}
    assert counts[Segment.PERSUADABLE] == (2, 1)
    assert list(counts) == list(Segment.values) and counts[Segment.PROMISE] == (0, 0)


def test_the_contact_rate_is_weekly_when_a_weekly_sample_exists_and_skips_empty_samples(popley):
    council = popley.council
    day, week = ContactRatePeriod.DAY, ContactRatePeriod.WEEK
    start = dt.date(2026, 1, 5)
    for ward, period, offset, contacted, electors in (
        (popley, day, 0, 1, 100),
        (None, day, 0, 5, 1000),
        (popley, week, 7, 10, 200),
        (popley, week, 0, 0, 0),  # no electors yet: not drawn
        (None, week, 7, 30, 1000),
    ):
        ContactRateSample.objects.create(
            council=council,
            ward=ward,
            period=period,
            period_start=start + dt.timedelta(days=offset),
            newly_contacted=contacted,
            contacted=contacted,
            electors=electors,
        )
    later = start + dt.timedelta(days=7)
    assert contact_rate_series(ward=popley) == {"ward": [(later, Decimal(5))], "council": [(later, Decimal(3))]}
    ContactRateSample.objects.filter(period=week).delete()
    assert contact_rate_series(ward=popley) == {"ward": [(start, Decimal(1))], "council": [(start, Decimal("0.5"))]}
