"""A list whose voters have tens of thousands of contacts: the doorstep page reads only what the door needs."""

import datetime as dt
import time
import uuid

import pytest
from django.utils import timezone

from canvass.models import ContactRecord, Outcome
from tests.factories import HouseholdFactory, PollingDistrictFactory, VoterFactory, WalkListFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CONTACTS = 64_000


@pytest.fixture
def busy_list(popley, vera, olivia):
    district = PollingDistrictFactory(ward=popley, code="PB1")
    households = [HouseholdFactory(polling_district=district, street="Busy Road") for _ in range(40)]
    voters = [VoterFactory(household=household) for household in households for _ in range(3)]
    walk_list = WalkListFactory(ward=popley, created_by=olivia, households=households, assigned_to=[vera])
    start = timezone.now() - dt.timedelta(days=400)
    ContactRecord.objects.bulk_create(
        [
            ContactRecord(
                client_uuid=uuid.uuid4(),
                voter=voter,
                household_id=voter.household_id,
                ward=popley,
                volunteer=vera,
                contacted_at=start + dt.timedelta(minutes=n),
                outcome=Outcome.SPOKE if n % 3 else Outcome.NOT_IN,
            )
            for n in range(CONTACTS)
            for voter in [voters[n % len(voters)]]
        ],
        batch_size=5000,
    )
    return walk_list, voters


def test_the_page_of_a_list_with_64000_contacts_answers_within_a_second(client, vera, busy_list):
    walk_list, voters = busy_list
    client.force_login(vera)
    client.get(f"/doorstep/lists/{walk_list.pk}/")  # warm the connection and the caches
    started = time.perf_counter()
    response = client.get(f"/doorstep/lists/{walk_list.pk}/")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    latest = ContactRecord.objects.filter(voter=voters[-1]).latest("contacted_at")
    assert latest.voter_id == voters[-1].pk
