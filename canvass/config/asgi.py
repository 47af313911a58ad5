"""The ASGI entry point, for an ASGI server (`uvicorn canvass.config.asgi:application`); production runs WSGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

application = get_asgi_application()
