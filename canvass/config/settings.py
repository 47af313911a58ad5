"""Settings for the canvassing application, read from the environment.

With nothing set, the app runs embedded: SQLite file, Celery tasks executed in-process,
a database-backed cache. Production and CI set DATABASE_URL, CELERY_BROKER_URL and
CACHE_URL to PostgreSQL and Redis. See `.env.example` for every variable.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from canvass.config.env import cache_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]

# Embedded: no DATABASE_URL, so a newcomer's laptop with SQLite and in-process tasks.
EMBEDDED = not env_str("DATABASE_URL")
DEBUG = env_bool("DEBUG", EMBEDDED)
_EMBEDDED_SECRET = "embedded-laptop-only-key:never-used-once-DATABASE_URL-is-set:7f3a9c2e41b8d6"
# The built-in key is public: only a DEBUG laptop may use it.
SECRET_KEY = env_str("SECRET_KEY") or (_EMBEDDED_SECRET if EMBEDDED and DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set whenever DATABASE_URL is set or DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "wards",
    "canvass",
    "wards.polling",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "canvass.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "canvass.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "canvass.privacy.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "canvass.middleware.SiteErrorPages",
]

ROOT_URLCONF = "canvass.config.urls"
WSGI_APPLICATION = "canvass.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded server answers a phone's sync while other requests read: writers take the lock when their
    # transaction begins and wait for it (a reader turned writer mid-transaction fails at once with "database is
    # locked"), and readers do not block the writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests in a file, not in memory: a browser test's live server then serves each request on a connection of
    # its own (in memory, Django shares the test's one connection with every server thread: "database table is
    # locked").
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"canvass-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env_str("CACHE_URL") or "db://django_cache")}
# A built walk-list answer kept in the shared cache under its ETag, for any worker (0: never). On by default only
# with Redis: with the database cache a lookup is one more query than the cheap build path saves.
WALK_LIST_BODY_CACHE_SECONDS = env_int(
    "WALK_LIST_BODY_CACHE_SECONDS", 300 if CACHES["default"]["BACKEND"].endswith("RedisCache") else 0
)
# The parties a ward's volunteers record most (the doorstep sheet's order), kept this long (0: counted per page).
PARTY_USE_CACHE_SECONDS = env_int(
    "PARTY_USE_CACHE_SECONDS", 120 if CACHES["default"]["BACKEND"].endswith("RedisCache") else 0
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Failed logins allowed per client address and username (session login, admin login and API tokens).
LOGIN_THROTTLE_RATE = env_str("LOGIN_THROTTLE_RATE", "10/min")
# Proxies (addresses or networks) whose X-Forwarded-For is believed; nobody else's is (canvass/services/logins.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# An API token (one per device) stops working this long after it was made; the user signs in again.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 30)
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded registers are read into the database, never kept on disk; large uploads spool to a temp file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# Security: strict when DEBUG is off, so `check --deploy` is clean with production values.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The container health check calls /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    # Token first, so a request without credentials answers 401 with a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "canvass.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "canvass.api.schema.CanvassAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": [
        "canvass.api.filters.IdFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "canvass.api.exceptions.exception_handler",
    # JSON only: the browsable API's forms listed rows beyond the caller's scope. API_BROWSABLE turns on a
    # form-free browsable renderer for a developer's laptop.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["canvass.api.renderers.FormlessBrowsableAPIRenderer"] if env_bool("API_BROWSABLE", False) else []),
    "DEFAULT_PARSER_CLASSES": [
        "canvass.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Canvass API",
    "DESCRIPTION": "Ward-by-ward canvassing: walk lists, contact logging, targets.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs name every field of the register: signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IntentionEnum": "canvass.models.contacts.Intention",
        "SegmentEnum": "wards.models.targets.Segment",
        "TargetReasonEnum": "wards.models.targets.Reason",
    },
}

# Celery: no broker configured means the embedded default, tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60)
CELERY_TASK_MAX_RETRIES = env_int("CELERY_TASK_MAX_RETRIES", 5)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task (a killed worker's) after this long; longer than any task may run,
# shorter than the default hour, so a lost recompute is not lost for long. Countdowns stay well below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60)
}
CELERY_BEAT_SCHEDULE: dict = {}

# Ward statistics and target lists (docs/statistics.md): a burst of syncs waits this long, then one recompute.
WARDS_RECOMPUTE_DEBOUNCE_SECONDS = env_int("WARDS_RECOMPUTE_DEBOUNCE_SECONDS", 30)
WARDS_RECOMPUTE_WORK_MEM = env_str("WARDS_RECOMPUTE_WORK_MEM", "64MB")  # PostgreSQL work_mem for the recompute
CELERY_BEAT_SCHEDULE["wards-recompute-all"] = {
    "task": "wards.tasks.recompute_all_wards",
    "schedule": env_int("WARDS_RECOMPUTE_EVERY_SECONDS", 3600),
}

# Logs never carry personal data: only ids, counts and timings are logged by the app.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"scrub_queries": {"()": "canvass.middleware.ScrubQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub_queries"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines, through the scrubbing handler rather than Django's own.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Content-Security-Policy (django-csp): no inline script, nothing from other sites. Inline style attributes
# remain for the party chips' colours and the rate bars' widths.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# Register uploads that were not applied (rejected, failed, dry runs) keep their bytes this many days, then the
# beat task erases them; each job keeps its report. Applied uploads are erased at once.
REGISTER_UPLOAD_KEEP_DAYS = env_int("REGISTER_UPLOAD_KEEP_DAYS", 7)
CELERY_BEAT_SCHEDULE["register-uploads-erase"] = {
    "task": "canvass.register_import_uploads_erase",
    "schedule": env_int("REGISTER_UPLOAD_ERASE_EVERY_SECONDS", 3600),
}

# Data protection (docs/privacy.md). Retention in days per kind of data; the purge runs nightly, ward by ward.
PRIVACY_RETENTION_DAYS = {
    "register_leavers": env_int("PRIVACY_KEEP_LEAVERS_DAYS", 90),  # after leaving the register: tombstoned
    "contacts": env_int("PRIVACY_KEEP_CONTACTS_DAYS", 4 * 365 + 1),  # one council term: then deleted
    "notes": env_int("PRIVACY_KEEP_NOTES_DAYS", 365),  # free-text notes on contacts: then blanked
    "answers": env_int("PRIVACY_KEEP_ANSWERS_DAYS", 2 * 365),  # issues raised (survey answers): then cleared
    "uploads": env_int("PRIVACY_KEEP_UPLOADS_DAYS", 30),  # uploaded register files: then their bytes dropped
    "audit": env_int("PRIVACY_KEEP_AUDIT_DAYS", 2 * 365),  # audit trail rows: then deleted
    "refused_syncs": env_int("PRIVACY_KEEP_REFUSED_SYNCS_DAYS", 90),  # sync items the server refused: deleted
    # answers to the campaign's own questions (canvass.surveys): then deleted
    "survey_answers": env_int("PRIVACY_KEEP_SURVEY_ANSWERS_DAYS", 2 * 365),
}
PRIVACY_PURGE_BATCH = env_int("PRIVACY_PURGE_BATCH", 1000)
CELERY_BEAT_SCHEDULE["privacy-retention-purge"] = {
    "task": "canvass.privacy.tasks.retention_purge",
    "schedule": env_int("PRIVACY_PURGE_EVERY_SECONDS", 24 * 3600),
}
# Volunteers marking more voters "do not contact" than this in an hour are refused and the marks flagged.
PRIVACY_DNC_PER_HOUR = env_int("PRIVACY_DNC_PER_HOUR", 30)
# Offline doorstep data on a phone expires after this many days without a sync.
DOORSTEP_OFFLINE_MAX_DAYS = env_int("DOORSTEP_OFFLINE_MAX_DAYS", 14)
# Two-factor sign-in (TOTP, django-otp) for admins and organisers: on by default outside the embedded laptop setup.
PRIVACY_REQUIRE_2FA = env_bool("PRIVACY_REQUIRE_2FA", not EMBEDDED)
# Organising (docs/organising.md): an invitation link sets a volunteer's password once, within this many days.
INVITATION_LIFETIME_DAYS = env_int("INVITATION_LIFETIME_DAYS", 7)
# Email: invitations are also emailed when an SMTP host is set (the link is always shown to copy).
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "canvass@localhost") or "canvass@localhost"
INVITATION_EMAILS = env_bool("INVITATION_EMAILS", bool(EMAIL_HOST))
