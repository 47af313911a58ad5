import uuid

from canvass.models.audit import AuditEvent

# A listing can touch tens of thousands of voters; the count says how many, the ids say which up to this cap.
MAX_AUDITED_IDS = 5000


def audit_record(
    *, user, action: str, resource: str, object_ids=None, count: int | None = None, request_id: str = ""
) -> AuditEvent:
    ids = [int(pk) for pk in object_ids] if object_ids is not None else []
    if count is None and object_ids is not None:
        count = len(ids)
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        resource=resource,
        object_ids=ids[:MAX_AUDITED_IDS],
        count=count,
        request_id=request_id[:64],
    )


def request_id(request) -> str:
    """The server's id for this request (canvass.middleware), never one the client sent."""
    return getattr(request, "request_id", "") or uuid.uuid4().hex
