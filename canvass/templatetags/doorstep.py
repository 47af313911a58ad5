from django import template
from django.template.defaultfilters import date as date_filter

from canvass.models import Intention, Outcome

register = template.Library()


def _intention(kind: str, party_code: str | None) -> str:
    if kind == Intention.PARTY and party_code is not None:
        return party_code
    return Intention(kind).label if kind else ""


@register.filter
def contact_summary(record: dict | None) -> str:
    """A contact summary from `walk_list_tree` in a line a volunteer reads at a glance:
    'Spoke 3 Nov · local LAB, national CON · 4/5'."""
    if record is None:
        return ""
    parts = [f"{Outcome(record['outcome']).label} {date_filter(record['contacted_at'], 'j M')}"]
    if record["outcome"] == Outcome.SPOKE:
        local = _intention(record["local_intention"], record["local_party__code"])
        national = _intention(record["national_intention"], record["national_party__code"])
        if local or national:
            parts.append(
                ", ".join(
                    p for p in (f"local {local}" if local else "", f"national {national}" if national else "") if p
                )
            )
        if record["likelihood"]:
            parts.append(f"{record['likelihood']}/5")
    return " · ".join(parts)
