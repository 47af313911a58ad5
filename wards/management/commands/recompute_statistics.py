"""Recompute ward statistics, target lists and the rollout now.

Usage:
    manage.py recompute_statistics              # every ward, in one set-based pass
    manage.py recompute_statistics --ward Popley
    manage.py recompute_statistics --if-stale   # only when figures are missing or older than the data (`make run`)
"""

import time

from django.core.management.base import BaseCommand, CommandError

from wards.models import Ward
from wards.selectors import ward_statistics_stale
from wards.services import wards_recompute


class Command(BaseCommand):
    help = "Recompute ward statistics, target lists and the rollout (all wards, or one with --ward)."

    def add_arguments(self, parser):
        parser.add_argument("--ward", metavar="NAME", help="Only this ward (its name, as in the admin).")
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Skip when every ward's figures are newer than its contacts, the last register import and a day.",
        )

    def handle(self, *args, ward=None, if_stale=False, **options):
        ward_ids = None
        if ward:
            matches = list(Ward.objects.filter(name__iexact=ward).values_list("id", flat=True))
            if not matches:
                raise CommandError(f"--ward {ward!r}: no ward has that name")
            if len(matches) > 1:
                raise CommandError(f"--ward {ward!r}: {len(matches)} councils have a ward of that name")
            ward_ids = matches
        if if_stale and not ward_statistics_stale(ward_ids=ward_ids):
            self.stdout.write("Statistics are up to date: nothing recomputed (drop --if-stale to recompute anyway).")
            return
        started = time.perf_counter()
        done = wards_recompute(ward_ids=ward_ids)
        self.stdout.write(f"Recomputed {len(done)} ward(s) in {time.perf_counter() - started:.2f} s")
