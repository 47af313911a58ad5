"""Benchmark: one subject-access export against a large audit trail, with its baseline in the same run.

Usage (PostgreSQL only; the data go into a throw-away `test_…` database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_privacy SECRET_KEY=… \\
        .venv/bin/python bench/subject_access.py [--audit-rows 100000] [--ids-per-row 300] [--contacts 50]

Prints the time for `subject_access` (register entry, contacts, answers, objections and the audit of who saw
the voter or their contacts), the duty being "produced in seconds", and the baseline: the audit query as it
was, one WHERE with an OR'd `object_ids @> …` per id, which the planner runs as a sequential scan that
detoasts every row's id array once per condition (stopped after --baseline-timeout seconds).

The trail is generated in SQL, with the GIN index built after the load (as a restore would), so loading
100,000 rows takes seconds rather than the minutes row-by-row index maintenance costs.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from canvass.models import AuditEvent  # noqa: E402
from canvass.privacy.services.access import subject_access  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402

INDEX = "audit_object_ids_gin"  # privacy migration 0002


def _load(rows: int, width: int) -> None:
    table = AuditEvent._meta.db_table
    half = rows // 2
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(
            f"""INSERT INTO {table} (username, action, resource, object_ids, count, request_id, at)
            SELECT '', 'list', CASE WHEN i < %s THEN 'voter' ELSE 'contact_record' END,
                   (SELECT jsonb_agg(n) FROM generate_series(((i %% %s) * 7), ((i %% %s) * 7) + %s - 1) n),
                   %s, '', now() - i * interval '1 minute'
            FROM generate_series(0, %s - 1) i""",
            [half, half, half, width, width, rows],
        )
        cursor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (object_ids jsonb_path_ops)")
        cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would


def _baseline(voter, contact_ids: list[int], timeout: int) -> str:
    """The audit query before: one statement, an OR'd containment test per id."""
    match = Q(resource="voter", object_ids__contains=[voter.pk])
    for pk in contact_ids:
        match |= Q(resource="contact_record", object_ids__contains=[pk])
    query = AuditEvent.objects.filter(resource__in=("voter", "contact_record")).filter(match).select_related("user")
    started = time.perf_counter()
    try:
        with transaction.atomic():
            connection.cursor().execute(f"SET LOCAL statement_timeout = {timeout * 1000}")
            found = len(list(query))
    except OperationalError:
        return f"stopped after {timeout} s"
    return f"{time.perf_counter() - started:.2f} s ({found} audit entries)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audit-rows", type=int, default=100_000)
    parser.add_argument("--ids-per-row", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=50)
    parser.add_argument("--baseline-timeout", type=int, default=60)
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/subject_access.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import ContactRecordFactory, VoterFactory

        voter = VoterFactory()
        contacts = ContactRecordFactory.create_batch(args.contacts, voter=voter)
        started = time.perf_counter()
        _load(args.audit_rows, args.ids_per_row)
        AuditEvent.objects.create(action="view", resource="contact_record", object_ids=[contacts[0].pk])
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        data = subject_access(voter=voter)
        took = time.perf_counter() - started
        print(
            f"audit rows {AuditEvent.objects.count():,} x {args.ids_per_row} ids (loaded in {loaded:.1f} s), "
            f"{len(data['contacts'])} contacts, {len(data['audit'])} audit entries found"
        )
        print(f"subject access export: {took:.2f} s")
        baseline = _baseline(voter, [c.pk for c in contacts], args.baseline_timeout)
        print(f"baseline (one OR'd containment query): {baseline}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
