"""Which parties the campaign's volunteers record most, so the doorstep sheet offers them first.

The ward's latest `SAMPLE` counted contacts (`canvass.rules.COUNTED_CONTACT`: a corrected record counts once,
as its correction) naming a party, within the last `RECENT_DAYS`, counted by party for the council and the
general election separately: one GROUP BY over a read of the (ward, contacted_at) index from its newest end
that stops at `SAMPLE` rows. So the page's cost follows the sample, not the ward's history (counting all of
the ward's last 90 days was the page's slowest query once the history doubled), and the order still follows
what the ward says now. A ward with none yet borrows its council's (the campaign's), one query more.
The page carries the counts; the phone orders its lists by them (ours first, then these, then its own count).
The page reads them through `party_use_kept`: kept `PARTY_USE_CACHE_SECONDS` in the shared cache for the
ward (a hint of order that may lag a minute or two; 0, the embedded default, counts for every page).
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from canvass import sql
from canvass.models import ContactRecord
from canvass.rules import COUNTED_CONTACT
from wards.models import Ward

RECENT_DAYS = 90
SAMPLE = 1000


@functools.cache
def _counts_sql(whole_council: bool) -> str:
    """Parameters: the ward (or the council), the earliest time, COUNTED_CONTACT's, the sample's size."""
    counted, _ = COUNTED_CONTACT.sql("c")
    council_wards = f"SELECT id FROM {Ward._meta.db_table} WHERE council_id = %s"
    where = f"c.ward_id IN ({council_wards})" if whole_council else "c.ward_id = %s"
    return f"""
        SELECT local_party_id, national_party_id, COUNT(*) FROM (
            SELECT c.local_party_id, c.national_party_id FROM {ContactRecord._meta.db_table} c
            WHERE {where} AND c.contacted_at >= %s AND {counted}
                AND (c.local_party_id IS NOT NULL OR c.national_party_id IS NOT NULL)
            ORDER BY c.contacted_at DESC LIMIT %s
        ) recent GROUP BY local_party_id, national_party_id"""


def _counts(place: int, *, whole_council: bool) -> dict[str, dict[int, int]]:
    _, counted_params = COUNTED_CONTACT.sql("c")
    since = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=RECENT_DAYS))
    used: dict[str, dict[int, int]] = {"local": {}, "national": {}}
    for local, national, n in sql.fetch(_counts_sql(whole_council), [place, since, *counted_params, SAMPLE]):
        for scope, party in (("local", local), ("national", national)):
            if party is not None:
                used[scope][party] = used[scope].get(party, 0) + n
    return used


def party_use(ward) -> dict[str, dict[int, int]]:
    """{"local": {party id: contacts}, "national": {...}} over the ward's latest counted contacts."""
    used = _counts(ward.pk, whole_council=False)
    if not used["local"] and not used["national"]:
        used = _counts(ward.council_id, whole_council=True)
    return used


def party_use_kept(ward) -> dict[str, dict[int, int]]:
    """`party_use`, kept in the shared cache for `PARTY_USE_CACHE_SECONDS` (one ward's count serves every page of
    the ward meanwhile: it cost a doorstep page 3-4 ms)."""
    seconds = settings.PARTY_USE_CACHE_SECONDS
    if not seconds:
        return party_use(ward)
    return cache.get_or_set(f"party-use:{ward.pk}", lambda: party_use(ward), seconds)
