"""Shared fixtures: the named cast of users, service checks, and safe test overrides.

Tests that need PostgreSQL, Redis, a Celery worker or a browser carry a marker and skip where
the service is missing; with REQUIRE_SERVICES=1 (set by `.ci/run`) every skip is a failure.
"""

import os
import shutil

import pytest

from canvass.config.celery import app
from canvass.models import Role
from canvass.sql import is_postgres
from tests.factories import OurPartyFactory, ProfileFactory, UserFactory, WardFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped:
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped, but REQUIRE_SERVICES=1 makes every skip a failure: {reason}"


def redis_url() -> str | None:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")


def _redis_reachable() -> bool:
    url = redis_url()
    if not url:
        return False
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and not is_postgres():
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    needs_redis = request.node.get_closest_marker("redis") or request.node.get_closest_marker("celery_worker")
    if needs_redis and not _redis_reachable():
        pytest.skip("needs Redis: set CELERY_BROKER_URL=redis://…")
    if request.node.get_closest_marker("browser") and not shutil.which("chromium"):
        pytest.skip("needs headless Chromium: apt-get install chromium")


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """Test clients and the live server speak plain HTTP: production's HTTPS redirect and secure-only
    cookies would lock them out. Session-wide, because the live server builds its middleware once."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def our_party(db):
    return OurPartyFactory()


@pytest.fixture
def popley(db):
    return WardFactory(name="Popley")


@pytest.fixture
def south_ham(db):
    return WardFactory(name="South Ham", zone="south")


@pytest.fixture
def alice(db):
    """Alice is the campaign's admin: she sees and manages everything."""
    return UserFactory(username="alice", is_staff=True, is_superuser=True)


@pytest.fixture
def olivia(db, popley):
    """Olivia organises Popley only: she must not see South Ham."""
    return ProfileFactory(user__username="olivia", role=Role.ORGANISER, wards=[popley]).user


@pytest.fixture
def oscar(db, south_ham):
    """Oscar organises South Ham: the 'other ward' for Olivia's scoping tests."""
    return ProfileFactory(user__username="oscar", role=Role.ORGANISER, wards=[south_ham]).user


@pytest.fixture
def vera(db):
    """Vera is a volunteer; the walk lists she is given define what she sees."""
    return ProfileFactory(user__username="vera", role=Role.VOLUNTEER).user


@pytest.fixture
def victor(db):
    """Victor is a volunteer with no walk list: he sees no voter at all."""
    return ProfileFactory(user__username="victor", role=Role.VOLUNTEER).user


@pytest.fixture
def eager_tasks():
    """Celery tasks run in-process, even where CI points Celery at a real broker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def subprocess_env() -> dict[str, str]:
    """Environment for a child process (worker, gunicorn) that must use this test run's database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url() or "",
        "SECRET_KEY": settings.SECRET_KEY,
    }


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the Redis broker, reading and writing the test database.

    Use with `transactional_db` data: the worker is another process and only sees committed rows.
    Tasks are routed to a queue unique to this test so no stray worker can take them.
    """
    import signal
    import socket
    import subprocess
    import sys
    import time
    import uuid

    if not _redis_reachable():
        pytest.skip("needs Redis for a real Celery worker: set CELERY_BROKER_URL=redis://…")
    if not is_postgres():
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "canvass",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "-c",
            "1",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        env=subprocess_env(),
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 30
        ours = [f"{queue}@{socket.gethostname()}"]
        while not app.control.inspect(timeout=0.5, destination=ours).ping():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium(monkeypatch):
    """Debian's headless Chromium driven by Playwright (its own browser download is not used).

    Playwright's sync API keeps an event loop running while it is started, and Django refuses ORM calls
    under a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set: so Playwright runs for one test, the
    variable is set for it only, and both are gone before the test's database is flushed."""
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("needs headless Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        # wait_for_function evaluates its string inside the page, which the app's CSP (no eval) forbids;
        # tests/doorstep/test_offline_browser.py opens one context with the policy on to check the pages obey it.
        new_context = browser.new_context
        browser.new_context = lambda **options: new_context(**{"bypass_csp": True, **options})
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    """A phone-sized, touch-enabled page: 360 px wide, as the volunteers' cheap phones."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _party_use_counted(settings):
    """With Redis (CI) a ward's party use is kept for pages; tests count it for every page unless they keep it
    (the doorstep `kept` fixture), so their query counts do not depend on CACHE_URL."""
    settings.PARTY_USE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """Two-factor sign-in is on with production settings (so in CI too); tests that need it turn it on."""
    settings.PRIVACY_REQUIRE_2FA = False


@pytest.fixture
def live_server(request, transactional_db):
    """A live server for one test, stopped before the test's database is flushed.

    pytest-django's own lives for the whole session, so a request still being served when a browser
    test ended (a phone's sync, a service worker's fetch) ran on the SQLite connection it shares
    with the test while the flush deleted the tables: `database table is locked`, and rows left
    over for the next test. Stopping the server waits for every request it is serving."""
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    server = LiveServer(address or "localhost")
    yield server
    server.stop()


@pytest.fixture
def popley_district(popley):
    """Popley's polling district PA1, where the API's and the doorstep's scenes put their doors."""
    from tests.factories import PollingDistrictFactory

    return PollingDistrictFactory(ward=popley, code="PA1")
