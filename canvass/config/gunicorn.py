"""How the web container serves: `gunicorn -c python:canvass.config.gunicorn canvass.config.wsgi:application`.

The Dockerfile, docker-compose.yml and `bench/sync_load.py` all start gunicorn with this file, so the
benchmark measures what is deployed (command-line options override it; `WEB_CONCURRENCY` sets the workers).

Sync workers, one request at a time each, two per core plus one. A sync worker accepts a connection only
when it is free and answers it with `Connection: close`, so waiting requests queue in the kernel's one
listen queue, first come first served, whichever worker frees first. Threaded workers (gthread) were
measured unfair under load (docs/performance.md, "Batch sync at saturation (round 4)"): each keeps the
connections it accepted alive, and a worker that had accepted 27 of 50 phones served each of them a
ninth as often as one that held 2, which made the slowest syncs 4 times the median. They also spent
more CPU per contact (the GIL passed between threads). The spare workers overlap one request's database
waits (its statements, the commit's WAL flush) with another's Python.

Sync workers read a request whole before the app sees it, so a slow client holds a worker: behind the
internet put a buffering reverse proxy in front (the phones' batches are a few tens of kilobytes).
"""

import os

from canvass.config.env import env_int


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = "0.0.0.0:8000"
worker_class = "sync"
workers = env_int("WEB_CONCURRENCY", 2 * _cores() + 1)
# The listen queue is where requests wait their turn when every worker is busy.
backlog = 2048
accesslog = "-"
logger_class = "canvass.middleware.GunicornLogger"
