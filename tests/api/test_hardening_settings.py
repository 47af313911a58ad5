"""Hardening of the API's surface: no browsable forms, signed-in schema, headers, scrubbed logs, settings."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from canvass.middleware import GunicornLogger, ScrubQueryStrings, scrub_query
from tests.test_settings import OUR_VARIABLES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_browsable_api_is_off(client, olivia, popley_voters):
    client.force_login(olivia)
    assert client.get("/api/v1/voters/?format=api").status_code == 404


def test_an_html_accept_header_gets_json_not_forms_listing_the_register(client, olivia, south_ham_voter):
    client.force_login(olivia)
    response = client.get("/api/v1/contact-records/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"
    assert south_ham_voter.household.street not in response.content.decode()


def test_the_developers_browsable_renderer_draws_no_filter_form(rf, olivia, south_ham_voter):
    from canvass.api.renderers import FormlessBrowsableAPIRenderer
    from canvass.api.views.contacts import ContactRecordViewSet

    view = ContactRecordViewSet(request=rf.get("/"), format_kwarg=None, action="list")
    assert FormlessBrowsableAPIRenderer().get_filter_form({}, view, view.request) is None


@pytest.mark.parametrize("page", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_the_schema_and_docs_need_a_login(client, page):
    assert client.get(page).status_code in (401, 403)


def test_a_page_has_a_content_security_policy_without_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'self'" in script
    assert "default-src 'self'" in policy


def test_responses_carry_a_permissions_policy(client):
    assert "camera=()" in client.get("/accounts/login/")["Permissions-Policy"]


def test_api_answers_with_personal_data_are_not_stored_by_caches(client, olivia, popley_voters):
    client.force_login(olivia)
    assert client.get("/api/v1/voters/")["Cache-Control"] == "no-store"


def test_admin_pages_are_not_stored_by_caches(client, alice):
    client.force_login(alice)
    assert "no-store" in client.get("/admin/canvass/voter/?q=Smith")["Cache-Control"]


def test_a_view_keeps_its_own_cache_policy(client):
    assert client.get("/doorstep/manifest.webmanifest")["Cache-Control"] == "max-age=3600"


def test_query_strings_are_scrubbed_from_request_lines():
    assert (
        scrub_query("GET /admin/canvass/voter/?q=Smith+Carpenters HTTP/1.1") == "GET /admin/canvass/voter/?… HTTP/1.1"
    )


def test_runserver_request_logs_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s', ("GET /?q=Smith HTTP/1.1", 200, 5), None
    )
    ScrubQueryStrings().filter(record)
    assert "Smith" not in record.getMessage()


def test_gunicorn_access_lines_lose_their_query_strings():
    from types import SimpleNamespace

    from gunicorn.config import Config

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/admin/autocomplete/?term=Smith",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/admin/autocomplete/",
        "QUERY_STRING": "term=Smith",
        "HTTP_REFERER": "https://canvass.example.org/admin/?q=Carpenters+Down",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", "https://canvass.example.org/admin/?q=Carpenters+Down")])
    atoms = GunicornLogger(Config()).atoms(response, request, environ, __import__("datetime").timedelta(0))
    assert "Smith" not in " ".join(str(value) for value in atoms.values())
    assert "Carpenters" not in " ".join(str(value) for value in atoms.values())


def test_debug_off_without_a_secret_key_refuses_to_start():
    clean = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "canvass.config.settings", "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


def test_redis_redelivers_a_killed_workers_task_sooner_than_the_default_hour():
    from django.conf import settings

    from canvass.config.celery import app

    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < timeout < 3600
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_log_records_with_named_arguments_still_format():
    record = logging.LogRecord("x", logging.INFO, "", 0, "%(path)s done", ({"path": "/?q=Smith"},), None)
    ScrubQueryStrings().filter(record)
    assert record.getMessage() == "/?… done"
