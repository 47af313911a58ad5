import uuid

from canvass.services.audit import audit_record


def request_id(request) -> str:
    """The server's id for this request (canvass.middleware), never one the client sent."""
    return getattr(request, "request_id", "") or uuid.uuid4().hex


class AuditedListMixin:
    """Records an audit event for every page of personal data a list or detail endpoint hands out."""

    audit_resource: str = ""

    def audit(self, action, object_ids):
        audit_record(
            user=self.request.user,
            action=action,
            resource=self.audit_resource,
            object_ids=object_ids,
            request_id=request_id(self.request),
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        self.audit("list", [row["id"] for row in rows])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self.audit("view", [response.data["id"]])
        return response
