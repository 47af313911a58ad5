"""Turn a page's figures into its charts (kept out of templates so they stay declarative)."""

from django.urls import reverse

from canvass.models.people import name_shown
from wards.charts import Datum, Series, StackedRow, bar_chart, line_chart, seats_chart, stacked_bar_chart
from wards.dashboards import intention_rows

FALLBACK_OURS = "#0072B2"
# Charts that share a row with another are drawn narrower, so their text stays readable when scaled.
CARD_WIDTH = 480


def overview(context: dict) -> dict:
    road, ours = context["road"], context["ours"]
    zone_rows = [
        StackedRow(
            zone.label,
            [
                Datum("Held", zone.seats_held, ours.colour if ours else FALLBACK_OURS),
                Datum("Projected gains", zone.seats_projected_gain, "#E69F00"),
                Datum("Others", max(zone.seats - zone.seats_held - zone.seats_projected_gain, 0), "#DDDDDD"),
            ],
        )
        for zone in context["zones"]
    ]
    return {
        "seats": seats_chart(
            chart_id="road-to-majority",
            title=f"Road to majority: {road.seats_after_next_election} seats projected, {road.majority} needed",
            total_seats=road.total_seats,
            majority=road.majority,
            held=road.seats_held,
            projected_gain=road.seats_projected_gain,
            colour=ours.colour if ours else FALLBACK_OURS,
            party_name=ours.name if ours else "Our party",
        ),
        "zones": stacked_bar_chart(
            chart_id="zone-seats", title="Seats by zone", rows=zone_rows, unit="", show_values=True
        ),
    }


def ward(context: dict) -> dict:
    stats, parties, ours = context["stats"], context["parties"], context["ours"]
    rate = context["rate_series"]
    series = [Series(context["ward"].name, rate["ward"]), Series("Whole council", rate["council"])]
    charts = {
        "rate": line_chart(
            chart_id="contact-rate",
            width=CARD_WIDTH,
            title=f"Contact rate over time in {context['ward'].name}",
            series=[s for s in series if s.points],
            y_axis_label="Electors spoken to",
        ),
        "intention": stacked_bar_chart(
            chart_id="intention",
            width=CARD_WIDTH,
            title="Local and national voting intention",
            rows=[
                StackedRow(label, [Datum(name, count, colour) for name, count, colour in segments])
                for label, segments in intention_rows(stats, parties)
            ],
        ),
        "result": bar_chart(
            chart_id="last-result",
            width=CARD_WIDTH,
            title="Votes at the last election",
            data=[Datum(r.party.name, r.votes, r.party.colour) for r in context["results"]],
            value_axis_label="Votes",
        ),
        "activity": bar_chart(
            chart_id="volunteer-activity",
            width=CARD_WIDTH,
            title="Contacts per volunteer, last 28 days",
            data=[Datum(volunteer_name(row), row["contacts"]) for row in context["activity"]],
            value_axis_label="Contacts recorded in the last 28 days",
        ),
        "segments": bar_chart(
            chart_id="segments",
            width=CARD_WIDTH,
            title="Voters in each target segment",
            data=[Datum(s.label, s.voters, href=segment_url(context["ward"], s)) for s in context["segments"]],
            value_axis_label="Voters",
        ),
    }
    turnout = turnout_history(context["ward"], stats, context["marked_turnout"], context.get("history", ()))
    if turnout:
        charts["turnout"] = bar_chart(
            chart_id="turnout",
            width=CARD_WIDTH,
            title="Turnout: last election and expected",
            data=turnout,
            unit="%",
            maximum=100,
            value_axis_label="Share of electors voting",
        )
    if stats is not None and stats.ours_locally:
        split = stats.split_ticket
        charts["split"] = stacked_bar_chart(
            chart_id="split-ticket",
            width=CARD_WIDTH,
            title="Our local supporters by national intention",
            rows=[
                StackedRow(
                    "Ours locally",
                    [
                        Datum("Ours or no party nationally", stats.ours_locally - split, ours.colour if ours else None),
                        Datum("Another party nationally", split, "#E69F00"),
                    ],
                )
            ],
        )
    return charts


def volunteer_name(row: dict) -> str:
    name = name_shown(
        first_name=row.get("volunteer__first_name"),
        last_name=row.get("volunteer__last_name"),
        username=row.get("volunteer__username"),
    )
    return name or f"Volunteer {row['volunteer_id']}"


def turnout_history(ward, stats, marked: list[dict], history=()) -> list[Datum]:
    """Turnout at past elections among today's electors (marked registers), the official turnout of
    each past contest (ballot papers issued over its electorate, never the votes, which count one per
    seat) and the organisers' expectation."""
    data = []
    if stats is not None and stats.electors:
        data += [
            Datum(
                f"{row['election_date']:%-d %b %Y} (marked)", round(100 * row["voted"] / stats.electors, 1), "#009E73"
            )
            for row in marked
        ]
    data += [
        Datum(f"{contest.election.date:%-d %b %Y} (result)", round(float(100 * contest.turnout), 1), "#56B4E9")
        for contest in sorted(history, key=lambda c: c.election.date)
        if contest.turnout is not None
    ]
    if ward.expected_turnout_percent is not None:
        data.append(Datum("Expected next", float(ward.expected_turnout_percent), "#0072B2"))
    return data


def segment_url(ward, segment) -> str | None:
    return reverse("wards:segment", args=[ward.pk, segment.segment]) if segment.voters else None
