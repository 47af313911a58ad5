"""Build the Basingstoke and Deane demo council and print the demo logins.

Usage: manage.py load_demo [--electors 20000] [--seed 2026] [--reload] [--force]

Deterministic for a seed; running it again adds nothing it already has. When the last build for the
same seed and size finished and its register is untouched, it says so and stops within a second;
--reload goes through the whole build anyway. Refuses to run with DEBUG off (a production database)
unless --force is given.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from canvass.demo.build import demo_council_build, demo_council_loaded, demo_logins


class Command(BaseCommand):
    help = "Build the Basingstoke and Deane demo council: wards, register, campaign team, canvass returns."

    def add_arguments(self, parser):
        parser.add_argument("--electors", type=int, default=20_000, help="How many electors (default 20,000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed, the same council.")
        parser.add_argument("--reload", action="store_true", help="Build again even when already loaded.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, electors, seed, reload, force, **options):
        if electors < 0:
            raise CommandError("--electors must be zero or more")
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Add --force to load demo data anyway.")
        if not reload and demo_council_loaded(electors=electors, seed=seed):
            self.stdout.write(
                f"Demo council already loaded (seed {seed}, {electors:,} electors): nothing to do. "
                "--reload builds it again."
            )
            self._logins(demo_logins())
            return
        started = time.monotonic()
        summary = demo_council_build(electors=electors, seed=seed)
        self.stdout.write(
            f"Demo council ready in {time.monotonic() - started:.1f}s: {summary.wards} wards, "
            f"{summary.households_created} households, {summary.voters_created} electors and "
            f"{summary.contacts_created} contacts and {summary.walk_lists_created} walk lists added."
        )
        self._logins(summary.users)

    def _logins(self, users: list[tuple[str, str, str]]) -> None:
        self.stdout.write("Demo logins (username / password):")
        for username, password, description in users:
            self.stdout.write(f"  {username:<8} / {password:<20} {description}")
