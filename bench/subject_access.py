"""Benchmark: one subject-access export against a large audit trail.

Usage (PostgreSQL only; the data go into a throw-away `test_…` database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_privacy SECRET_KEY=… \\
        .venv/bin/python bench/subject_access.py [--audit-rows 100000] [--ids-per-row 300] [--contacts 50]

Prints the time for `subject_access` (register entry, contacts, answers, objections and the audit of who saw
the voter or their contacts), the duty being "produced in seconds".
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

from django.db import connection  # noqa: E402

from canvass.models import AuditEvent  # noqa: E402
from canvass.privacy.services.access import subject_access  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audit-rows", type=int, default=100_000)
    parser.add_argument("--ids-per-row", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=50)
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("bench/subject_access.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import ContactRecordFactory, VoterFactory

        voter = VoterFactory()
        contacts = ContactRecordFactory.create_batch(args.contacts, voter=voter)
        half = args.audit_rows // 2
        width = args.ids_per_row
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(action="list", resource=resource, object_ids=list(range(i * 7, i * 7 + width)), count=width)
                for resource, rows in (("voter", half), ("contact_record", args.audit_rows - half))
                for i in range(rows)
            ],
            batch_size=5000,
        )
        AuditEvent.objects.create(action="view", resource="contact_record", object_ids=[contacts[0].pk])
        connection.cursor().execute(f"VACUUM ANALYZE {AuditEvent._meta.db_table}")  # as autovacuum would
        started = time.perf_counter()
        data = subject_access(voter=voter)
        took = time.perf_counter() - started
        print(
            f"audit rows {AuditEvent.objects.count():,} x {width} ids, {len(data['contacts'])} contacts, "
            f"{len(data['audit'])} audit entries found: {took:.2f} s"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
