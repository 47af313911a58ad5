"""Recording doorstep contacts, one at a time or as a phone's offline batch.

A sync is idempotent on the phone's client UUID: a replay creates nothing and answers as the first
time did. The same UUID with other content is a conflict: the first record stands and the answer
says which. Each item stands alone, so one bad item does not sink the others.
"""

import functools
import json
import uuid
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from canvass.models import ContactRecord, Household, Intention, NewResident, Voter
from canvass.models.contacts import FOLLOW_UP_FIELDS
from canvass.signals import contacts_recorded
from canvass.sql import fetch, is_postgres
from canvass.surveys.services import QuestionBook, answer_errors, answers_store, question_book
from wards.models import Party

CONTACT_FIELDS = (
    "contacted_at",
    "channel",
    "outcome",
    "local_intention",
    "national_intention",
    "likelihood",
    *FOLLOW_UP_FIELDS,
)


ADAPTED_FIELDS = (models.UUIDField, models.DateTimeField, models.JSONField)
# What a replay must repeat to be the same contact (the item's names; the model's are `<name>_id` for keys).
COMPARED_FIELDS = ("voter", "local_party", "national_party", *CONTACT_FIELDS)
STORED_COLUMNS = ("voter_id", "local_party_id", "national_party_id", *CONTACT_FIELDS)
INSERTED_FIELDS = tuple(f for f in ContactRecord._meta.concrete_fields if not f.primary_key)
# A row is a dict of column values by attname, which is the column's name (json_populate_recordset reads them so).
assert all(f.attname == f.column for f in INSERTED_FIELDS)


@dataclass
class SyncResult:
    client_uuid: str | None
    status: str = "ok"  # ok, error, or conflict (the uuid is stored with other content)
    id: int | None = None
    errors: dict | None = None
    voter_was_off_register: bool = False
    created: bool = False

    def as_dict(self) -> dict:
        return {
            "client_uuid": self.client_uuid,
            "status": self.status,
            "id": self.id,
            "errors": self.errors,
            "voter_was_off_register": self.voter_was_off_register,
        }


@dataclass
class _Targets:
    voters: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    parties: set = field(default_factory=set)
    questions: QuestionBook = field(default_factory=QuestionBook)
    # The records corrections point at: client uuid -> (id, voter, household, may the caller correct it, superseded).
    originals: dict = field(default_factory=dict)


def _load_targets(user, items) -> _Targets:
    """Everything the batch refers to, in one query per table, already filtered to the caller's scope."""
    voter_ids = {item["voter"] for item in items if item.get("voter")}
    household_ids = {item["household"] for item in items if item.get("household") and not item.get("voter")}
    party_ids = {item[key] for item in items for key in ("local_party", "national_party") if item.get(key)}
    targets = _Targets()
    if voter_ids:
        rows = Voter.objects.visible_to(user).filter(pk__in=voter_ids).order_by()
        for pk, household_id, ward_id, on_register in rows.values_list(
            "pk", "household_id", "polling_district__ward_id", "on_register"
        ):
            targets.voters[pk] = (household_id, ward_id, on_register)
    if household_ids:
        rows = Household.objects.visible_to(user).filter(pk__in=household_ids).order_by()
        targets.households = dict(rows.values_list("pk", "polling_district__ward_id"))
    if party_ids:
        targets.parties = set(Party.objects.filter(pk__in=party_ids).order_by().values_list("pk", flat=True))
    corrected = {item["supersedes"] for item in items if item.get("supersedes")}
    if corrected:
        # Whether the caller may correct each (canvass.scoping.contacts_correctable_by), in the same query.
        may_correct = Exists(ContactRecord.objects.correctable_by(user).filter(pk=OuterRef("pk")))
        rows = (
            ContactRecord.objects.filter(client_uuid__in=corrected)
            .order_by()
            .annotate(may_correct=may_correct)
            .values_list("client_uuid", "pk", "voter_id", "household_id", "may_correct", "is_superseded")
        )
        targets.originals = {row[0]: row[1:] for row in rows}
    if any(item.get("answers") for item in items):
        ward_ids = {ward_id for _, ward_id, _ in targets.voters.values()}
        targets.questions = question_book(items=items, ward_ids=ward_ids)
    return targets


