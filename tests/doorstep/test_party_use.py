"""The most used parties first: the ward's real usage, counted in SQL and carried by the page."""

import datetime as dt
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from canvass.walklists.party_use import RECENT_DAYS, party_use, party_use_kept
from tests.factories import (
    ContactRecordFactory,
    CouncilFactory,
    HouseholdFactory,
    PartyFactory,
    PollingDistrictFactory,
    VoterFactory,
    WardFactory,
)
from tests.login import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def greens(db):
    return PartyFactory(code="GRN", name="Green")


def test_the_wards_counted_contacts_are_counted_by_party(popley, doors, parties, greens, django_assert_num_queries):
    ours, con = parties
    voters = [voter for door in doors.values() for voter in door.voters.all()]
    for voter in voters[:3]:
        ContactRecordFactory(
            voter=voter, local_intention="party", local_party=greens, national_intention="party", national_party=con
        )
    ContactRecordFactory(voter=voters[3], local_intention="party", local_party=ours)
    with django_assert_num_queries(1):
        used = party_use(popley)
    assert used == {"local": {greens.pk: 3, ours.pk: 1}, "national": {con.pk: 3}}


def test_a_superseded_record_an_old_one_and_another_wards_do_not_count(popley, doors, south_ham_door, greens, parties):
    voter = doors["1 Carpenters Down"].voters.first()
    ContactRecordFactory(voter=voter, local_intention="party", local_party=greens, is_superseded=True)
    ContactRecordFactory(
        voter=voter,
        local_intention="party",
        local_party=greens,
        contacted_at=timezone.now() - dt.timedelta(days=RECENT_DAYS + 1),
    )
    ContactRecordFactory(voter=south_ham_door.voters.first(), local_intention="party", local_party=greens)
    ContactRecordFactory(voter=voter, local_intention="party", local_party=parties[1])
    assert party_use(popley)["local"] == {parties[1].pk: 1}


def test_only_the_wards_latest_contacts_naming_a_party_are_counted(popley, doors, parties, greens, monkeypatch):
    monkeypatch.setattr("canvass.walklists.party_use.SAMPLE", 2)
    ours, _ = parties
    voter = doors["1 Carpenters Down"].voters.first()
    now = timezone.now()
    days_ago = now - dt.timedelta(days=3)
    ContactRecordFactory(voter=voter, local_intention="party", local_party=ours, contacted_at=days_ago)
    for hours in (1, 2):
        ContactRecordFactory(
            voter=voter, local_intention="party", local_party=greens, contacted_at=now - dt.timedelta(hours=hours)
        )
    ContactRecordFactory(voter=voter, contacted_at=now)  # names no party: not in the sample
    assert party_use(popley)["local"] == {greens.pk: 2}


def test_a_ward_with_no_contacts_yet_borrows_its_councils(popley, south_ham, south_ham_door, greens):
    assert south_ham.council_id == popley.council_id
    ContactRecordFactory(voter=south_ham_door.voters.first(), local_intention="party", local_party=greens)
    assert party_use(popley)["local"] == {greens.pk: 1}


def test_another_councils_contacts_are_not_borrowed(popley, greens):
    hart = WardFactory(name="Hook", council=CouncilFactory(name="Hart", ons_code="E07000089"))
    voter = VoterFactory(household=HouseholdFactory(polling_district=PollingDistrictFactory(ward=hart, code="HK1")))
    ContactRecordFactory(voter=voter, local_intention="party", local_party=greens)
    assert party_use(popley)["local"] == {}


def test_the_page_carries_the_wards_usage(vera, carpenters_round, doors, greens):
    ContactRecordFactory(
        voter=VoterFactory(household=doors["1 Carpenters Down"]), local_intention="party", local_party=greens
    )
    page = client_for(vera).get(reverse("doorstep-list", args=[carpenters_round.pk])).content.decode()
    used = json.loads(re.search(r'<script id="party-use" type="application/json">(.*?)</script>', page).group(1))
    assert used == {"local": {str(greens.pk): 1}, "national": {}}


def test_a_wards_usage_is_kept_in_the_shared_cache_for_its_pages(
    kept, popley, doors, greens, django_assert_num_queries
):
    voter = doors["1 Carpenters Down"].voters.first()
    ContactRecordFactory(voter=voter, local_intention="party", local_party=greens)
    with override_settings(PARTY_USE_CACHE_SECONDS=120):
        assert party_use_kept(popley)["local"] == {greens.pk: 1}
        ContactRecordFactory(voter=voter, local_intention="party", local_party=greens)
        with django_assert_num_queries(0):
            assert party_use_kept(popley)["local"] == {greens.pk: 1}


@override_settings(PARTY_USE_CACHE_SECONDS=0)
def test_with_no_time_to_keep_it_the_usage_is_counted_for_every_page(kept, popley, doors, greens):
    voter = doors["1 Carpenters Down"].voters.first()
    ContactRecordFactory(voter=voter, local_intention="party", local_party=greens)
    assert party_use_kept(popley)["local"] == {greens.pk: 1}
    ContactRecordFactory(voter=voter, local_intention="party", local_party=greens)
    assert party_use_kept(popley)["local"] == {greens.pk: 2}
