"""Settings for bench/fault_run.py: the app's own, with its Celery queue and cache keys apart, so a fault run
shares a Redis with other runs (or a live server) without taking their tasks or their debounce keys."""

from canvass.config.settings import *  # noqa: F403
from canvass.config.settings import CACHES

CELERY_TASK_DEFAULT_QUEUE = "fault-run"
CACHES["default"]["KEY_PREFIX"] = "fault-run"
