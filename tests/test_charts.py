"""The SVG chart module: accessible, labelled, colour-blind safe, party colours where bars are parties."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from wards.charts import (
    OKABE_ITO,
    Datum,
    Series,
    StackedRow,
    bar_chart,
    line_chart,
    seats_chart,
    stacked_bar_chart,
    text_colour_on,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    # Inline SVG in HTML carries no namespace; add it so the markup parses as strict XML.
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_every_chart_is_an_image_with_a_title_and_description_for_screen_readers():
    svg = parse(bar_chart(chart_id="volunteers", title="Contacts per volunteer", data=[Datum("Vera", 12)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "volunteers-title volunteers-desc"
    assert svg.find(f"{SVG}title").text == "Contacts per volunteer"
    assert svg.find(f"{SVG}desc").text == "Vera: 12"


def test_bar_chart_writes_each_label_and_value_so_colour_is_not_the_only_cue():
    svg = parse(bar_chart(chart_id="c", title="t", data=[Datum("Vera", 12), Datum("Victor", 3)], unit=" contacts"))
    assert {"Vera", "Victor", "12 contacts", "3 contacts"} <= set(texts(svg))


def test_bar_lengths_are_proportional_to_values():
    svg = parse(bar_chart(chart_id="c", title="t", data=[Datum("a", 10), Datum("b", 5)]))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert widths[0] == 2 * widths[1] > 0


def test_non_party_bars_use_the_okabe_ito_palette():
    svg = parse(bar_chart(chart_id="c", title="t", data=[Datum("a", 1)]))
    assert [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"] == [OKABE_ITO[0]]


def test_party_segments_use_the_party_colour_and_a_legend_names_each_party():
    rows = [StackedRow("Local", [Datum("Labour", 60, "#dc241f"), Datum("Conservative", 40, "#0087dc")])]
    svg = parse(stacked_bar_chart(chart_id="intention", title="Intention", rows=rows))
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("class") == "segment"]
    assert fills == ["#dc241f", "#0087dc"]
    assert {"Labour", "Conservative", "Labour 60%", "Conservative 40%"} <= set(texts(svg))


def test_stacked_segments_are_shares_of_the_row():
    rows = [StackedRow("Local", [Datum("A", 30), Datum("B", 10)])]
    svg = parse(stacked_bar_chart(chart_id="s", title="t", rows=rows))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("class") == "segment"]
    assert round(widths[0] / widths[1], 1) == 3.0
    assert "A 75%" in texts(svg)


def test_text_on_a_fill_is_black_or_white_whichever_contrasts_more():
    assert text_colour_on("#F0E442") == "#000000"  # Okabe-Ito yellow
    assert text_colour_on("#0072B2") == "#ffffff"  # Okabe-Ito blue


def test_line_chart_marks_each_series_with_its_own_shape_and_names_it_at_the_end():
    day = dt.date(2026, 10, 1)
    series = [
        Series("Popley", [(day, 10), (day + dt.timedelta(days=7), 20)]),
        Series("Council", [(day, 5), (day + dt.timedelta(days=7), 8)]),
    ]
    svg = parse(line_chart(chart_id="rate", title="Contact rate", series=series, y_axis_label="Electors contacted"))
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    assert {"Popley 20%", "Council 8%", "Electors contacted", "1 Oct", "8 Oct"} <= set(texts(svg))
    shapes = {el.tag for el in svg.iter() if el.get("class") == "point"}
    assert shapes == {f"{SVG}circle", f"{SVG}rect"}


def test_line_chart_axis_tops_out_at_a_round_number_above_the_highest_value():
    series = [Series("Popley", [(dt.date(2026, 10, 1), 28), (dt.date(2026, 10, 8), 33)])]
    assert "40%" in texts(parse(line_chart(chart_id="r", title="t", series=series)))


def test_charts_say_no_data_rather_than_drawing_nothing():
    assert "No data yet" in texts(parse(line_chart(chart_id="r", title="t", series=[])))
    assert "No data yet" in texts(parse(bar_chart(chart_id="b", title="t", data=[])))


def test_seats_chart_draws_every_seat_and_the_majority_line_from_the_council_size():
    svg = seats_chart(
        chart_id="seats", title="Road", total_seats=54, majority=28, held=11, projected_gain=5, colour="#dc241f"
    )
    root = parse(svg)
    classes = [r.get("class") for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("seat")]
    assert classes.count("seat seat-held") == 11
    assert classes.count("seat seat-projected-gain") == 5
    assert len(classes) == 54
    assert {"Majority: 28 of 54", "Held: 11", "Projected gains: 5", "Short of a majority by 12"} <= set(texts(root))


def test_majority_line_sits_after_the_majority_seat_for_a_sixty_seat_council():
    root = parse(
        seats_chart(chart_id="s", title="t", total_seats=60, majority=31, held=9, projected_gain=0, colour="#dc241f")
    )
    seats = [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("seat")]
    line_x = float(next(el for el in root.iter(f"{SVG}line") if el.get("class") == "majority-line").get("x1"))
    assert float(seats[30].get("x")) < line_x < float(seats[31].get("x"))


def test_labels_are_escaped():
    svg = bar_chart(chart_id="c", title="<b>", data=[Datum("<script>", 1)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.search(r"<title id=\"c-title\">&lt;b&gt;</title>", svg)


def test_a_label_too_long_for_its_column_is_shortened_but_kept_whole_in_the_tooltip():
    label = "Promises (the knock-up list's base) and a good deal more besides"
    root = parse(bar_chart(chart_id="c", title="t", width=480, data=[Datum(label, 4)]))
    shown = texts(root)[0]
    assert shown.endswith("…") and len(shown) < len(label)
    assert next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar").find(f"{SVG}title").text == f"{label}: 4"


def test_stacked_segments_can_show_values_instead_of_shares():
    rows = [StackedRow("North", [Datum("Held", 4), Datum("Others", 5)])]
    assert "Held 4 seats" in texts(
        parse(stacked_bar_chart(chart_id="z", title="t", rows=rows, unit=" seats", show_values=True))
    )


def test_line_chart_draws_rates_given_as_decimals():
    # The dashboard's contact rates are Decimals (wards.dashboards.contact_rate_series), under 1% early on.
    from decimal import Decimal

    day = dt.date(2026, 10, 1)
    series = [Series("Popley", [(day, Decimal("0.25")), (day + dt.timedelta(days=7), Decimal("0.4"))])]
    svg = parse(line_chart(chart_id="rate", title="Contact rate", series=series))
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1
