"""Each organiser page for each role: organisers see their wards only (others are 404), admins all,
volunteers none of these pages (403), anonymous users are sent to log in."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, PollingDistrictFactory, WalkListFactory


@pytest.fixture
def south_ham_list(campaign, south_ham):
    return WalkListFactory(ward=south_ham, households=list(south_ham.polling_districts.get().households.all()[:3]))


@pytest.fixture
def popley_list(campaign, popley, vera):
    doors = list(popley.polling_districts.get(code="PA1").households.order_by("id")[:4])
    return WalkListFactory(ward=popley, households=doors, assigned_to=[vera])


def ward_pages(ward):
    return [
        reverse("wards:ward", args=[ward.pk]),
        reverse("wards:segment", args=[ward.pk, "persuadable"]),
        reverse("wards:walk-list-new", args=[ward.pk]),
    ]


def walk_list_pages(walk_list):
    return [reverse("wards:walk-list", args=[walk_list.pk]), reverse("wards:walk-sheet", args=[walk_list.pk])]


def test_organiser_opens_every_page_of_their_own_ward(campaign, as_olivia, popley, popley_list):
    for url in [reverse("wards:overview"), *ward_pages(popley), *walk_list_pages(popley_list)]:
        assert as_olivia.get(url).status_code == 200, url


def test_organiser_gets_404_for_every_page_of_another_ward(campaign, as_olivia, south_ham, south_ham_list):
    for url in [*ward_pages(south_ham), *walk_list_pages(south_ham_list)]:
        assert as_olivia.get(url).status_code == 404, url
    assert as_olivia.post(reverse("wards:segment-csv", args=[south_ham.pk, "persuadable"])).status_code == 404
    assert as_olivia.post(reverse("wards:walk-list-csv", args=[south_ham_list.pk])).status_code == 404


def test_admin_opens_every_ward(campaign, as_alice, popley, south_ham, south_ham_list, popley_list):
    urls = [*ward_pages(popley), *ward_pages(south_ham), *walk_list_pages(south_ham_list)]
    for url in urls + walk_list_pages(popley_list):
        assert as_alice.get(url).status_code == 200, url


@pytest.mark.parametrize("page", ["overview", "ward", "walk_list"])
def test_volunteer_is_refused_the_organiser_pages_even_for_their_own_list(campaign, as_vera, popley, popley_list, page):
    url = {
        "overview": reverse("wards:overview"),
        "ward": reverse("wards:ward", args=[popley.pk]),
        "walk_list": reverse("wards:walk-sheet", args=[popley_list.pk]),
    }[page]
    assert as_vera.get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(campaign, client, popley):
    response = client.get(reverse("wards:ward", args=[popley.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_segment_is_not_found(campaign, as_olivia, popley):
    assert as_olivia.get(reverse("wards:segment", args=[popley.pk, "everyone"])).status_code == 404


def test_organiser_and_admin_land_on_the_overview_after_login(campaign, as_olivia, as_alice):
    for client in (as_olivia, as_alice):
        assert client.get(reverse("home")).url == reverse("wards:overview")


def test_volunteer_lands_on_their_walk_lists(campaign, as_vera):
    assert as_vera.get(reverse("home")).url == reverse("doorstep-lists")


def test_overview_lists_only_the_organisers_wards_with_their_council_wide_rank(campaign, as_olivia, as_alice):
    olivia_rows = as_olivia.get(reverse("wards:overview")).context["rows"]
    alice_rows = as_alice.get(reverse("wards:overview")).context["rows"]
    assert [row.ward.name for row in olivia_rows] == ["Popley"]
    assert len(alice_rows) == 7
    assert olivia_rows[0].rank == next(row.rank for row in alice_rows if row.ward.name == "Popley")


def test_organiser_sees_council_wide_seat_totals(campaign, as_olivia, as_alice):
    olivia = as_olivia.get(reverse("wards:overview")).context
    alice = as_alice.get(reverse("wards:overview")).context
    assert olivia["road"] == alice["road"]
    assert [zone.seats_held for zone in olivia["zones"]] == [zone.seats_held for zone in alice["zones"]]


def test_organiser_without_wards_is_told_so(db, client):
    from canvass.models import Role
    from tests.factories import ProfileFactory

    client.force_login(ProfileFactory(role=Role.ORGANISER).user)
    assert b"No ward is assigned to you yet" in client.get(reverse("wards:overview")).content


def test_a_ward_with_no_statistics_yet_still_renders(as_olivia, popley):
    HouseholdFactory(polling_district=PollingDistrictFactory(ward=popley))
    response = as_olivia.get(reverse("wards:ward", args=[popley.pk]))
    assert response.status_code == 200
    assert b"No statistics computed for this ward yet" in response.content


def test_segment_page_links_are_ids_and_codes_only(campaign, as_olivia, popley):
    content = as_olivia.get(reverse("wards:ward", args=[popley.pk])).content.decode()
    assert f"/campaign/wards/{popley.pk}/segments/persuadable/" in content
    assert "Surname" not in content  # the dashboard shows figures, never a voter


def test_lean_is_the_party_ahead_locally_and_its_lead_in_points(campaign, as_alice):
    rows = {row.ward.name: row for row in as_alice.get(reverse("wards:overview")).context["rows"]}
    popley = rows["Popley"]
    counts = popley.stats.local_intentions
    assert popley.lean.party.code == max(("LAB", "CON", "LD", "GRN"), key=lambda code: counts.get(code, 0))
    second = sorted((counts.get(code, 0) for code in ("LAB", "CON", "LD", "GRN")), reverse=True)[1]
    lead = (counts[popley.lean.party.code] - second) / popley.stats.canvassed
    assert float(popley.lean.margin) == pytest.approx(lead, abs=0.0005)
    assert rows["Bramley"].lean.party is None  # nobody spoken to there yet


@pytest.mark.parametrize("since_the_build", [{"do_not_contact": True}, {"on_register": False}])
def test_segment_counts_on_the_dashboard_match_the_segment_pages(campaign, as_olivia, popley, since_the_build):
    from canvass.models import Voter
    from wards.models import TargetListEntry

    entries = TargetListEntry.objects.filter(ward=popley, segment="persuadable")
    built = entries.count()
    Voter.objects.filter(pk=entries.first().voter_id).update(**since_the_build)
    counts = {s.segment: s.voters for s in as_olivia.get(reverse("wards:ward", args=[popley.pk])).context["segments"]}
    listed = as_olivia.get(reverse("wards:segment", args=[popley.pk, "persuadable"])).context["page"].paginator.count
    assert counts["persuadable"] == listed == built - 1
