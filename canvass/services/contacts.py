"""Recording doorstep contacts, one at a time or as a phone's offline batch.

A sync is idempotent on the phone's client UUID: a replay creates nothing and answers as the first
time did. The same UUID with other content is a conflict: the first record stands and the answer
says which. Each item stands alone, so one bad item does not sink the others.
"""

import uuid
from dataclasses import dataclass, field

from django.db import connection, models, transaction

from canvass.models import ContactRecord, Household, Intention, NewResident, Voter
from canvass.models.contacts import FOLLOW_UP_FIELDS
from canvass.signals import contacts_recorded
from canvass.sql import fetch
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
    # The records corrections point at: client uuid -> (id, voter, household, volunteer, already superseded).
    originals: dict = field(default_factory=dict)


def _load_targets(user, items) -> _Targets:
    """Everything the batch refers to, in one query per table, already filtered to the caller's scope."""
    voter_ids = {item["voter"] for item in items if item.get("voter")}
    household_ids = {item["household"] for item in items if item.get("household") and not item.get("voter")}
    party_ids = {item[key] for item in items for key in ("local_party", "national_party") if item.get(key)}
    targets = _Targets()
    if voter_ids:
        rows = Voter.objects.visible_to(user).filter(pk__in=voter_ids)
        for pk, household_id, ward_id, on_register in rows.values_list(
            "pk", "household_id", "polling_district__ward_id", "on_register"
        ):
            targets.voters[pk] = (household_id, ward_id, on_register)
    if household_ids:
        rows = Household.objects.visible_to(user).filter(pk__in=household_ids)
        targets.households = dict(rows.values_list("pk", "polling_district__ward_id"))
    if party_ids:
        targets.parties = set(Party.objects.filter(pk__in=party_ids).values_list("pk", flat=True))
    corrected = {item["supersedes"] for item in items if item.get("supersedes")}
    if corrected:
        rows = ContactRecord.objects.filter(client_uuid__in=corrected).values_list(
            "client_uuid", "pk", "voter_id", "household_id", "volunteer_id", "is_superseded"
        )
        targets.originals = {row[0]: row[1:] for row in rows}
    if any(item.get("answers") for item in items):
        ward_ids = {ward_id for _, ward_id, _ in targets.voters.values()}
        targets.questions = question_book(items=items, ward_ids=ward_ids)
    return targets


def _correction_errors(item, user, targets: _Targets, accepted: dict) -> list[str]:
    """A correction ("change" at the door) replaces one record of the same volunteer, voter and door, once.

    `accepted` holds the batch's items already taken (uuid -> item), so a record and its correction may
    arrive together (both made offline)."""
    original = item["supersedes"]
    household = item["household"] or (targets.voters.get(item["voter"]) or (None,))[0]
    if original in accepted:
        earlier = accepted[original]
        same = (earlier.get("voter"), earlier.get("household") or household) == (item.get("voter"), household)
        volunteer, superseded = user.pk, any(other.get("supersedes") == original for other in accepted.values())
    elif original in targets.originals:
        _, voter_id, household_id, volunteer, superseded = targets.originals[original]
        same = (voter_id, household_id) == (item.get("voter"), household)
    else:
        return ["No such record to correct: it may have been undone."]
    if volunteer != user.pk:
        return ["Only the volunteer who recorded a contact corrects it at the door."]
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


def _build_record(user, item, targets: _Targets) -> ContactRecord:
    if item.get("voter"):
        household_id, ward_id, on_register = targets.voters[item["voter"]]
    else:
        household_id, ward_id, on_register = item["household"], targets.households[item["household"]], True
    record = ContactRecord(
        client_uuid=item["client_uuid"],
        voter_id=item.get("voter"),
        household_id=household_id,
        ward_id=ward_id,
        volunteer=user,
        voter_was_off_register=not on_register,
        local_party_id=item.get("local_party") if item.get("local_intention") == Intention.PARTY else None,
        national_party_id=item.get("national_party") if item.get("national_intention") == Intention.PARTY else None,
    )
    for name in CONTACT_FIELDS:
        if name in item:
            setattr(record, name, item[name])
    return record


