import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

app = Celery("canvass")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The register import's tasks live in its package, not in an app's tasks module.
app.autodiscover_tasks(["canvass.register"])
