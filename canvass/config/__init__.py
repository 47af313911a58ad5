"""The project's configuration, kept apart from the domain: settings and their typed environment readers,
the root URLconf, the Celery app, and the WSGI/ASGI entry points."""
