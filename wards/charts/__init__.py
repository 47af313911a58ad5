"""Accessible inline SVG charts, drawn on the server: no JavaScript, no CDN, no build step.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` for screen readers, labelled axes
and printed values, so colour is never the only cue. Series that are not parties use the Okabe-Ito
palette (safe for the common colour-vision deficiencies); bars that stand for parties use the party's
own colour, with the party's name written beside it. Text on a coloured fill is black or white,
whichever contrasts more with the fill.

Charts scale with their container through `viewBox`; sizes below are in viewBox units (about pixels).
"""

from wards.charts.bars import bar_chart, stacked_bar_chart
from wards.charts.base import OKABE_ITO, Datum, Series, StackedRow, format_value, palette_colour, text_colour_on
from wards.charts.lines import line_chart
from wards.charts.seats import seats_chart

__all__ = [
    "OKABE_ITO",
    "Datum",
    "Series",
    "StackedRow",
    "bar_chart",
    "format_value",
    "line_chart",
    "palette_colour",
    "seats_chart",
    "stacked_bar_chart",
    "text_colour_on",
]
