"""How long the demo council takes to build: `--electors 150000` must finish in under a minute on PostgreSQL.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canvass_bench SECRET_KEY=… \
        .venv/bin/python bench/demo_load.py [--electors N]

Empties the database named by DATABASE_URL (flush) and builds into it, then builds again to show
the second run adds nothing. Baseline in the same run: the same electors through plain bulk_create.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--electors", type=int, default=150_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from canvass.sql import is_postgres

    if not is_postgres():
        sys.exit("Run this on PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)

    from canvass.demo.build import demo_council_build
    from canvass.models import ContactRecord, Voter

    started = time.perf_counter()
    summary = demo_council_build(electors=args.electors, seed=2026)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = demo_council_build(electors=args.electors, seed=2026)
    second = time.perf_counter() - started

    print(
        f"electors asked: {args.electors:,}; built: {Voter.objects.count():,} electors, "
        f"{summary.households_created:,} households, {ContactRecord.objects.count():,} contacts"
    )
    print(f"first build:  {first:6.1f} s   (target: under 60 s)")
    print(f"second build: {second:6.1f} s   added {again.voters_created} electors, {again.contacts_created} contacts")
    _baseline(args.electors)


def _baseline(electors: int) -> None:
    """The same voters through Django's bulk_create, for comparison with the COPY path."""
    from django.db import transaction

    from canvass.models import Voter

    rows = list(
        Voter.objects.values(
            "polling_district_id",
            "household_id",
            "elector_number",
            "surname",
            "forenames",
            "markers",
            "is_postal_voter",
        )[:electors]
    )
    with transaction.atomic():
        Voter.objects.all().update(on_register=False)
        started = time.perf_counter()
        Voter.objects.bulk_create((Voter(**row) for row in rows), batch_size=5000)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"baseline: {len(rows):,} electors alone through bulk_create: {elapsed:6.1f} s")


if __name__ == "__main__":
    main()
