"""Rows stored before validation bounded their times must not break a listing or an admin page."""

import datetime as dt

import pytest
from django.urls import reverse

from canvass.models import ContactRecord
from tests.factories import ContactRecordFactory

pytestmark = pytest.mark.django_db

YEAR_ONE = dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC)  # London's offset then takes local time before year 1


@pytest.fixture
def year_one_contact(popley_voters):
    contact = ContactRecordFactory(voter=popley_voters[0])
    ContactRecord.objects.filter(pk=contact.pk).update(contacted_at=YEAR_ONE)
    return contact


def test_the_organisers_contact_list_shows_a_year_one_contact(as_user, olivia, year_one_contact):
    response = as_user(olivia).get("/api/v1/contact-records/")
    assert response.status_code == 200
    assert response.json()["results"][0]["contacted_at"].startswith("0001-01-01T00:00:00")


@pytest.mark.parametrize("page", ["admin:canvass_contactrecord_changelist", "contact change", "voter change"])
def test_admin_pages_show_a_year_one_contact(client, alice, year_one_contact, page):
    client.force_login(alice)
    url = {
        "contact change": reverse("admin:canvass_contactrecord_change", args=[year_one_contact.pk]),
        "voter change": reverse("admin:canvass_voter_change", args=[year_one_contact.voter_id]),
    }.get(page) or reverse(page)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("cursor", ["zzz", "!!!", "cD0=", "bm90IGEgY3Vyc29y", "cD0yMDI2LTAyLTMw", "%00"])
def test_a_malformed_cursor_is_a_400(as_user, olivia, year_one_contact, cursor):
    response = as_user(olivia).get(f"/api/v1/contact-records/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