def _correction_errors(item, user, targets: _Targets, accepted: dict) -> list[str]:
    """A correction ("change" at the door) replaces one record of the same voter and door, once, and only a
    record the caller may correct: their own, an organiser also any in their wards (`correctable_by`).

    `accepted` holds the batch's items already taken (uuid -> item), so a record and its correction may
    arrive together (both made offline)."""
    original = item["supersedes"]
    household = item["household"] or (targets.voters.get(item["voter"]) or (None,))[0]
    if original in targets.originals:  # stored (even when the batch sends it again)
        _, voter_id, household_id, may_correct, superseded = targets.originals[original]
        same = (voter_id, household_id) == (item.get("voter"), household)
    elif original in accepted:
        earlier = accepted[original]
        same = (earlier.get("voter"), earlier.get("household") or household) == (item.get("voter"), household)
        may_correct, superseded = True, any(other.get("supersedes") == original for other in accepted.values())
    else:
        return ["No such record to correct: it may have been undone."]
    if not may_correct:
        return ["Only the volunteer who recorded a contact, or an organiser of its ward, corrects it."]
    if not same:
        return ["A correction is for the same voter and door as the record it corrects."]
    if superseded:
        return ["That record is already corrected: correct the latest one."]
    return []


def _item_errors(item, targets: _Targets, answers: dict) -> dict:
    """The item's errors; its survey answers, once checked, go into `answers` by client UUID."""
    errors = {}
    if item.get("voter") and item["voter"] not in targets.voters:
        errors["voter"] = ["No such voter on your walk lists or in your wards."]
    elif item.get("voter") and item.get("household") and targets.voters[item["voter"]][0] != item["household"]:
        errors["household"] = ["This voter does not live in that household."]
    if not item.get("voter") and item["household"] not in targets.households:
        errors["household"] = ["No such household on your walk lists or in your wards."]
    for key in ("local_party", "national_party"):
        if item.get(key) and item[key] not in targets.parties:
            errors[key] = ["No such party."]
    if item.get("answers") and not errors:
        ward_id = targets.voters[item["voter"]][1] if item.get("voter") else targets.households[item["household"]]
        rows, answer_errors_found = answer_errors(item, ward_id=ward_id, book=targets.questions)
        if answer_errors_found:
            errors["answers"] = answer_errors_found
        else:
            answers[item["client_uuid"]] = rows
    return errors


def _row(user, item, targets: _Targets, defaults: dict) -> dict:
    """The contact as its columns (attnames): a plain dict, since fifty model instances cost more than the
    INSERT that stores them. `defaults` holds every column's default (`_defaults`)."""
    if item.get("voter"):
        household_id, ward_id, on_register = targets.voters[item["voter"]]
    else:
        household_id, ward_id, on_register = item["household"], targets.households[item["household"]], True
    row = {
        **defaults,
        "client_uuid": item["client_uuid"],
        "voter_id": item.get("voter"),
        "household_id": household_id,
        "ward_id": ward_id,
        "volunteer_id": user.pk,
        "voter_was_off_register": not on_register,
        "local_party_id": item.get("local_party") if item.get("local_intention") == Intention.PARTY else None,
        "national_party_id": item.get("national_party") if item.get("national_intention") == Intention.PARTY else None,
    }
    for name in CONTACT_FIELDS:
        if name in item:
            row[name] = item[name]
    return row


def _defaults() -> dict:
    """Each inserted column's default, as a new ContactRecord would have it (recorded_at: now)."""
    now = timezone.now()
    return {f.attname: now if getattr(f, "auto_now_add", False) else f.get_default() for f in INSERTED_FIELDS}


@functools.cache
def _insert_sql(rows: int | None) -> str:
    """The INSERT for `rows` rows as a VALUES list, or (None) for a JSON document of any number of rows."""
    quote = connection.ops.quote_name
    table, columns = quote(ContactRecord._meta.db_table), ", ".join(quote(f.column) for f in INSERTED_FIELDS)
    if rows is None:
        source = f"SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s)"
    else:
        source = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(INSERTED_FIELDS)) + ")"] * rows)
    return (
        f"INSERT INTO {table} ({columns}) {source} ON CONFLICT ({quote('client_uuid')}) DO NOTHING "
        f"RETURNING {quote('client_uuid')}, {quote('id')}, {quote('volunteer_id')}, {quote('voter_was_off_register')}"
    )


