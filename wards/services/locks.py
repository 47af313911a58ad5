"""Per-ward and per-council locks that serialise concurrent recomputes.

PostgreSQL advisory locks held to the end of the transaction; SQLite already lets only one
writer in at a time. Wards are always locked in id order, then the council, so two runs never
wait on each other in a circle.
"""

from django.db import connection

from canvass.sql import is_postgres

WARD_LOCK_SPACE = 5_001
COUNCIL_LOCK_SPACE = 5_002


def _lock(space: int, ids) -> None:
    if not is_postgres():
        return
    with connection.cursor() as cursor:
        for key in sorted(set(ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, key])


def wards_lock(ward_ids) -> None:
    _lock(WARD_LOCK_SPACE, ward_ids)


def councils_lock(council_ids) -> None:
    _lock(COUNCIL_LOCK_SPACE, council_ids)
