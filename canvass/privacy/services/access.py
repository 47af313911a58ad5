"""Subject access: everything held on one elector, as a dict for the JSON file and the readable page."""

import json

from django.db import connection

from canvass.models import AuditEvent, ContactRecord, RegisterImport, Voter
from canvass.models.audit import AuditAction
from canvass.privacy.models import Objection, SubjectAccessRequest
from canvass.services.audit import audit_record
from canvass.sql import is_postgres
from canvass.surveys.models import Answer

# The audit resources whose object ids are voter ids.
VOTER_RESOURCES = ("voter",)


def _audit_ids_postgres(voter_id: int, contact_ids: list[int]) -> list[int]:
    """Ids of the audit rows naming the voter or one of their contacts: one GIN probe per id, UNIONed.

    Not one WHERE with an OR per id: the planner costs `object_ids @> …` as cheap and the table as small (the
    id arrays are TOASTed out of line, which it does not count), so on many rows it picks a sequential scan
    that detoasts every row's array once per OR'd condition: 21 s for 50 contacts against 100,000 rows of 300
    ids (bench/subject_access.py). Each branch alone is a small estimate, so each is a bitmap probe."""
    table = AuditEvent._meta.db_table
    probes = [(resource, voter_id) for resource in VOTER_RESOURCES] + [("contact_record", pk) for pk in contact_ids]
    sql = " UNION ".join(f"SELECT id FROM {table} WHERE resource = %s AND object_ids @> %s::jsonb" for _ in probes)
    params = [value for resource, pk in probes for value in (resource, json.dumps([pk]))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _audit_of(voter: Voter, contact_ids: list[int]) -> list[dict]:
    """Who listed, viewed or exported this voter or their contacts (JSON containment on PostgreSQL)."""
    shown = ("at", "user__username", "action", "resource")
    if is_postgres():
        # The big id arrays are read by the index only; the rows found are fetched without them.
        rows = AuditEvent.objects.filter(pk__in=_audit_ids_postgres(voter.pk, contact_ids))
    else:  # SQLite has no JSON containment: the trail is small there
        wanted = {("voter", voter.pk), *(("contact_record", pk) for pk in contact_ids)}
        events = AuditEvent.objects.filter(resource__in=(*VOTER_RESOURCES, "contact_record"))
        ids = [
            pk
            for pk, resource, object_ids in events.values_list("pk", "resource", "object_ids")
            if any((resource, oid) in wanted for oid in object_ids)
        ]
        rows = AuditEvent.objects.filter(pk__in=ids)
    return [
        {"at": at.isoformat(), "user": username, "action": action, "resource": resource}
        for at, username, action, resource in rows.order_by("-at", "-id").values_list(*shown)
    ]


def subject_access(*, voter: Voter) -> dict:
    voter = Voter.objects.select_related("polling_district__ward__council", "household").get(pk=voter.pk)
    contacts = list(
        ContactRecord.objects.filter(voter=voter).select_related("volunteer", "local_party", "national_party")
    )
    district = voter.polling_district
    imports = RegisterImport.objects.filter(
        council_id=district.ward.council_id, status=RegisterImport.Status.APPLIED
    ).values("id", "kind", "created_at", "finished_at")
    return {
        "register_entry": {
            "id": voter.pk,
            "reference": voter.reference,
            "title": voter.title,
            "forenames": voter.forenames,
            "surname": voter.surname,
            "address": voter.household.address,
            "postcode": voter.household.postcode,
            "ward": district.ward.name,
            "markers": voter.markers,
            "attainer_date": voter.attainer_date.isoformat() if voter.attainer_date else None,
            "postal_voter": voter.is_postal_voter,
            "proxy_voter": voter.is_proxy_voter,
            "on_register": voter.on_register,
            "left_register_on": voter.left_register_on.isoformat() if voter.left_register_on else None,
        },
        "register_imports": [
            {"id": i["id"], "kind": i["kind"], "at": (i["finished_at"] or i["created_at"]).isoformat()} for i in imports
        ],
        "flags": {
            "do_not_contact": voter.do_not_contact,
            "do_not_contact_since": voter.do_not_contact_since.isoformat() if voter.do_not_contact_since else None,
        },
        "contacts": [
            {
                "id": c.pk,
                "contacted_at": c.contacted_at.isoformat(),
                "recorded_by": c.volunteer.username if c.volunteer_id else None,
                "channel": c.channel,
                "outcome": c.outcome,
                "local_intention": c.local_intention,
                "local_party": c.local_party.name if c.local_party_id else None,
                "national_intention": c.national_intention,
                "national_party": c.national_party.name if c.national_party_id else None,
                "likelihood": c.likelihood,
                "notes": c.notes,
                "flags": {
                    "wants_postal_vote": c.wants_postal_vote,
                    "will_take_poster": c.will_take_poster,
                    "wants_to_volunteer": c.wants_to_volunteer,
                    "casework": c.casework,
                    "do_not_knock": c.do_not_knock,
                },
            }
            for c in contacts
        ],
        "issues_raised": [{"contact": c.pk, "issues": c.issues} for c in contacts if c.issues],
        "survey_answers": [
            {"contact": a.contact_id, "question": a.version.wording, "version": a.version.number, "answer": a.value}
            for a in Answer.objects.filter(contact__voter=voter).select_related("version").order_by("contact", "id")
        ],
        "objections": [
            {
                "source": o.source,
                "recorded_at": o.recorded_at.isoformat(),
                "recorded_by": o.recorded_by.username if o.recorded_by_id else None,
                "withdrawn_at": o.withdrawn_at.isoformat() if o.withdrawn_at else None,
            }
            for o in Objection.objects.filter(voter=voter).select_related("recorded_by")
        ],
        "audit": _audit_of(voter, [c.pk for c in contacts]),
    }


def subject_access_produce(*, voter: Voter, by, format: str) -> dict:
    """The export, recorded as a subject-access request and in the audit trail."""
    data = subject_access(voter=voter)
    SubjectAccessRequest.objects.create(voter=voter, produced_by=by, format=format)
    audit_record(user=by, action=AuditAction.EXPORT, resource="subject_access", object_ids=[voter.pk])
    return data
