"""Keeping the sync items the server refused, for an organiser to see (the phone shows them to its volunteer).

A refusal is kept with personal data minimised: ids, times and choices as the phone sent them (short, and
encodable whatever it sent), free text (notes, issues) withheld with only its size kept, fields that are
not contact fields named but not kept. Kept for `PRIVACY_RETENTION_DAYS["refused_syncs"]` (the retention purge).
"""

import hashlib
import json
import math

from django.db.models import F
from django.utils import timezone

from canvass.api.contact_items import BIGINT_MAX, FIELDS, shown
from canvass.models import Household, RefusedSyncItem, Voter

WITHHELD = ("notes", "issues")
MAX_KEYS, MAX_TEXT = 40, 64


def _value(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= BIGINT_MAX else shown(value, MAX_TEXT)
    if isinstance(value, float):
        return value if math.isfinite(value) else shown(value)
    if isinstance(value, str):
        return shown(value, MAX_TEXT)
    return f"[{type(value).__name__} withheld]"


def item_minimised(raw) -> dict:
    """The phone's item as an organiser may see it: no free text, nothing that cannot be stored."""
    if raw is None:  # a batch refused whole: nothing of it could be read
        return {}
    if not isinstance(raw, dict):
        return {"item": f"[not an object: {type(raw).__name__}]"}
    kept = {}
    for key, value in list(raw.items())[:MAX_KEYS]:
        name = shown(key, MAX_TEXT)
        if key in WITHHELD:
            size = len(value) if isinstance(value, (str, list)) else None
            kept[name] = f"[{size} {'characters' if key == 'notes' else 'issues'} withheld]" if size else "[withheld]"
        elif key in FIELDS:
            kept[name] = _value(value)
        else:
            kept[name] = "[not a contact field: withheld]"
    if len(raw) > MAX_KEYS:
        kept["…"] = f"[{len(raw) - MAX_KEYS} more fields withheld]"
    return kept


def _errors_safe(errors) -> dict:
    def clean(value):
        if isinstance(value, dict):
            return {shown(key, MAX_TEXT): clean(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [clean(inner) for inner in value]
        return shown(value, 300)

    cleaned = clean(errors or {})
    return cleaned if isinstance(cleaned, dict) else {"detail": [cleaned]}


def _id(raw, key: str) -> int | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(value, bool):
        return None
    try:
        number = int(value) if isinstance(value, (int, str)) else None
    except ValueError:
        return None
    return number if number is not None and 1 <= number <= BIGINT_MAX else None


def _wards(raws: list) -> list[int | None]:
    """The ward of each item's voter, else of its household: two queries for the lot."""
    voter_ids = [_id(raw, "voter") or 0 for raw in raws]
    household_ids = [_id(raw, "household") or 0 for raw in raws]
    voters = dict(Voter.objects.filter(pk__in=set(voter_ids) - {0}).values_list("pk", "polling_district__ward_id"))
    households = dict(
        Household.objects.filter(pk__in=set(household_ids) - {0}).values_list("pk", "polling_district__ward_id")
    )
    return [
        voters.get(voter) or households.get(household)
        for voter, household in zip(voter_ids, household_ids, strict=True)
    ]


def refused_sync_items_record(*, user, refusals: list[tuple[object, str | None, str, dict | None]]) -> int:
    """Keep each (raw item, client uuid, status, errors) the sync refused; the same refusal again only
    counts once more. Returns how many refusals were kept or counted."""
    if not refusals or user is None or not user.is_authenticated:
        return 0
    now = timezone.now()
    wards = _wards([raw for raw, *_ in refusals])
    rows: dict[str, RefusedSyncItem] = {}
    for (raw, client_uuid, status, errors), ward_id in zip(refusals, wards, strict=True):
        item, errors = item_minimised(raw), _errors_safe(errors)
        client_uuid = shown(client_uuid or "", 64)
        digest = json.dumps([client_uuid, status, item, errors], sort_keys=True, ensure_ascii=True)
        fingerprint = hashlib.sha256(digest.encode()).hexdigest()
        rows.setdefault(
            fingerprint,
            RefusedSyncItem(
                volunteer=user,
                username=user.get_username(),
                ward_id=ward_id,
                client_uuid=client_uuid,
                status=status,
                errors=errors,
                item=item,
                fingerprint=fingerprint,
                refused_at=now,
                last_refused_at=now,
            ),
        )
    seen = RefusedSyncItem.objects.filter(volunteer=user, fingerprint__in=rows)
    again = set(seen.values_list("fingerprint", flat=True))
    if again:
        seen.filter(fingerprint__in=again).update(times=F("times") + 1, last_refused_at=now)
    RefusedSyncItem.objects.bulk_create(
        [row for fingerprint, row in rows.items() if fingerprint not in again], ignore_conflicts=True
    )
    return len(rows)