def _insert_new(records: list[ContactRecord]) -> dict:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: one statement, and the ids come back with it.

    A concurrent replay of the same batch may insert a uuid first; its row wins and is read back instead.
    """
    model = ContactRecord._meta
    fields = [f for f in model.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(model.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(records))} ON CONFLICT ({quote('client_uuid')}) DO NOTHING "
        f"RETURNING {quote('client_uuid')}, {quote('id')}, {quote('volunteer_id')}, {quote('voter_was_off_register')}"
    )
    # Only uuids, datetimes and JSON need the backend's adaptation; plain values go as they are (it is the hot path).
    adapt = [isinstance(f, ADAPTED_FIELDS) for f in fields]
    params = [
        f.get_db_prep_save(f.pre_save(record, add=True), connection) if needs else getattr(record, f.attname)
        for record in records
        for f, needs in zip(fields, adapt, strict=True)
    ]
    stored = {_as_uuid(uuid): (pk, volunteer, bool(off)) for uuid, pk, volunteer, off in fetch(sql, params)}
    raced = [record.client_uuid for record in records if record.client_uuid not in stored]
    if raced:
        rows = ContactRecord.objects.filter(client_uuid__in=raced).values_list(
            "client_uuid", "pk", "volunteer_id", "voter_was_off_register"
        )
        stored.update({row[0]: row[1:] for row in rows})
    return stored


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


def _honour_do_not_knock(records: list[ContactRecord]) -> None:
    """'Do not knock again' stops contact from now on: the voter, or a whole door on a household contact.
    Each mark is an objection attributed to the volunteer who made it (canvass.privacy), flagged past their
    hourly limit but never dropped."""
    from canvass.privacy.services.objections import objections_record

    by_volunteer: dict = {}
    for record in records:
        if record.do_not_knock:
            by_volunteer.setdefault(record.volunteer_id, (record.volunteer, set(), set()))
            _, voters, households = by_volunteer[record.volunteer_id]
            (voters if record.voter_id else households).add(record.voter_id or record.household_id)
    for volunteer, voter_ids, household_ids in by_volunteer.values():
        if household_ids:
            voter_ids |= set(Voter.objects.filter(household_id__in=household_ids).values_list("pk", flat=True))
        objections_record(voter_ids=voter_ids, by=volunteer)


def contact_records_sync(*, user, items: list[dict]) -> list[SyncResult]:
    """Store validated contact items for `user`; one SyncResult per item, in input order.

    Items are dicts of already-validated fields with `voter`, `household` and party ids as integers.
    """
    uuids = [item["client_uuid"] for item in items]
    with transaction.atomic():
        existing, stored_content = {}, {}
        for row in ContactRecord.objects.filter(client_uuid__in=uuids).values_list(
            "client_uuid", "pk", "volunteer_id", "voter_was_off_register", *STORED_COLUMNS
        ):
            existing[row[0]] = row[1:4]
            stored_content[row[0]] = dict(zip(COMPARED_FIELDS, row[4:], strict=True))
        fresh = [item for item in items if item["client_uuid"] not in existing]
        targets = _load_targets(user, fresh)
        results, records = [], {}
        answers: dict[uuid.UUID, list[dict]] = {}
        accepted: dict[uuid.UUID, dict] = {}
        for item in items:
            result = SyncResult(client_uuid=str(item["client_uuid"]))
            results.append(result)
            if item["client_uuid"] in stored_content:
                result.status = "ok" if _same_content(item, stored_content[item["client_uuid"]]) else "conflict"
                continue
            result.errors = _item_errors(item, targets, answers) or None
            if result.errors is None and item.get("supersedes"):
                correction = _correction_errors(item, user, targets, accepted)
                result.errors = {"supersedes": correction} if correction else None
            if result.errors is None and item["client_uuid"] not in records:
                records[item["client_uuid"]] = _build_record(user, item, targets)
                accepted[item["client_uuid"]] = item
                stored_content[item["client_uuid"]] = _content(item)
        if records:
            existing.update(_insert_new(list(records.values())))
            answers_store(rows_by_contact={existing[key][0]: answers[key] for key in records if key in answers})
            _link_corrections([accepted[key] for key in records], existing, targets)
            _hold_new_residents(user, [accepted[key] for key in records], existing)
            _honour_do_not_knock(list(records.values()))
            ward_ids = sorted({record.ward_id for record in records.values()})
            transaction.on_commit(lambda: contacts_recorded.send(sender=ContactRecord, ward_ids=ward_ids))
    for item, result in zip(items, results, strict=True):
        _fill_result(result, item, existing, user, created=item["client_uuid"] in records)
    return results


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
