from decimal import Decimal

from django import template

from wards.charts import text_colour_on

register = template.Library()


@register.filter
def percent(share: Decimal | float | None, places: int = 0) -> str:
    """A 0-1 share as a percentage ("—" when there is nothing to divide by)."""
    if share is None or share == "":
        return "—"
    return f"{float(share) * 100:.{places}f}%"


@register.filter
def points(share: Decimal | float | None) -> str:
    """A lead between two shares, in percentage points."""
    return "—" if share is None or share == "" else f"{float(share) * 100:.0f} pts"


@register.filter
def percent_width(share: Decimal | float | None) -> str:
    """A CSS width for a share, clamped to 0-100%."""
    return f"{min(max(float(share or 0), 0), 1) * 100:.1f}%"  # "" (no statistics) counts as 0


@register.filter
def ink_on(colour: str) -> str:
    return text_colour_on(colour)
