import operator
from html import escape as _escape

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from canvass.models import Intention, Outcome

register = template.Library()


def escape(value) -> str:
    """As django.utils.html.escape (the same characters), without its lazy-string wrapper: the page escapes
    some 14,000 values, and the wrapper's checks cost more than the escaping."""
    return _escape(str(value))


def _labels() -> tuple[dict, dict, dict]:
    """The outcomes', intentions' and months' words in the active language, resolved once per page."""
    return (
        {value: str(label) for value, label in Outcome.choices},
        {value: str(label) for value, label in Intention.choices},
        {number: str(name).title() for number, name in MONTHS_3.items()},
    )


def _intention(kind: str, party_code: str | None, intentions: dict) -> str:
    if kind == Intention.PARTY and party_code is not None:
        return party_code
    return intentions[kind] if kind else ""


# What of a contact its line reads (`_summary`), besides its local day and month.
_said = operator.itemgetter(
    "outcome", "local_intention", "local_party__code", "national_intention", "national_party__code", "likelihood"
)


def _summary(record: dict, local_time, labels: tuple[dict, dict, dict]) -> str:
    outcomes, intentions, months = labels
    line = f"{outcomes[record['outcome']]} {local_time.day} {months[local_time.month]}"
    if record["outcome"] != Outcome.SPOKE:
        return line
    local = _intention(record["local_intention"], record["local_party__code"], intentions)
    national = _intention(record["national_intention"], record["national_party__code"], intentions)
    if local and national:
        line += f" · local {local}, national {national}"
    elif local or national:
        line += f" · local {local}" if local else f" · national {national}"
    if record["likelihood"]:
        line += f" · {record['likelihood']}/5"
    return line


@register.filter
def contact_summary(record: dict | None) -> str:
    """A contact summary from `walk_list_tree` in a line a volunteer reads at a glance:
    'Spoke 3 Nov · local LAB, national CON · 4/5'."""
    if record is None:
        return ""
    return _summary(record, timezone.localtime(record["contacted_at"]), _labels())


def contacts_for_the_page(streets: list[dict]) -> None:
    """Give each contact of a walk-list tree its line (`summary`) and its local ISO time (`at`), once each.

    The page shows some 700 of them: the `date` and `contact_summary` filters per row (each looking up the
    time zone and the translations again) cost more than the queries did.
    """
    zone, labels = timezone.get_current_timezone(), _labels()
    lines: dict[tuple, str] = {}  # the same words on the same day come back often: each line made once
    for street in streets:
        for door in street["doors"]:
            for record in (
                door.get("last_contact"),
                door.get("visit"),
                *(v.get("last_contact") for v in door["voters"]),
            ):
                if record is not None and "at" not in record:
                    local_time = record["contacted_at"].astimezone(zone)
                    record["at"] = local_time.isoformat()
                    said = (_said(record), local_time.day, local_time.month)
                    line = lines.get(said)
                    if line is None:
                        line = lines[said] = _summary(record, local_time, labels)
                    record["summary"] = line


FRANCHISE_TAGS = {
    "local": '<span class="tag">Council vote only</span>',
    "westminster": '<span class="tag">No council vote</span>',
}


# A voter's classes: asked for no contact, on the list's target list.
_VOTER_CLASSES = {(False, False): "", (True, False): ' class="dnc"', (False, True): ' class="target"',
                  (True, True): ' class="dnc target"'}  # fmt: skip


def _voter_item(voter: dict) -> str:
    last = voter.get("last_contact")
    dnc, target = voter["do_not_contact"], voter.get("target_reason")
    classes = _VOTER_CLASSES[bool(dnc), bool(target)]
    title = f"{escape(voter['title'])} " if voter["title"] else ""
    questions = voter.get("questions")
    questions = escape(questions) if questions else ""
    # The voters a list was cut for, with the target list's reason in words (canvass.walklists.selectors).
    why = f'<strong class="why">{escape(voter["target_reason_text"])}</strong> ' if target else ""
    dnc_tag = '<strong class="tag tag-dnc">Do not contact</strong> ' if dnc else ""
    postal = '<span class="tag">Postal vote</span> ' if voter["is_postal_voter"] else ""
    said = f' <span class="last">{escape(last["summary"])}</span>' if last else ""
    return (
        f'<li data-v="{voter["id"]}" data-at="{last["at"] if last else ""}"{classes} data-q="{questions}">'
        f'<span class="name">{title}{escape(voter["full_name"] or "(anonymous elector)")}</span> '
        f'{why}<span class="ref">{escape(voter["reference"])}</span> {dnc_tag}{postal}'
        f'{FRANCHISE_TAGS.get(voter["franchise"], "")}{said} <span class="done"></span></li>'
    )


def _newcomer_item(newcomer: dict) -> str:
    """Someone met at the door who is not on the register yet (canvass.models.residents), never an elector."""
    return (
        f'<li class="newcomer"><span class="name">{escape(newcomer["name"])}</span> '
        '<span class="tag">Not on the register yet</span></li>'
    )


def _door_item(door: dict) -> str:
    """One door of the doorstep page and its voters, as `<li>` (see walk_list.html for the page around it).

    Written here rather than in the template: a 300-door list has some 700 voters, and the template
    language spent about 400 ms a page resolving their 20,000 variables; this takes a few.
    Contacts come ready from `contacts_for_the_page`.
    """
    visit, last = door.get("visit"), door.get("last_contact")
    classes = "door"
    if door["knocked"]:
        classes += " knocked"
    if visit and visit["outcome"] == Outcome.NOT_IN and not visit["voter_id"]:
        classes += " not-in"
    if not door["knockable"]:
        classes += " no-knock"
    if door["to_do"]:
        classes += " to-do"
    state = escape(visit["summary"]) if visit else ("" if door["knockable"] else "Do not knock")
    return (
        f'<li class="{classes}" id="h{door["id"]}" data-h="{door["id"]}" data-at="{last["at"] if last else ""}">'
        f'<button type="button" class="door-head" aria-expanded="false"><span class="addr">{escape(door["label"])}'
        f'</span> <span class="state">{state}</span></button><ul class="voters">'
        + "".join(_voter_item(voter) for voter in door["voters"])
        + "".join(_newcomer_item(newcomer) for newcomer in door.get("newcomers", ()))
        + "</ul></li>"
    )


def streets_html(streets: list[dict]) -> SafeString:
    """The page's streets, each a `<section>` with its doors in walking order (`_door_item`), in one pass: a
    template calling a tag per door cost some 3 ms a page in the template engine alone."""
    if not streets:
        return mark_safe('<p class="empty">This list has no doors.</p>')
    parts = []
    for number, street in enumerate(streets, 1):
        parts.append(
            f'<section class="street" aria-labelledby="street-{number}"><h2 id="street-{number}">'
            f'{escape(street["name"] or "No street")}</h2><ol class="doors">'
        )
        parts.extend(_door_item(door) for door in street["doors"])
        parts.append("</ol></section>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped or a fixed string
