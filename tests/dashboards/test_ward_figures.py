"""What the ward dashboard shows, checked against the data it was built from."""

import datetime as dt

from django.urls import reverse

from canvass.models import TurnoutRecord
from tests.elections.helpers import contest
from wards.charts import Datum
from wards.views.charts_for import turnout_history


def test_turnout_history_comes_from_the_marked_registers_the_last_result_and_the_expectation(
    campaign, as_olivia, popley, our_party
):
    voters = campaign["popley_voters"]
    contest(popley, ballots=2200, electorate=8000, candidates=[("Ann Able", our_party, 1200, True)])
    TurnoutRecord.objects.bulk_create(
        TurnoutRecord(voter=voter, election_date=dt.date(2024, 5, 2), method="in_person") for voter in voters[:30]
    )
    context = as_olivia.get(reverse("wards:ward", args=[popley.pk])).context
    electors = context["stats"].electors
    assert context["marked_turnout"] == [{"election_date": dt.date(2024, 5, 2), "voted": 30, "postal": 0}]
    data = turnout_history(popley, context["stats"], context["marked_turnout"], context["history"])
    assert [d.label for d in data] == ["2 May 2024 (marked)", "2 May 2024 (result)", "Expected next"]
    assert data[0].value == round(100 * 30 / electors, 1)
    assert data[1].value == 27.5  # ballots issued over the electorate, not votes over today's electors
    assert data[2] == Datum("Expected next", 34.0, "#0072B2")
    assert "2 May 2024 (marked)" in str(context["charts"]["turnout"])


def test_intention_chart_uses_the_party_colours_and_names(campaign, as_olivia, popley):
    chart = str(as_olivia.get(reverse("wards:ward", args=[popley.pk])).context["charts"]["intention"])
    for name, colour in (("Labour", "#dc241f"), ("Conservative", "#0087dc"), ("Liberal Democrat", "#faa61a")):
        assert f'fill="{colour}"' in chart and name in chart


def test_split_ticket_chart_splits_our_local_supporters(campaign, as_olivia, popley):
    context = as_olivia.get(reverse("wards:ward", args=[popley.pk])).context
    stats = context["stats"]
    assert stats.split_ticket > 0
    chart = str(context["charts"]["split"])
    assert f"Another party nationally: {round(100 * stats.split_ticket / stats.ours_locally, 1):g}%" in chart