def _insert_new(rows: list[dict]) -> dict:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: one statement; uuid -> (id, volunteer, off register) of the
    rows it inserted. A uuid already stored (a replay, or a concurrent replay that won) is not among them."""
    if is_postgres():
        # The rows as one JSON document read as the table's row type: one parameter to quote rather than 24
        # per row, which cost more than the insert itself (uuids and JSON go through Python adapters).
        sql = _insert_sql(None)
        params = [json.dumps(rows, default=str)]
    else:
        sql = _insert_sql(len(rows))
        # Only uuids, datetimes and JSON need the backend's adaptation; plain values go as they are.
        adapt = [(f.attname, f.get_db_prep_save if isinstance(f, ADAPTED_FIELDS) else None) for f in INSERTED_FIELDS]
        params = [prepare(row[name], connection) if prepare else row[name] for row in rows for name, prepare in adapt]
    return {_as_uuid(uuid): (pk, volunteer, bool(off)) for uuid, pk, volunteer, off in fetch(sql, params)}


def _link_corrections(items: list[dict], existing: dict, targets: _Targets) -> None:
    """Point each new correction at the record it replaces, and mark that record superseded (kept, not changed)."""
    links = []
    for item in items:
        if item.get("supersedes"):
            known = existing.get(item["supersedes"]) or targets.originals.get(item["supersedes"])
            assert known is not None  # checked by _correction_errors
            links.append(ContactRecord(pk=existing[item["client_uuid"]][0], supersedes_id=known[0]))
    if links:
        ContactRecord.objects.bulk_update(links, ["supersedes"])
        ContactRecord.objects.filter(pk__in=[link.supersedes_id for link in links]).update(is_superseded=True)


def _hold_new_residents(user, items: list[dict], existing: dict) -> None:
    """Someone met at a door who is not on the register: held for an organiser to match, never an elector."""
    held = [
        NewResident(
            contact_id=existing[item["client_uuid"]][0],
            household_id=item["household"],
            name=item["new_resident"]["name"],
            note=item["new_resident"]["note"],
            reported_by=user,
        )
        for item in items
        if item.get("new_resident")
    ]
    if held:
        NewResident.objects.bulk_create(held, ignore_conflicts=True)


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _honour_do_not_knock(user, rows: list[dict]) -> None:
    """'Do not knock again' stops contact from now on: the voter, or a whole door on a household contact.
    Each mark is an objection attributed to the volunteer who made it (canvass.privacy), flagged past their
    hourly limit but never dropped."""
    from canvass.privacy.services.objections import objections_record

    marked = [row for row in rows if row["do_not_knock"]]
    if not marked:
        return
    voter_ids = {row["voter_id"] for row in marked if row["voter_id"]}
    household_ids = {row["household_id"] for row in marked if not row["voter_id"]}
    if household_ids:
        voter_ids |= set(Voter.objects.filter(household_id__in=household_ids).values_list("pk", flat=True))
    objections_record(voter_ids=voter_ids, by=user)


def contact_records_sync(*, user, items: list[dict]) -> list[SyncResult]:
    """Store validated contact items for `user`; one SyncResult per item, in input order.

    Items are dicts of already-validated fields with `voter`, `household` and party ids as integers.
    Every item is checked and the good ones inserted first (ON CONFLICT DO NOTHING); only the uuids that
    were not inserted, or were refused, are then looked up: a stored uuid answers as a replay (the same
    content is ok, other content a conflict), whatever the checks said. A new batch costs no lookup.
    """
    with transaction.atomic():
        targets = _load_targets(user, items)
        results, records, defaults = [], {}, _defaults()
        batch_content: dict[uuid.UUID, dict] = {}
        answers: dict[uuid.UUID, list[dict]] = {}
        accepted: dict[uuid.UUID, dict] = {}
        for item in items:
            result = SyncResult(client_uuid=str(item["client_uuid"]))
            results.append(result)
            if item["client_uuid"] in batch_content:  # the same uuid twice in one batch
                result.status = "ok" if _same_content(item, batch_content[item["client_uuid"]]) else "conflict"
                continue
            result.errors = _item_errors(item, targets, answers) or None
            if result.errors is None and item.get("supersedes"):
                correction = _correction_errors(item, user, targets, accepted)
                result.errors = {"supersedes": correction} if correction else None
            if result.errors is None:
                records[item["client_uuid"]] = _row(user, item, targets, defaults)
                accepted[item["client_uuid"]] = item
                batch_content[item["client_uuid"]] = _content(item)
        existing = _insert_new(list(records.values())) if records else {}
        created = set(existing)
        stored_content = _stored({item["client_uuid"] for item in items} - created)
        for item, result in zip(items, results, strict=True):
            if item["client_uuid"] in stored_content:  # stored before this batch: answered as a replay
                content, existing[item["client_uuid"]] = stored_content[item["client_uuid"]]
                result.errors = None
                result.status = "ok" if _same_content(item, content) else "conflict"
        if created:
            new = [accepted[key] for key in records if key in created]
            answers_store(rows_by_contact={existing[key][0]: answers[key] for key in created if key in answers})
            _link_corrections(new, existing, targets)
            _hold_new_residents(user, new, existing)
            _honour_do_not_knock(user, [records[key] for key in records if key in created])
            ward_ids = sorted({records[key]["ward_id"] for key in created})
            transaction.on_commit(lambda: contacts_recorded.send(sender=ContactRecord, ward_ids=ward_ids))
    for item, result in zip(items, results, strict=True):
        _fill_result(result, item, existing, user, created=item["client_uuid"] in created)
    return results


def _stored(uuids: set) -> dict:
    """uuid -> (content as compared, (id, volunteer, off register)) of the uuids already stored."""
    if not uuids:
        return {}
    rows = (
        ContactRecord.objects.filter(client_uuid__in=uuids)
        .order_by()
        .values_list("client_uuid", "pk", "volunteer_id", "voter_was_off_register", *STORED_COLUMNS)
    )
    return {row[0]: (dict(zip(COMPARED_FIELDS, row[4:], strict=True)), row[1:4]) for row in rows}


def _content(item: dict) -> dict:
    content = {name: item.get(name) for name in COMPARED_FIELDS}
    for scope in ("local", "national"):
        if content[f"{scope}_intention"] != Intention.PARTY:
            content[f"{scope}_party"] = None
    return content


def _same_content(item: dict, stored: dict) -> bool:
    wanted = _content(item)
    return all(wanted[name] == stored[name] for name in COMPARED_FIELDS if name in item)


def _fill_result(result: SyncResult, item: dict, existing: dict, user, *, created: bool) -> None:
    if result.errors:
        result.status = "error"
        return
    if item["client_uuid"] not in existing:  # neither inserted nor found: undone while this batch was stored
        result.status = "error"
        result.errors = {"client_uuid": ["This contact changed while the batch was stored: send it again."]}
        return
    pk, volunteer_id, off_register = existing[item["client_uuid"]]
    if volunteer_id != user.pk:
        result.status = "error"
        result.errors = {"client_uuid": ["This client UUID is already used by another contact."]}
        return
    if result.status == "conflict":
        result.id = pk
        result.errors = {"client_uuid": [f"Already recorded with other content: contact {pk} stands, unchanged."]}
        return
    result.id, result.voter_was_off_register, result.created = pk, off_register, created


def contact_record_delete(*, user, client_uuid) -> bool:
    """Undo a contact. False when the contact exists but is outside the caller's reach."""
    record = ContactRecord.objects.filter(client_uuid=client_uuid).values_list("pk", "ward_id").first()
    if record is None:
        return True
    if not ContactRecord.objects.visible_to(user).filter(pk=record[0]).exists():
        return False
    with transaction.atomic():
        # Undoing a correction puts the record it replaced back in the counts.
        corrected = ContactRecord.objects.filter(pk=record[0]).values_list("supersedes_id", flat=True).first()
        if corrected:
            ContactRecord.objects.filter(pk=corrected).update(is_superseded=False)
        ContactRecord.objects.filter(pk=record[0]).delete()
        transaction.on_commit(lambda: contacts_recorded.send(sender=ContactRecord, ward_ids=[record[1]]))
    return True
