"""The demo council's results are coherent: no turnout above 100% on any dashboard."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from canvass.demo.build import demo_council_build
from wards.models import Candidate, Constituency, Contest, ElectionKind, Ward
from wards.services import ward_statistics_recompute
from wards.views.charts_for import turnout_history

pytestmark = pytest.mark.django_db

SMALL = 600


@pytest.fixture
def demo(db):
    demo_council_build(electors=SMALL, seed=1)
    ward_statistics_recompute()


def test_every_ward_has_its_2021_all_out_and_2024_thirds_contest(demo):
    for kind, seats in ((ElectionKind.ALL_OUT, 3), (ElectionKind.THIRDS, 1)):
        contests = Contest.objects.filter(election__kind=kind)
        assert contests.count() == 18
        assert set(contests.values_list("seats_contested", flat=True)) == {seats}
        for contest in contests:
            assert contest.candidates.filter(elected=True).count() == seats


def test_demo_turnouts_are_ballots_over_an_electorate_they_fit_in(demo):
    for contest in Contest.objects.all():
        assert 0 < contest.turnout <= 1
        votes = sum(contest.candidates.values_list("votes", flat=True))
        assert votes <= contest.ballots_issued * contest.seats_contested


def test_no_ward_dashboard_shows_a_turnout_above_100_percent(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    for ward in Ward.objects.all():
        context = client.get(reverse("wards:ward", args=[ward.pk])).context
        shown = turnout_history(ward, context["stats"], context["marked_turnout"], context["history"])
        assert [d for d in shown if d.label.endswith("(result)")], ward
        assert all(0 < datum.value <= 100 for datum in shown), (ward, shown)
        assert context["stats"].expected_turnout <= context["stats"].electors


def test_the_demo_has_two_constituencies_one_ward_split_between_them(demo):
    town, rural = Constituency.objects.get(code="DEMO-BAS"), Constituency.objects.get(code="DEMO-NWH")
    split = Ward.objects.get(name="Sherborne St John & Rooksdown")
    assert split not in town.wards.all() and split not in rural.wards.all()
    assert town.polling_districts.get().ward == split and rural.polling_districts.get().ward == split
    general = Contest.objects.filter(election__kind=ElectionKind.GENERAL)
    assert set(general.values_list("constituency__code", flat=True)) == {"DEMO-BAS", "DEMO-NWH"}
    assert Candidate.objects.filter(contest__in=general, elected=True).count() == 2


def test_the_demo_is_idempotent_for_its_results(demo):
    before = Candidate.objects.count()
    demo_council_build(electors=SMALL, seed=1)
    assert Candidate.objects.count() == before


def test_no_demo_page_prints_a_percentage_above_100(demo, client):
    import re

    client.force_login(get_user_model().objects.get(username="admin"))
    pages = [
        reverse("wards:overview"),
        *(reverse("wards:ward", args=[pk]) for pk in Ward.objects.values_list("pk", flat=True)),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        shown = [float(value) for value in re.findall(r"(\d+(?:\.\d+)?)\s*%", html)]
        assert shown, url
        assert max(shown) <= 100, (url, max(shown))
