"""Volunteers are shown by display name (full name, falling back to the username), one rule in
canvass.models.people used by every page and the API (issue 16)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from canvass.models.people import display_name, name_shown
from canvass.walklists.forms import WalkListAssignForm
from tests.factories import UserFactory, WalkListFactory
from wards.views.charts_for import volunteer_name

# session, user, profile, the page of lists, their volunteers (one prefetch, names included)
QUERIES_FOR_THE_WALK_LISTS_PAGE = 5


def named(user, first="", last=""):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def test_a_display_name_is_the_full_name(db):
    assert display_name(UserFactory(username="vh", first_name="Vera", last_name="Hale")) == "Vera Hale"


def test_a_display_name_is_the_first_name_alone_without_a_surname(db):
    assert display_name(UserFactory(username="vh", first_name="Vera", last_name="")) == "Vera"


def test_a_display_name_falls_back_to_the_username(db):
    assert display_name(UserFactory(username="vh", first_name=" ", last_name="")) == "vh"


def test_nobody_has_an_empty_display_name():
    assert display_name(None) == ""


def test_rows_read_as_values_use_the_same_rule():
    assert name_shown(first_name="Vera", last_name=None, username="vh") == "Vera"
    row = {"volunteer_id": 7, "volunteer__first_name": "", "volunteer__last_name": "", "volunteer__username": "vh"}
    assert volunteer_name(row) == "vh"


def test_the_template_filter_shows_the_display_name(db):
    user = UserFactory(username="vh", first_name="Vera", last_name="Hale")
    rendered = Template("{% load people %}{{ user|display_name }}").render(Context({"user": user}))
    assert rendered == "Vera Hale"


def test_the_assignment_form_offers_volunteers_by_display_name(vera):
    named(vera, "Vera", "Hale")
    labels = [label for _, label in WalkListAssignForm().fields["volunteers"].choices]
    assert "Vera Hale" in labels


def test_the_walk_list_page_shows_who_it_is_assigned_to_by_display_name(client, olivia, vera, popley):
    named(vera, "Vera", "Hale")
    walk_list = WalkListFactory(ward=popley, assigned_to=[vera])
    client.force_login(olivia)
    content = client.get(reverse("wards:walk-list", args=[walk_list.pk])).content.decode()
    assert "Assigned to: Vera Hale" in content


@pytest.mark.parametrize(("first", "expected"), [("Vera", "Vera Hale"), ("", "vera")])
def test_the_api_lists_walk_lists_with_their_volunteers_by_display_name(client, olivia, vera, popley, first, expected):
    named(vera, first, "Hale" if first else "")
    walk_list = WalkListFactory(ward=popley, assigned_to=[vera])
    client.force_login(olivia)
    (shown,) = [row for row in client.get("/api/v1/walk-lists/").json()["results"] if row["id"] == walk_list.pk]
    assert shown["assigned_to"] == [vera.pk]
    assert shown["assigned_volunteers"] == [{"id": vera.pk, "display_name": expected}]


def test_the_api_tells_a_user_their_display_name(client, vera):
    named(vera, "Vera", "Hale")
    client.force_login(vera)
    body = client.get("/api/v1/me/").json()
    assert (body["username"], body["display_name"]) == ("vera", "Vera Hale")


@pytest.mark.parametrize("lists", [2, 10])
def test_volunteers_names_on_the_walk_lists_api_cost_no_query_per_list(
    client, olivia, popley, lists, django_assert_num_queries
):
    for n in range(lists):
        volunteer = UserFactory(username=f"v{n}", first_name=f"Vol{n}", last_name="Hale")
        WalkListFactory(ward=popley, assigned_to=[volunteer])
    client.force_login(olivia)
    client.get("/api/v1/walk-lists/")  # warm the session and profile caches
    with django_assert_num_queries(QUERIES_FOR_THE_WALK_LISTS_PAGE):
        body = client.get("/api/v1/walk-lists/").json()
    assert {v["display_name"] for row in body["results"] for v in row["assigned_volunteers"]} == {
        f"Vol{n} Hale" for n in range(lists)
    }
