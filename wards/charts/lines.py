"""Values over time."""

import datetime as dt
import html
import math
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from wards.charts.base import (
    GRID,
    MARKERS,
    MUTED,
    WIDTH,
    Series,
    _escape,
    _html,
    _svg,
    _text,
    format_value,
    palette_colour,
)


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
    return mark_safe(
        f'<{tag} class="point" {geometry} fill="{html.escape(str(colour))}" stroke="#ffffff" stroke-width="1">'
        f"<title>{_escape(tooltip)}</title></{tag}>"
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
            _html(
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
        return top + plot_h - plot_h * float(min(max(value, 0), ceiling)) / ceiling  # rates come as Decimal

    for day in _date_ticks(dates):
        x = x_of(day)
        parts.append(
            _html(
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
    described = []
    for index, line in enumerate(series):
        colour = line.colour or palette_colour(index)
        shape = MARKERS[index % len(MARKERS)]
        # Each point placed and written once: its marker, its tooltip and the description share them.
        points = [(x_of(d), y_of(v), f"{d:%-d %b %Y}", format_value(v, unit)) for d, v in sorted(line.points)]
        described.append(f"{line.label}: " + ", ".join(f"{day} {value}" for _, _, day, value in points) + ".")
        if not points:
            continue
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        dash = "" if index % 2 == 0 else ' stroke-dasharray="6 3"'
        parts.append(
            _html(
                '<polyline class="line" points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                coords,
                colour,
                mark_safe(dash),
            )
        )
        for x, y, day, value in points:
            parts.append(_marker(shape, x, y, colour, f"{line.label}, {day}: {value}"))
        end_y = points[-1][1]
        # Nudge end labels apart so two series ending at the same value stay readable.
        while any(abs(end_y - taken) < 15 for taken in label_slots):
            end_y += 15
        label_slots.append(end_y)
        parts.append(_marker(shape, left + plot_w + 12, end_y, colour, line.label))
        parts.append(_text(left + plot_w + 20, end_y + 4, f"{line.label} {points[-1][3]}", size=12))
    if not description:
        description = " ".join(described)
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
