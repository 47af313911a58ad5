"""Who to talk to, and why: the voters a list was cut for are marked with the target list's reason and come first."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import WalkListFactory
from tests.login import log_in
from wards.models import Reason, Segment, TargetListEntry

pytestmark = pytest.mark.django_db


def _target(voter, ward, segment, reason, position=1):
    return TargetListEntry.objects.create(
        ward=ward,
        segment=segment,
        reason=reason,
        position=position,
        voter=voter,
        household=voter.household,
        built_at=timezone.now(),
    )


def _door_html(page: str, household) -> str:
    start = page.index(f'id="h{household.pk}"')
    end = page.find('<li class="door', start)
    return page[start : end if end > 0 else len(page)]


@pytest.fixture
def split_ticket_round(vera, olivia, popley, doors):
    """A list cut from the soft-supporter segment: Bob at 1 Carpenters Down is on it (split ticket)."""
    door = doors["1 Carpenters Down"]
    bob = door.voters.get(forenames="Bob")
    ann = door.voters.get(forenames="Ann")
    _target(bob, popley, Segment.SOFT_SUPPORTER, Reason.SPLIT_TICKET)
    # Ann is on another segment's list only: this list was not cut for her.
    _target(ann, popley, Segment.NEVER_CONTACTED, Reason.PRIORITY_STREET)
    return WalkListFactory(
        name="Soft supporters",
        ward=popley,
        created_by=olivia,
        segment=Segment.SOFT_SUPPORTER,
        households=[door, doors["2 Carpenters Down"]],
        assigned_to=[vera],
    )


def test_the_page_marks_the_voter_the_list_was_cut_for_and_puts_them_first(client, vera, split_ticket_round, doors):
    client.force_login(vera)
    page = client.get(reverse("doorstep-list", args=[split_ticket_round.pk])).content.decode()
    door = _door_html(page, doors["1 Carpenters Down"])
    bob_at, ann_at = door.index(">Bob "), door.index(">Ann ")
    assert bob_at < ann_at
    assert door.count("Ours locally, another party nationally") == 1
    assert "Never spoken to" not in page


def test_a_street_list_marks_whoever_is_on_a_target_list(client, vera, olivia, popley, doors):
    ann = doors["2 Carpenters Down"].voters.get(forenames="Ann")
    _target(ann, popley, Segment.POSTAL_SUPPORTER, Reason.POSTAL_VOTE)
    street = WalkListFactory(
        name="Street round", ward=popley, created_by=olivia, households=[doors["2 Carpenters Down"]], assigned_to=[vera]
    )
    client.force_login(vera)
    page = client.get(reverse("doorstep-list", args=[street.pk])).content.decode()
    assert page.count("Supporter with a postal vote") == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_the_phone_the_target_voter_comes_first_with_the_reason_and_others_plainly(
    live_server, chromium, vera, split_ticket_round, doors
):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, vera, lands_on="/doorstep/")
    page.get_by_role("link", name=re.compile("Soft supporters")).click()
    page.wait_for_function("document.getElementById('doorstep')?.dataset.ready === '1'")
    door = page.locator(f"#h{doors['1 Carpenters Down'].pk}")
    rows = door.locator("[data-v]")
    expect(rows.first.locator(".name")).to_have_text(re.compile("^Bob "))
    expect(rows.first.locator(".why")).to_have_text("Ours locally, another party nationally")
    expect(rows.first).to_have_class(re.compile(r"\btarget\b"))
    expect(rows.nth(1).locator(".why")).to_have_count(0)
    expect(rows.nth(1)).not_to_have_class(re.compile(r"\btarget\b"))
    context.close()
