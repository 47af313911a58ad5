"""Recording a delivery round's doors from the phone: delivered, no letterbox or inaccessible.

A phone sends its marks in batches, offline ones once back in signal. Each item stands alone: a door not on the
round, or an unknown status, is refused with the reason and the rest are stored. A door keeps its latest mark
(by the time it was made on the phone), so a replayed batch, or an older mark arriving late, changes nothing.
"""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from canvass.api.contact_items import CLOCK_SKEW, EARLIEST_CONTACT
from canvass.models import Delivery, DeliveryStatus, WalkList

MAX_BATCH = 500


@dataclass
class DeliveryResult:
    client_uuid: str
    status: str = "ok"
    error: str = ""

    def as_dict(self) -> dict:
        return {"client_uuid": self.client_uuid, "status": self.status, "error": self.error}


def _item(raw, doors: set[int]) -> tuple[dict | None, str]:
    if not isinstance(raw, dict):
        return None, "Each mark is an object."
    try:
        client_uuid = uuid.UUID(str(raw.get("client_uuid", "")))
    except ValueError:
        return None, "A mark needs the phone's UUID."
    household = raw.get("household")
    if not isinstance(household, int) or isinstance(household, bool) or household not in doors:  # true is not 1
        return None, "This door is not on the round."
    if raw.get("status") not in DeliveryStatus.values:
        return None, "The mark is delivered, no_letterbox or inaccessible."
    try:
        when = parse_datetime(str(raw.get("delivered_at", "")))
    except ValueError:
        when = None
    if when is None or timezone.is_naive(when):
        return None, "The time of the mark is missing or has no time zone."
    if not EARLIEST_CONTACT <= when <= timezone.now() + CLOCK_SKEW:
        return None, "The time of the mark is out of range: check the phone's clock."
    return {"client_uuid": client_uuid, "household": household, "status": raw["status"], "delivered_at": when}, ""


def deliveries_record(*, user, walk_list: WalkList, items: list) -> list[DeliveryResult]:
    """Store a batch of marks for `walk_list` (one the caller may walk); one result per item, in order."""
    doors = set(walk_list.stops.values_list("household_id", flat=True))
    results: list[DeliveryResult] = []
    valid: dict[int, dict] = {}
    for raw in items:
        item, error = _item(raw, doors)
        shown = str(raw.get("client_uuid", ""))[:40] if isinstance(raw, dict) else ""
        results.append(DeliveryResult(client_uuid=shown, status="error" if error else "ok", error=error))
        if item is not None:
            kept = valid.get(item["household"])
            if kept is None or item["delivered_at"] >= kept["delivered_at"]:
                valid[item["household"]] = item
    if valid:
        with transaction.atomic():
            stored = dict(
                Delivery.objects.select_for_update()
                .filter(walk_list=walk_list, household_id__in=list(valid))
                .values_list("household_id", "delivered_at")
            )
            newer = [
                item
                for item in valid.values()
                if item["household"] not in stored or item["delivered_at"] >= stored[item["household"]]
            ]
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        walk_list=walk_list,
                        household_id=item["household"],
                        status=item["status"],
                        client_uuid=item["client_uuid"],
                        delivered_by=user,
                        delivered_at=item["delivered_at"],
                    )  # fmt: skip
                    for item in newer
                ],
                update_conflicts=True,
                unique_fields=["walk_list", "household"],
                update_fields=["status", "client_uuid", "delivered_by", "delivered_at", "recorded_at"],
            )
    return results
