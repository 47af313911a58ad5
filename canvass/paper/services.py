"""Keying in paper returns: find the elector by number in the organiser's wards, read the codes, store the contact
through the same sync as a phone's (`canvass.services.contacts.contact_records_sync`), one client UUID per entry
so a double submit stores one contact. Each entry is refused alone, with the reason."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from canvass.api.contact_items import contact_item_validate
from canvass.models import Channel, Voter
from canvass.paper.codes import CodeError, codes_parse
from canvass.services.contacts import contact_records_sync
from wards.models import Party

REFERENCE = re.compile(r"^\s*([A-Za-z0-9]{1,8})\s*[-\s]\s*(\d{1,9})(?:\s*/\s*(\d{1,4}))?\s*$")


class PaperError(ValueError):
    """An entry that cannot be stored: `field` says where (reference, codes, contacted_at), the message why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Elector:
    id: int
    household_id: int
    reference: str
    name: str
    address: str


def _parse_reference(reference: str) -> tuple[str, int, int]:
    match = REFERENCE.match(reference or "")
    if not match:
        raise PaperError(
            "reference", f"“{reference[:20]}” is not an elector number: type it as on the sheet, e.g. PA1-123."
        )
    code, number, suffix = match.groups()
    return code.upper(), int(number), int(suffix or 0)


def paper_elector_find(*, user, reference: str) -> Elector:
    """The elector on the register with this number, if in the user's wards; else `PaperError` saying which."""
    code, number, suffix = _parse_reference(reference)
    shown = f"{code}-{number}" + (f"/{suffix}" if suffix else "")
    match = Q(polling_district__code__iexact=code, elector_number=number, elector_suffix=suffix)
    rows = list(
        Voter.objects.on_register()
        .filter(match)
        .annotate(visible=Exists(Voter.objects.visible_to(user).filter(pk=OuterRef("pk"))))
        .values("id", "household_id", "forenames", "surname", "household__address", "visible")
    )
    if not rows:
        raise PaperError("reference", f"No elector {shown} on the register: check the number on the sheet.")
    row = rows[0]
    if not row["visible"]:
        raise PaperError("reference", f"Elector {shown} is outside your wards.")
    name = " ".join(part for part in (row["forenames"], row["surname"]) if part)
    address = (row["household__address"] or "").splitlines()
    return Elector(row["id"], row["household_id"], shown, name, address[0] if address else "")


def _parties() -> dict[str, int]:
    return {code.upper(): pk for pk, code in Party.objects.values_list("pk", "code")}


def paper_return_record(
    *, user, client_uuid, reference: str, codes: str, contacted_on: dt.date | None = None, keyed_at: str = ""
):
    """Store one keyed entry; returns (elector, SyncResult). Raises `PaperError` for a bad number or code.

    A sheet from an earlier day is dated at noon that day; today's at `keyed_at`, the moment the page made the
    entry (an ISO time it sends again with a retry, so the retry is the same contact), else now.
    """
    elector = paper_elector_find(user=user, reference=reference)
    try:
        fields = codes_parse(codes, parties=_parties())
    except CodeError as error:
        raise PaperError("codes", str(error)) from None
    when = keyed_at or timezone.now().isoformat()
    if contacted_on is not None and contacted_on != timezone.localdate():
        when = timezone.make_aware(dt.datetime.combine(contacted_on, dt.time(12))).isoformat()
    raw = {
        "client_uuid": str(client_uuid),
        "voter": elector.id,
        "household": elector.household_id,
        "contacted_at": when,
        "channel": Channel.DOOR,
        **fields,
    }
    item, errors = contact_item_validate(raw)
    if errors or item is None:
        field, reasons = next(iter((errors or {"codes": ["not readable"]}).items()))
        raise PaperError("contacted_at" if field == "contacted_at" else "codes", f"{field}: {reasons[0]}")
    (result,) = contact_records_sync(user=user, items=[item])
    return elector, result
