"""The WSGI entry point: `gunicorn canvass.config.wsgi:application` (Dockerfile, docker-compose.yml)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

application = get_wsgi_application()
