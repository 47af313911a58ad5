import functools
import json
import uuid

from django.db import connection
from django.utils import timezone

from canvass import sql
from canvass.models.audit import AuditEvent

# A listing can touch tens of thousands of voters; the count says how many, the ids say which up to this cap.
MAX_AUDITED_IDS = 5000


def audit_record(
    *, user, action: str, resource: str, object_ids=None, count: int | None = None, request_id: str = ""
) -> None:
    """One row in the audit trail: a single INSERT, its SQL made once per process (every read of personal data
    writes one, an unchanged walk list too)."""
    ids = [int(pk) for pk in object_ids] if object_ids is not None else []
    if count is None and object_ids is not None:
        count = len(ids)
    user = user if user is not None and user.is_authenticated else None
    username = user.get_username() if user is not None else ""
    values = [user.pk if user is not None else None, username, action, resource, json.dumps(ids[:MAX_AUDITED_IDS]),
              count, request_id[:64], connection.ops.adapt_datetimefield_value(timezone.now())]  # fmt: skip
    sql.execute(_insert_statement(), values)


@functools.cache
def _insert_statement() -> str:
    names = ("user", "username", "action", "resource", "object_ids", "count", "request_id", "at")
    column_of = {field.name: str(field.column) for field in AuditEvent._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in names)
    return f"INSERT INTO {AuditEvent._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"


def request_id(request) -> str:
    """The server's id for this request (canvass.middleware), never one the client sent."""
    return getattr(request, "request_id", "") or uuid.uuid4().hex
