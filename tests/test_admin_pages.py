import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from canvass.models import AuditAction, AuditEvent, QuestionKind, Role, Script, TurnoutRecord
from canvass.surveys.services import question_create
from tests.elections.helpers import contest
from tests.factories import (
    ContactRecordFactory,
    OurPartyFactory,
    PollingDistrictFactory,
    ProfileFactory,
    RegisterImportFactory,
    VillageFactory,
    VoterFactory,
    WardFactory,
)
from wards.models import Constituency, WardResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(alice):
    contact = ContactRecordFactory(voter=VoterFactory(polling_district=PollingDistrictFactory(code="PO1")))
    ward = contact.ward
    VillageFactory(ward=ward)
    WardResult.objects.create(ward=ward, party=OurPartyFactory(), votes=1200)
    contest(ward, ballots=2000, electorate=6000, candidates=[("Ann Able", OurPartyFactory(), 1200, True)])
    Constituency.objects.create(name="Basingstoke", code="DEMO-BAS").wards.add(ward)
    ProfileFactory(role=Role.ORGANISER, wards=[ward])
    Group.objects.create(name="Canvass leads")
    RegisterImportFactory(council=ward.council)
    question_create(council=ward.council, kind=QuestionKind.SINGLE, wording="Which?", choices=["A", "B"], by=alice)
    Script.objects.create(council=ward.council, text="Hello from the campaign.")
    return contact


# The audit trail's admin is read-only on purpose (no add page): tests/api/test_audit.py covers it.
# So is the rollout's trail (wards.ZoneOpening): test_the_rollout_trail_is_read_only_in_the_admin covers it.
# New residents come from the door only (no add page): tests/api/test_sync_corrections.py covers them.
READ_ONLY_ADMINS = {"canvass.AuditEvent", "wards.ZoneOpening", "canvass.NewResident", "canvass.RefusedSyncItem"}


def our_admin_models():
    return [
        model
        for model in admin.site._registry
        if model._meta.app_label in ("wards", "canvass", "auth") and model._meta.label not in READ_ONLY_ADMINS
    ]


@pytest.mark.parametrize("model", our_admin_models(), ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_load_for_an_admin(client, alice, populated, model):
    client.force_login(alice)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 200
    instance = model.objects.first()
    assert client.get(reverse(f"{prefix}_change", args=[instance.pk])).status_code == 200


def test_voter_list_costs_the_same_queries_for_five_or_forty_voters(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    VoterFactory.create_batch(5)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("admin:canvass_voter_changelist"))
    VoterFactory.create_batch(35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("admin:canvass_voter_changelist"))


def test_voter_search_finds_an_elector_by_reference(client, alice):
    client.force_login(alice)
    wanted = VoterFactory(polling_district=PollingDistrictFactory(code="PO1"), elector_number=124, elector_suffix=1)
    VoterFactory(polling_district=wanted.polling_district, elector_number=125)
    response = client.get(reverse("admin:canvass_voter_changelist"), {"q": "PO1-124/1"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_voter_search_for_a_reference_with_a_digit_int_cannot_read_finds_nothing(client, alice):
    """ "²" is a digit to str.isdigit() but not to int(): the search was a 500."""
    client.force_login(alice)
    VoterFactory(polling_district=PollingDistrictFactory(code="PO1"), elector_number=2)
    response = client.get(reverse("admin:canvass_voter_changelist"), {"q": "PO1-²"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


def test_voter_change_page_uses_autocomplete_not_a_drop_down_of_every_household(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    response = client.get(reverse("admin:canvass_voter_change", args=[voter.pk]))
    household_widget = response.context["adminform"].form.fields["household"].widget
    assert household_widget.widget.__class__.__name__ == "AutocompleteSelect"


def test_ward_admin_lets_organisers_edit_the_zone_from_the_list(client, alice, popley):
    client.force_login(alice)
    response = client.get(reverse("admin:wards_ward_changelist"))
    assert "form-0-zone" in response.content.decode()


def test_voter_change_page_shows_turnout_history(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    TurnoutRecord.objects.create(voter=voter, election_date=dt.date(2024, 5, 2), method=TurnoutRecord.Method.POSTAL)
    response = client.get(reverse("admin:canvass_voter_change", args=[voter.pk]))
    assert "2 May 2024" in response.content.decode() or "2024-05-02" in response.content.decode()


def test_listing_voters_in_the_admin_is_audited(client, alice):
    client.force_login(alice)
    shown = VoterFactory.create_batch(3)
    client.get(reverse("admin:canvass_voter_changelist"))
    event = AuditEvent.objects.get(resource="voter", action=AuditAction.LIST)
    assert (event.user, sorted(event.object_ids)) == (alice, sorted(voter.pk for voter in shown))


def test_opening_a_voter_in_the_admin_is_audited(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    client.get(reverse("admin:canvass_voter_change", args=[voter.pk]))
    assert AuditEvent.objects.filter(resource="voter", action=AuditAction.VIEW, object_ids=[voter.pk]).exists()


def test_a_voters_history_page_is_audited(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    assert client.get(reverse("admin:canvass_voter_history", args=[voter.pk])).status_code == 200
    assert AuditEvent.objects.filter(resource="voter", action=AuditAction.VIEW, object_ids=[voter.pk]).exists()


def test_a_voters_delete_confirmation_is_audited(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    assert client.get(reverse("admin:canvass_voter_delete", args=[voter.pk])).status_code == 200
    assert AuditEvent.objects.filter(resource="voter", action=AuditAction.VIEW, object_ids=[voter.pk]).exists()


def test_the_voters_shown_inline_on_a_household_are_audited(client, alice):
    client.force_login(alice)
    voter = VoterFactory()
    client.get(reverse("admin:canvass_household_change", args=[voter.household_id]))
    assert AuditEvent.objects.filter(resource="voter", action=AuditAction.LIST, object_ids=[voter.pk]).exists()


def test_voters_offered_by_autocomplete_are_audited(client, alice):
    client.force_login(alice)
    voter = VoterFactory(surname="Applegate")
    answer = client.get(
        reverse("admin:autocomplete"),
        {"term": "Applegate", "app_label": "canvass", "model_name": "contactrecord", "field_name": "voter"},
    )
    assert answer.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LIST)
    assert (event.resource, event.object_ids) == ("voter", [voter.pk])


def test_the_rollout_trail_is_read_only_in_the_admin(client, alice, popley):
    from wards.models import ZoneOpening
    from wards.services import campaign_rollout

    WardFactory(council=popley.council, zone="south")
    campaign_rollout(council=popley.council, advance=True, by=alice)
    opening = ZoneOpening.objects.get()
    client.force_login(alice)
    changelist = client.get(reverse("admin:wards_zoneopening_changelist"))
    assert changelist.status_code == 200
    assert "alice" in changelist.content.decode()
    assert client.get(reverse("admin:wards_zoneopening_add")).status_code == 403
    assert client.post(reverse("admin:wards_zoneopening_delete", args=[opening.pk]), {"post": "yes"}).status_code == 403
    assert ZoneOpening.objects.filter(pk=opening.pk).exists()
