"""Response headers that keep personal data out of caches and browsers' reach, and logs free of it.

- `Cache-Control: no-store` on every dynamic response that does not set its own policy: pages and API
  answers carry names, addresses and intentions, and a shared or browser cache must not keep them.
- `Permissions-Policy`: the app uses no camera, microphone, geolocation or payment; say so.
- Every request gets a server-made id (`request.request_id`, echoed as `X-Request-ID`) for the audit trail.
- Query strings are scrubbed from request logs: admin search and autocomplete put surnames and
  addresses there (`?q=`), and access logs outlive the data.
"""

import logging
import re
import uuid

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PrivateResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Made here, never taken from the client: an audit row's request id must not be forgeable.
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


_QUERY = re.compile(r"\?[^\s\"]*")


def scrub_query(text: str) -> str:
    """'GET /admin/?q=Smith HTTP/1.1' -> 'GET /admin/?… HTTP/1.1': keep the path, drop what was searched."""
    return _QUERY.sub("?…", text)


class ScrubQueryStrings(logging.Filter):
    """For Django's request loggers (runserver's `django.server`, `django.request`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub_query(str(record.msg))
        if isinstance(record.args, dict):
            record.args = {key: _scrub(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_scrub(arg) for arg in record.args)
        return True


def _scrub(value):
    return scrub_query(value) if isinstance(value, str) else value


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a production dependency
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """`gunicorn --logger-class canvass.middleware.GunicornLogger`: access lines without query strings."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = atoms["{query_string}e"] = ""
        # The request line, the referrer and every header or environ copy of them.
        return {name: scrub_query(value) if isinstance(value, str) else value for name, value in atoms.items()}
