"""Recompute ward statistics, target lists and the rollout now.

Usage:
    manage.py recompute_statistics              # every ward, in one set-based pass
    manage.py recompute_statistics --ward Popley
"""

import time

from django.core.management.base import BaseCommand, CommandError

from wards.models import Ward
from wards.services import wards_recompute


class Command(BaseCommand):
    help = "Recompute ward statistics, target lists and the rollout (all wards, or one with --ward)."

    def add_arguments(self, parser):
        parser.add_argument("--ward", metavar="NAME", help="Only this ward (its name, as in the admin).")

    def handle(self, *args, ward=None, **options):
        ward_ids = None
        if ward:
            matches = list(Ward.objects.filter(name__iexact=ward).values_list("id", flat=True))
            if not matches:
                raise CommandError(f"--ward {ward!r}: no ward has that name")
            if len(matches) > 1:
                raise CommandError(f"--ward {ward!r}: {len(matches)} councils have a ward of that name")
            ward_ids = matches
        started = time.perf_counter()
        done = wards_recompute(ward_ids=ward_ids)
        self.stdout.write(f"Recomputed {len(done)} ward(s) in {time.perf_counter() - started:.2f} s")
