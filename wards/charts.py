"""Accessible inline SVG charts, drawn on the server: no JavaScript, no CDN, no build step.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` for screen readers, labelled axes
and printed values, so colour is never the only cue. Series that are not parties use the Okabe-Ito
palette (safe for the common colour-vision deficiencies); bars that stand for parties use the party's
own colour, with the party's name written beside it. Text on a coloured fill is black or white,
whichever contrasts more with the fill.

Charts scale with their container through `viewBox`; sizes below are in viewBox units (about pixels).
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito (2008), "Color Universal Design": blue first because it reads well on white.
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
    return format_html(
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


def _text(x: float, y: float, content: str, *, anchor="start", size=13, fill=INK, weight="normal", extra="") -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}" font-weight="{}"{}>{}</text>',
        round(x, 1),
        round(y, 1),
        anchor,
        size,
        fill,
        weight,
        mark_safe(extra),
        content,
    )


def _describe(data: Sequence[Datum], unit: str) -> str:
    return "; ".join(f"{d.label}: {format_value(d.value, unit)}" for d in data)


def bar_chart(
    *,
    chart_id: str,
    width: int = WIDTH,
    title: str,
    data: Sequence[Datum],
    unit: str = "",
    maximum: float | None = None,
    description: str = "",
    value_axis_label: str = "",
) -> SafeString:
    """Horizontal bars, one per datum, each with its label on the left and its value at its end."""
    row, top = 28, 8
    label_w = _label_width([d.label for d in data], maximum=int(width * 0.45))
    value_w = 64
    plot_w = width - label_w - value_w
    top_value = maximum if maximum is not None else max((d.value for d in data), default=0)
    scale = plot_w / top_value if top_value > 0 else 0
    parts = []
    for index, datum in enumerate(data):
        y = top + index * row
        colour = datum.colour or palette_colour(0)
        bar_w = min(max(datum.value, 0), top_value) * scale
        label = _text(label_w - 8, y + 18, _fit(datum.label, label_w - 8), anchor="end")
        if datum.href:
            label = format_html('<a href="{}">{}</a>', datum.href, mark_safe(label))
        parts.append(label)
        parts.append(
            format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="0.5">'
                "<title>{}</title></rect>",
                label_w,
                y + 4,
                round(bar_w, 1),
                row - 8,
                colour,
                INK,
                f"{datum.label}: {format_value(datum.value, unit)}",
            )
        )
        parts.append(_text(label_w + bar_w + 6, y + 18, format_value(datum.value, unit), weight="600"))
    height = top + len(data) * row + 8
    parts.append(
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', label_w, top, label_w, height - 8, MUTED)
    )
    if value_axis_label:
        parts.append(_text(label_w, height + 10, value_axis_label, size=12, fill=MUTED))
        height += 18
    if not data:
        parts.append(_text(width / 2, 24, "No data yet", anchor="middle", fill=MUTED))
        height = 40
    desc = description or _describe(data, unit) or "No data yet."
    return _svg(chart_id, title, desc, height, "".join(parts), "chart-bar", width)


def stacked_bar_chart(
    *,
    chart_id: str,
    width: int = WIDTH,
    title: str,
    rows: Sequence[StackedRow],
    unit: str = "%",
    show_values: bool = False,
    description: str = "",
) -> SafeString:
    """One 100% bar per row (e.g. local and national intention), segments labelled where they fit,
    and a legend naming every series in order so narrow segments are still identifiable.

    Segments are captioned with their share of the row, or with their value and `unit` when
    `show_values` (e.g. seats)."""
    small = CHAR_WIDTH * 12 / 13
    row_h, gap, top = 30, 14, 8
    label_w = _label_width([r.label for r in rows], minimum=60)
    plot_w = width - label_w - 8
    parts = []
    legend: dict[str, str] = {}
    for index, stacked in enumerate(rows):
        y = top + index * (row_h + gap)
        total = sum(max(s.value, 0) for s in stacked.segments)
        parts.append(_text(label_w - 8, y + 20, stacked.label, anchor="end", weight="600"))
        x = float(label_w)
        for s_index, segment in enumerate(stacked.segments):
            colour = segment.colour or palette_colour(s_index)
            legend.setdefault(segment.label, colour)
            seg_w = plot_w * max(segment.value, 0) / total if total else 0
            share = 100 * max(segment.value, 0) / total if total else 0
            amount = format_value(segment.value, unit) if show_values else format_value(share, "%")
            parts.append(
                format_html(
                    '<rect class="segment" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" '
                    'stroke-width="1"><title>{}</title></rect>',
                    round(x, 1),
                    y,
                    round(seg_w, 1),
                    row_h,
                    colour,
                    f"{stacked.label}, {segment.label}: {amount}",
                )
            )
            caption = f"{segment.label} {amount}"
            if seg_w >= len(caption) * small + 8:
                parts.append(_text(x + 4, y + 20, caption, fill=text_colour_on(colour), size=12))
            elif seg_w >= len(amount) * small + 6:
                parts.append(_text(x + 3, y + 20, amount, fill=text_colour_on(colour), size=12))
            x += seg_w
        if not total:
            parts.append(_text(label_w + 4, y + 20, "No answers yet", fill=MUTED))
    height = top + len(rows) * (row_h + gap)
    # Legend: swatch then name, wrapping onto new lines, in the same order as the segments.
    x, y = float(label_w), height + 4
    for name, colour in legend.items():
        item_w = 18 + len(name) * small + 14
        if x + item_w > width:
            x, y = float(label_w), y + 20
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="{}" stroke-width="0.5"/>',
                round(x, 1),
                y,
                colour,
                INK,
            )
        )
        parts.append(_text(x + 16, y + 11, name, size=12))
        x += item_w
    height = y + 22
    if not description:
        description = " ".join(f"{r.label}: " + (_describe(r.segments, unit) or "no answers yet") + "." for r in rows)
    return _svg(chart_id, title, description, height, "".join(parts), "chart-stacked", width)


def _marker(shape: str, x: float, y: float, colour: str, tooltip: str) -> str:
    if shape == "square":
        tag, geometry = "rect", f'x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"'
    elif shape == "triangle":
        tag, geometry = "polygon", f'points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"'
    elif shape == "diamond":
        tag, geometry = (
            "polygon",
            f'points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"',
        )
    else:
        tag, geometry = "circle", f'cx="{x:.1f}" cy="{y:.1f}" r="4"'
    return format_html(
        '<{} class="point" {} fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></{}>',
        tag,
        mark_safe(geometry),
        colour,
        tooltip,
        tag,
    )


def _nice_step(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def line_chart(
    *,
    chart_id: str,
    width: int = WIDTH,
    title: str,
    series: Sequence[Series],
    unit: str = "%",
    y_max: float | None = None,
    y_axis_label: str = "",
    description: str = "",
) -> SafeString:
    """Values over time: a line per series, with a distinct marker shape per series and its name and
    latest value written at the line's end."""
    left, right, top, bottom = 72, 150, 12, 44
    height = 240
    plot_w, plot_h = width - left - right, height - top - bottom
    dates = sorted({day for s in series for day, _ in s.points})
    values = [v for s in series for _, v in s.points]
    ceiling = y_max if y_max is not None else 4 * _nice_step(max(values, default=0) / 4)
    parts = []
    for tick in range(5):
        value = ceiling * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>',
                left,
                round(y, 1),
                left + plot_w,
                round(y, 1),
                MUTED if tick == 0 else GRID,
                1,
            )
        )
        parts.append(_text(left - 6, y + 4, format_value(value, unit), anchor="end", size=12, fill=MUTED))
    if y_axis_label:
        parts.append(
            _text(
                12,
                top + plot_h / 2,
                y_axis_label,
                anchor="middle",
                size=12,
                fill=MUTED,
                extra=f' transform="rotate(-90 12 {top + plot_h / 2:.1f})"',
            )
        )
    if not dates:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, "No data yet", anchor="middle", fill=MUTED))
        desc = description or "No data yet."
        return _svg(chart_id, title, desc, height, "".join(parts), "chart-line", width)
    first, last = dates[0], dates[-1]
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return left + plot_w * ((day - first).days / span if last != first else 0.5)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(max(value, 0), ceiling) / ceiling

    for day in _date_ticks(dates):
        x = x_of(day)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
                round(x, 1),
                top + plot_h,
                round(x, 1),
                top + plot_h + 4,
                MUTED,
            )
        )
        parts.append(_text(x, top + plot_h + 18, day.strftime("%-d %b"), anchor="middle", size=12, fill=MUTED))
    parts.append(_text(left + plot_w / 2, height - 6, "Date", anchor="middle", size=12, fill=MUTED))
    label_slots: list[float] = []
    for index, line in enumerate(series):
        colour = line.colour or palette_colour(index)
        shape = MARKERS[index % len(MARKERS)]
        points = sorted(line.points)
        if not points:
            continue
        coords = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in points)
        dash = "" if index % 2 == 0 else ' stroke-dasharray="6 3"'
        parts.append(
            format_html(
                '<polyline class="line" points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                coords,
                colour,
                mark_safe(dash),
            )
        )
        for day, value in points:
            tip = f"{line.label}, {day:%-d %b %Y}: {format_value(value, unit)}"
            parts.append(_marker(shape, x_of(day), y_of(value), colour, tip))
        end_y = y_of(points[-1][1])
        # Nudge end labels apart so two series ending at the same value stay readable.
        while any(abs(end_y - taken) < 15 for taken in label_slots):
            end_y += 15
        label_slots.append(end_y)
        parts.append(_marker(shape, left + plot_w + 12, end_y, colour, line.label))
        parts.append(_text(left + plot_w + 20, end_y + 4, f"{line.label} {format_value(points[-1][1], unit)}", size=12))
    if not description:
        description = " ".join(
            f"{s.label}: " + ", ".join(f"{d:%-d %b %Y} {format_value(v, unit)}" for d, v in sorted(s.points)) + "."
            for s in series
        )
    return _svg(chart_id, title, description, height, "".join(parts), "chart-line", width)


