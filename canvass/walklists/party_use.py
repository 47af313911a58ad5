"""Which parties the campaign's volunteers record most, so the doorstep sheet offers them first.

Counted contacts (`canvass.rules.COUNTED_CONTACT`: a corrected record counts once, as its correction) of the
ward over the last `RECENT_DAYS`, by party, for the council and the general election separately: one GROUP BY
on the (ward, contacted_at) index. A ward with none yet borrows its council's (the campaign's), one query more.
The page carries the counts; the phone orders its lists by them (ours first, then these, then its own count).
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from canvass.models import ContactRecord
from canvass.rules import COUNTED_CONTACT

RECENT_DAYS = 90


def _counts(contacts) -> dict[str, dict[int, int]]:
    rows = (
        contacts.filter(COUNTED_CONTACT.q())
        .filter(Q(local_party__isnull=False) | Q(national_party__isnull=False))
        .order_by()
        .values_list("local_party_id", "national_party_id")
        .annotate(n=Count("id"))
    )
    used: dict[str, dict[int, int]] = {"local": {}, "national": {}}
    for local, national, n in rows:
        for scope, party in (("local", local), ("national", national)):
            if party is not None:
                used[scope][party] = used[scope].get(party, 0) + n
    return used


def party_use(ward) -> dict[str, dict[int, int]]:
    """{"local": {party id: contacts}, "national": {...}} over the ward's recent counted contacts."""
    recent = ContactRecord.objects.filter(contacted_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
    used = _counts(recent.filter(ward_id=ward.pk))
    if not used["local"] and not used["national"]:
        used = _counts(recent.filter(ward__council_id=ward.council_id))
    return used
