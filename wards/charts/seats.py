"""The road to majority: the council's seats and the majority line."""

from django.utils.safestring import SafeString

from wards.charts.base import (
    CHAR_WIDTH,
    INK,
    WIDTH,
    _html,
    _svg,
    _text,
)


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
        _html(
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
            _html(
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
        _html(
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
            _html(
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
