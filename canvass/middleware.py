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

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

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


class SiteErrorPages:
    """With DEBUG on, Django answers a 404 with its technical page; people using the site get the site's own.

    An unknown URL never reaches a view, so it is resolved here first; an Http404 raised by a view comes
    through process_exception. API paths keep their JSON errors; with DEBUG off Django calls handler404 itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _applies(self, request) -> bool:
        return settings.DEBUG and not request.path_info.startswith("/api/")

    def __call__(self, request):
        if self._applies(request):
            from canvass.views.site import page_not_found  # views import models: not at settings time

            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self._applies(request):
            from canvass.views.site import page_not_found

            return page_not_found(request, exception)
        return None
