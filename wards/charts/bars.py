"""Horizontal bars and 100% stacked bars."""

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from wards.charts.base import (
    CHAR_WIDTH,
    INK,
    MUTED,
    WIDTH,
    Datum,
    StackedRow,
    _describe,
    _fit,
    _html,
    _label_width,
    _svg,
    _text,
    format_value,
    palette_colour,
    text_colour_on,
)


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
            label = _html('<a href="{}">{}</a>', datum.href, mark_safe(label))
        parts.append(label)
        parts.append(
            _html(
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
    parts.append(_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', label_w, top, label_w, height - 8, MUTED))
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
                _html(
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
            _html(
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
