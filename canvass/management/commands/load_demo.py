"""Build the Basingstoke and Deane demo council and print the demo logins.

Usage: manage.py load_demo [--electors 20000] [--seed 2026] [--force]

Deterministic for a seed; running it again adds nothing it already has. Refuses to run with
DEBUG off (a production database) unless --force is given.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from canvass.demo.build import demo_council_build


class Command(BaseCommand):
    help = "Build the Basingstoke and Deane demo council: wards, register, campaign team, canvass returns."

    def add_arguments(self, parser):
        parser.add_argument("--electors", type=int, default=20_000, help="How many electors (default 20,000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed, the same council.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, electors, seed, force, **options):
        if electors < 0:
            raise CommandError("--electors must be zero or more")
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Add --force to load demo data anyway.")
        started = time.monotonic()
        summary = demo_council_build(electors=electors, seed=seed)
        self.stdout.write(
            f"Demo council ready in {time.monotonic() - started:.1f}s: {summary.wards} wards, "
            f"{summary.households_created} households, {summary.voters_created} electors and "
            f"{summary.contacts_created} contacts and {summary.walk_lists_created} walk lists added."
        )
        self.stdout.write("Demo logins (username / password):")
        for username, password, description in summary.users:
            self.stdout.write(f"  {username:<8} / {password:<20} {description}")
