"""The doorstep page's doors are built once for each version of the list and kept in the shared cache: the next
user to open the unchanged list costs its validator, not a rebuild, and still gets their own records and audit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from canvass.models import AuditEvent, Intention, Outcome
from tests.factories import ContactRecordFactory, ProfileFactory
from tests.login import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def wendy(carpenters_round):
    """Wendy walks Carpenters round with Vera."""
    user = ProfileFactory(user__username="wendy", role="volunteer").user
    carpenters_round.assigned_to.add(user)
    return user


@pytest.fixture
def veras_record(vera, carpenters_round, doors):
    """Vera spoke to Ann at 3 Sherborne Road after the list was cut: a record she may change."""
    voter = doors["3 Sherborne Road"].voters.get(forenames="Ann")
    return ContactRecordFactory(
        voter=voter,
        volunteer=vera,
        outcome=Outcome.SPOKE,
        local_intention=Intention.UNDECIDED,
        contacted_at=carpenters_round.created_at + dt.timedelta(minutes=5),
    )


def page(user, walk_list):
    return client_for(user).get(reverse("doorstep-list", args=[walk_list.pk]))


def streets_of(response) -> str:
    content = response.content.decode()
    return content[content.index('<section class="street"') : content.index('<script id="records"')]


def test_the_next_user_on_an_unchanged_list_gets_the_doors_kept_without_reading_them(
    kept, vera, wendy, carpenters_round, veras_record, django_assert_num_queries
):
    first = page(vera, carpenters_round)
    wendys_client = client_for(wendy)
    wendys_client.get(reverse("doorstep-lists"))  # her session and user loaded once, as on any later page
    # session, user, profile, list, its validator, the questions and scripts (three here) and audit: no doors,
    # voters, contacts or new residents read, the ward's party use kept too, and Vera's record is not Wendy's
    with django_assert_num_queries(9):
        again = wendys_client.get(reverse("doorstep-list", args=[carpenters_round.pk]))
    assert streets_of(again) == streets_of(first)
    assert "Undecided" in streets_of(again)


def test_each_user_gets_their_own_records_from_the_kept_doors(kept, vera, wendy, carpenters_round, veras_record):
    page(wendy, carpenters_round)  # built for Wendy, with none of her own to change
    content = page(vera, carpenters_round).content.decode()
    assert str(veras_record.client_uuid) in content[content.index('<script id="records"') :]
    wendys = page(wendy, carpenters_round).content.decode()
    assert str(veras_record.client_uuid) not in wendys[wendys.index('<script id="records"') :]


def test_the_kept_doors_are_audited_for_each_user(kept, vera, wendy, carpenters_round):
    page(vera, carpenters_round)
    page(wendy, carpenters_round)
    built, kept_copy = AuditEvent.objects.filter(resource="voter").order_by("id")
    assert (built.user, kept_copy.user) == (vera, wendy)
    assert kept_copy.object_ids == built.object_ids and len(built.object_ids) == 8


def test_a_contact_at_one_of_its_doors_builds_the_doors_again(kept, vera, wendy, carpenters_round, doors):
    before = page(vera, carpenters_round)
    voter = doors["1 Carpenters Down"].voters.get(forenames="Bob")
    ContactRecordFactory(voter=voter, outcome=Outcome.NOT_IN, contacted_at=timezone.now())
    after = page(wendy, carpenters_round)
    assert f'data-v="{voter.pk}" data-at=""' in streets_of(before)
    assert f'data-v="{voter.pk}" data-at=""' not in streets_of(after)
    assert after.context["doors"].progress["contacts"] == before.context["doors"].progress["contacts"] + 1


def test_a_voter_asking_for_no_contact_builds_the_doors_again(kept, vera, wendy, carpenters_round, doors):
    page(vera, carpenters_round)
    voter = doors["2 Carpenters Down"].voters.get(forenames="Ann")
    voter.do_not_contact = True
    voter.save()
    assert f'data-v="{voter.pk}" data-at="" class="dnc"' in streets_of(page(wendy, carpenters_round))
