"""Opening the next zone changes the whole council's plan: admins and organisers given that right, after a
confirmation step on the page; every opening is kept in the rollout's trail (issue 16)."""

import pytest
from django.urls import reverse

from tests.dashboards.conftest import client_for
from wards.models import Campaign, ZoneOpening

ADVANCE = reverse("wards:advance")


@pytest.fixture
def olivia_may_advance(olivia):
    olivia.profile.may_advance_rollout = True
    olivia.profile.save(update_fields=["may_advance_rollout"])
    return client_for(olivia)


def zone_of(council):
    return Campaign.objects.get(council=council).current_zone


def test_an_organiser_without_the_right_is_refused_the_confirmation_page(campaign, as_olivia):
    assert as_olivia.get(ADVANCE).status_code == 403


def test_an_organiser_without_the_right_cannot_open_the_next_zone(campaign, as_olivia, popley):
    assert as_olivia.post(ADVANCE, {"confirm": "yes"}).status_code == 403
    assert zone_of(popley.council) == "north"
    assert not ZoneOpening.objects.exists()


def test_an_organiser_without_the_right_is_not_offered_the_button(campaign, as_olivia):
    response = as_olivia.get(reverse("wards:overview"))
    assert response.context["can_advance"] is False
    assert ADVANCE not in response.content.decode()


def test_a_volunteer_cannot_open_the_next_zone(campaign, as_vera, popley):
    assert as_vera.post(ADVANCE, {"confirm": "yes"}).status_code == 403
    assert zone_of(popley.council) == "north"


def test_the_confirmation_page_names_the_zone_it_opens_and_changes_nothing(campaign, olivia_may_advance, popley):
    response = olivia_may_advance.get(ADVANCE)
    content = response.content.decode()
    assert response.status_code == 200
    assert "open the South zone?" in content
    assert 'name="confirm"' in content
    assert zone_of(popley.council) == "north"


def test_an_organiser_with_the_right_who_does_not_confirm_opens_nothing(campaign, olivia_may_advance, popley):
    response = olivia_may_advance.post(ADVANCE)
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert zone_of(popley.council) == "north"
    assert not ZoneOpening.objects.exists()


def test_an_organiser_with_the_right_opens_the_next_zone_once_confirmed(campaign, olivia_may_advance, olivia, popley):
    response = olivia_may_advance.post(ADVANCE, {"confirm": "yes"})
    assert response.url == reverse("wards:overview")
    assert zone_of(popley.council) == "south"
    opening = ZoneOpening.objects.get()
    assert (opening.from_zone, opening.to_zone, opening.opened_by, opening.username) == (
        "north",
        "south",
        olivia,
        "olivia",
    )


def test_an_organiser_with_the_right_is_offered_the_confirmation_link(campaign, olivia_may_advance):
    response = olivia_may_advance.get(reverse("wards:overview"))
    assert response.context["can_advance"] is True
    assert f'href="{ADVANCE}"' in response.content.decode()


def test_an_admin_opens_the_next_zone_once_confirmed(campaign, as_alice, alice, popley):
    assert as_alice.get(ADVANCE).status_code == 200
    assert as_alice.post(ADVANCE, {"confirm": "yes"}).url == reverse("wards:overview")
    assert zone_of(popley.council) == "south"
    assert ZoneOpening.objects.get().opened_by == alice


def test_in_the_last_zone_there_is_nothing_to_confirm(campaign, as_alice, popley):
    as_alice.post(ADVANCE, {"confirm": "yes"})
    as_alice.post(ADVANCE, {"confirm": "yes"})  # north, south, then villages: the last zone
    response = as_alice.get(ADVANCE)
    assert response.url == reverse("wards:overview")
    assert zone_of(popley.council) == "villages"
    assert ZoneOpening.objects.count() == 2