def _date_ticks(dates: Sequence[dt.date], most: int = 6) -> list[dt.date]:
    """Evenly spaced in time (not by index), so irregular sampling does not bunch the labels."""
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if len(dates) <= most and span >= 7 * (len(dates) - 1):
        return list(dates)
    count = min(most, span + 1)
    if count <= 1:
        return [first]
    return sorted({first + dt.timedelta(days=round(i * span / (count - 1))) for i in range(count)})


def seats_chart(
    *,
    chart_id: str,
    width: int = WIDTH,
    title: str,
    total_seats: int,
    majority: int,
    held: int,
    projected_gain: int,
    colour: str,
    party_name: str = "Our party",
) -> SafeString:
    """The road to majority: one slat per council seat in a single row, ours filled, projected gains
    hatched, the rest outlined, and a line where a majority begins (after the `majority`-th seat)."""
    left, top, slat_h = 8, 34, 40
    pitch = (width - 2 * left) / max(total_seats, 1)
    gap = 2 if pitch >= 6 else 0.5
    held = min(held, total_seats)
    gain = max(min(projected_gain, total_seats - held), 0)
    parts = [
        format_html(
            '<defs><pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            '<rect width="3" height="6" fill="{}"/></pattern></defs>',
            chart_id,
            colour,
        )
    ]
    for seat in range(total_seats):
        if seat < held:
            fill, kind = colour, "held"
        elif seat < held + gain:
            fill, kind = f"url(#{chart_id}-hatch)", "projected gain"
        else:
            fill, kind = "#ffffff", "not ours"
        parts.append(
            format_html(
                '<rect class="seat seat-{}" x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                'stroke-width="1"><title>Seat {}: {}</title></rect>',
                kind.replace(" ", "-"),
                round(left + seat * pitch, 2),
                top,
                round(pitch - gap, 2),
                slat_h,
                fill,
                INK,
                seat + 1,
                kind,
            )
        )
    line_x = left + majority * pitch - gap / 2
    parts.append(
        format_html(
            '<line class="majority-line" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>',
            round(line_x, 1),
            top - 10,
            round(line_x, 1),
            top + slat_h + 6,
            INK,
        )
    )
    anchor = "end" if line_x > width - 60 else "start" if line_x < 60 else "middle"
    parts.append(_text(line_x, top - 14, f"Majority: {majority} of {total_seats}", anchor=anchor, weight="700"))
    grid_bottom = top + slat_h
    legend_y = grid_bottom + 18
    shortfall = max(majority - held - gain, 0)
    items = [
        (colour, f"Held: {held}"),
        (f"url(#{chart_id}-hatch)", f"Projected gains: {gain}"),
        ("#ffffff", f"Others: {total_seats - held - gain}"),
    ]
    x = float(left)
    for fill, label in items:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="{}"/>',
                round(x, 1),
                legend_y - 11,
                fill,
                INK,
            )
        )
        parts.append(_text(x + 20, legend_y, label))
        x += 20 + len(label) * CHAR_WIDTH + 24
    if shortfall:
        verdict = f"Short of a majority by {shortfall}"
    else:
        verdict = f"Majority in reach, {held + gain - majority} to spare"
    parts.append(_text(left, legend_y + 24, verdict, weight="700"))
    description = (
        f"{party_name} holds {held} of {total_seats} seats and is projected to gain {gain}, "
        f"{held + gain} in all; a majority needs {majority}. {verdict}."
    )
    return _svg(chart_id, title, description, legend_y + 34, "".join(parts), "chart-seats", width)


def data_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> SafeString:
    """The numbers behind a chart, for people who prefer a table (shown in a <details> by templates)."""
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return format_html(
        '<table class="data"><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        caption,
        head,
        mark_safe(body),
    )
