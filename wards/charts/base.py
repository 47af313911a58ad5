"""Palette, data shapes and SVG helpers shared by the charts."""

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GRID = "#d0d0d0"
INK = "#1a1a1a"
MUTED = "#5a5a5a"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
WIDTH = 640
# A glyph of the 13px labels is at most about this wide; used to size label columns without a font engine.
CHAR_WIDTH = 8.4
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Datum:
    """One bar or segment. `colour` is a party's colour when the datum stands for a party."""

    label: str
    value: float
    colour: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: Sequence[Datum]


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[dt.date, float]]
    colour: str | None = None
    markers: Sequence[str] = field(default=())


def palette_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(background: str) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio against the background."""
    lum = _luminance(background)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def format_value(value: float, unit: str = "") -> str:
    number = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return f"{number}{unit}"


def _label_width(labels: Sequence[str], minimum: int = 40, maximum: int = 220) -> int:
    longest = max((len(label) for label in labels), default=0)
    return int(min(max(longest * CHAR_WIDTH + 12, minimum), maximum))


def _fit(label: str, room: float) -> str:
    """Shorten a label with an ellipsis to fit `room`; the full text stays in the bar's tooltip and <desc>."""
    most = int(room // CHAR_WIDTH)
    return label if len(label) <= most else label[: max(most - 1, 1)].rstrip() + "…"


def _svg(
    chart_id: str, title: str, description: str, height: float, body: str, css_class: str, width: int = WIDTH
) -> SafeString:
    return _html(
        '<svg class="chart {}" id="{}" role="img" aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" '
        'width="{}" height="{}" preserveAspectRatio="xMinYMin meet" {}>'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css_class,
        chart_id,
        chart_id,
        chart_id,
        width,
        round(height),
        width,
        round(height),
        mark_safe(FONT),
        chart_id,
        title,
        chart_id,
        description,
        mark_safe(body),
    )


def _escape(value) -> str:
    """What `conditional_escape` writes (markup as it is, anything else through `html.escape`), without Django's
    lazy-string wrapper around each call: a chart escapes some hundreds of values."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _html(format_string: str, *args) -> SafeString:
    """What `format_html` writes (each argument through `_escape`), by the same `str.format`."""
    return mark_safe(format_string.format(*map(_escape, args)))


def _text(x: float, y: float, content: str, *, anchor="start", size=13, fill=INK, weight="normal", extra="") -> str:
    # Written out rather than through format_html: a chart has a few hundred of these, and the page waits for them.
    # `extra` is markup the caller built; everything else is escaped as format_html would.
    return mark_safe(
        f'<text x="{round(x, 1)}" y="{round(y, 1)}" text-anchor="{html.escape(str(anchor))}" '
        f'font-size="{html.escape(str(size))}" fill="{html.escape(str(fill))}" font-weight="{html.escape(str(weight))}"'
        f"{extra}>{_escape(content)}</text>"
    )


def _describe(data: Sequence[Datum], unit: str) -> str:
    return "; ".join(f"{d.label}: {format_value(d.value, unit)}" for d in data)
