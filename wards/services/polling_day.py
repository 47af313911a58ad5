"""Polling day: tellers' elector numbers, for the Reading system's knock-up list."""

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction

from wards.models import PollingDistrict, TellerReturn

REFERENCE = re.compile(r"^\s*([A-Za-z0-9]{1,8})\s*-\s*(\d{1,6})(?:\s*/\s*(\d{1,3}))?\s*$")


class TellerReturnError(ValueError):
    """A teller's number that cannot be read or names no polling district we know."""


def _parse(references: Iterable[str]) -> list[tuple[str, int, int]]:
    parsed = []
    for position, reference in enumerate(references, start=1):
        match = REFERENCE.match(reference or "")
        if not match:
            raise TellerReturnError(
                f"number {position} ({reference!r}): expected PREFIX-NUMBER or PREFIX-NUMBER/SUFFIX"
            )
        prefix, number, suffix = match.groups()
        parsed.append((prefix.upper(), int(number), int(suffix or 0)))
    return parsed


@transaction.atomic
def teller_return_record(*, election_date: dt.date, references: Iterable[str], recorded_by=None) -> int:
    """Record the elector numbers tellers collected (e.g. `AB1-124`, `AB1-124/1`); returns how many were new.

    A number already recorded for the day is skipped, so re-sending a batch is harmless.
    The batch is all or nothing: one unreadable number rejects it with the number's position.
    """
    parsed = _parse(references)
    districts = dict(PollingDistrict.objects.filter(code__in={p for p, _, _ in parsed}).values_list("code", "id"))
    unknown = [f"{prefix}-{number}" for prefix, number, _ in parsed if prefix not in districts]
    if unknown:
        raise TellerReturnError(f"unknown polling district in {', '.join(unknown[:5])}")
    before = TellerReturn.objects.filter(election_date=election_date).count()
    TellerReturn.objects.bulk_create(
        [
            TellerReturn(
                election_date=election_date,
                polling_district_id=districts[prefix],
                elector_number=number,
                elector_suffix=suffix,
                recorded_by=recorded_by,
            )
            for prefix, number, suffix in parsed
        ],
        ignore_conflicts=True,
    )
    return TellerReturn.objects.filter(election_date=election_date).count() - before
