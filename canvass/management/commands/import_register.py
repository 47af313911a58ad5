"""Import an electoral register file and print the report.

    manage.py import_register FILE [--kind full|update|absent|marked] [--dry-run] [--accept-skipped-rows]
                                   [--council NAME] [--election-date YYYY-MM-DD]

A file with rejected rows changes nothing unless --accept-skipped-rows is given; the command then exits
with an error status so scripts notice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from canvass.models import RegisterImport
from canvass.register.reader import RegisterFileError
from canvass.register.services import (
    absent_voters_import,
    marked_register_import,
    register_changed_announce,
    register_import,
    register_update_apply,
)
from wards.models import Council


class Command(BaseCommand):
    help = "Import a full register, a monthly update, an absent voters list or a marked register (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=RegisterImport.Kind.values, default=RegisterImport.Kind.FULL)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument("--accept-skipped-rows", action="store_true", help="Apply the good rows of a bad file.")
        parser.add_argument("--council", help="Council name (needed only when there is more than one).")
        parser.add_argument("--election-date", type=dt.date.fromisoformat, help="Marked registers: YYYY-MM-DD.")

    def handle(self, *args, **options):
        council = self._council(options["council"])
        kind = options["kind"]
        common = {"council": council, "dry_run": options["dry_run"]}
        common["accept_skipped_rows"] = options["accept_skipped_rows"]
        if kind == RegisterImport.Kind.MARKED:
            if not options["election_date"]:
                raise CommandError("--election-date is required for a marked register")
            common["election_date"] = options["election_date"]
        service = {
            RegisterImport.Kind.FULL: register_import,
            RegisterImport.Kind.UPDATE: register_update_apply,
            RegisterImport.Kind.ABSENT: absent_voters_import,
            RegisterImport.Kind.MARKED: marked_register_import,
        }[kind]
        try:
            with open(options["file"], "rb") as handle:
                report = service(file=handle, **common)
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}") from None
        except RegisterFileError as error:
            raise CommandError(f"{options['file']}: {error}") from None
        register_changed_announce(report)
        self.stdout.write(report.as_text())
        if report.outcome == "rejected":
            raise CommandError(f"{report.rejected_total} rows rejected: nothing was changed")

    def _council(self, name: str | None) -> Council:
        councils = Council.objects.filter(name=name) if name else Council.objects.all()
        found = list(councils[:2])
        if len(found) != 1:
            known = ", ".join(Council.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"Name the council with --council (known councils: {known})")
        return found[0]
