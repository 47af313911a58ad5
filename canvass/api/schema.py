"""The OpenAPI schema documents every answer the API gives, errors included.

drf-spectacular documents the success answers; each operation here also gets, unless it says otherwise:
400 when it takes a body or query parameters, 401 and 403 unless anyone may call it, and 404 when its path
names an object or its list is paged (a page past the end), and 414 when a client sets its address's length
(query or path parameters). Errors have one shape (canvass.api.exceptions):
validation errors `{field: [reason, ...]}`, others `{"detail": reason, "code": code}`.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
# {field: [reason]} from a validation error, or {"detail": ..., "code": ...}.
INVALID = {"type": "object", "additionalProperties": True}
ERRORS = {
    "400": ("The request is invalid: what and where.", INVALID),
    "401": ("No valid credentials (or the token expired or was revoked).", DETAIL),
    "403": ("Your role does not allow this.", DETAIL),
    "404": ("Not found, or outside your wards and walk lists.", DETAIL),
}


class CanvassAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            description, schema = ERRORS[code]
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": schema}}}
            )
        if any(p["in"] in ("query", "path") for p in operation.get("parameters", [])):
            # Answered by the web server (gunicorn, an HTML page) before the app sees the request.
            responses.setdefault("414", {"description": "The address is too long (over 4,094 bytes)."})
        return operation

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes += ["401", "403"]
        paged = any(p["in"] == "query" and p["name"] in ("page", "cursor") for p in parameters)
        if paged or any(p["in"] == "path" for p in parameters):
            codes.append("404")
        return codes
