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
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        resource=resource,
        object_ids=ids[:MAX_AUDITED_IDS],
        count=count,
        request_id=request_id[:64],
    )


def request_id(request) -> str:
    """The proxy's request id when there is one, so an audit event can be matched with access logs."""
    return request.META.get("HTTP_X_REQUEST_ID", "")[:64] or uuid.uuid4().hex
