"""Import an electoral register file and print the report.

    manage.py import_register FILE [--kind full|update|absent|marked] [--dry-run] [--accept-skipped-rows]
                                   [--council NAME] [--election-date YYYY-MM-DD] [--confirm-nothing-to-change]

A file with rejected rows changes nothing unless --accept-skipped-rows is given; the command then exits
with an error status so scripts notice. An update in which nothing would change is never applied: the command
exits with an error status unless --confirm-nothing-to-change says that was expected.
"""

import datetime as dt
import logging
import os

from django.core.management.base import BaseCommand, CommandError

from canvass.models import RegisterImport
from canvass.register.reader import RegisterFileError
from canvass.register.services import file_import, register_changed_announce
from wards.models import Council

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import a full register, a monthly update, an absent voters list or a marked register (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=RegisterImport.Kind.values, default=RegisterImport.Kind.FULL)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument("--accept-skipped-rows", action="store_true", help="Apply the good rows of a bad file.")
        parser.add_argument("--council", help="Council name (needed only when there is more than one).")
        parser.add_argument("--election-date", type=dt.date.fromisoformat, help="Marked registers: YYYY-MM-DD.")
        parser.add_argument(
            "--confirm-nothing-to-change",
            action="store_true",
            help="An update that changes nothing is expected (for example a month already imported): exit 0.",
        )

    def handle(self, *args, **options):
        council = self._council(options["council"])
        kind, path = options["kind"], options["file"]
        if kind == RegisterImport.Kind.MARKED and not options["election_date"]:
            raise CommandError("--election-date is required for a marked register")
        try:
            with open(path, "rb") as handle:
                report = file_import(
                    kind=kind,
                    file=handle,
                    council=council,
                    dry_run=options["dry_run"],
                    accept_skipped_rows=options["accept_skipped_rows"],
                    election_date=options["election_date"],
                    file_name=os.path.basename(path),
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except RegisterFileError as error:
            raise CommandError(f"{path}: {error}") from None
        except Exception as error:  # never a traceback for a bad file: say what failed; the transaction rolled back
            logger.exception("register import of a file failed")
            failure = type(error).__name__
            raise CommandError(f"{path}: the import failed unexpectedly ({failure}); nothing was changed") from None
        register_changed_announce(report)
        self.stdout.write(report.as_text())
        if report.outcome == "rejected":
            raise CommandError(f"{report.rejected_total} rows rejected: nothing was changed")
        if report.outcome == "nothing to change":
            if not options["confirm_nothing_to_change"]:
                raise CommandError(
                    "nothing in this update would change the register: not applied "
                    "(give --confirm-nothing-to-change if that is expected)"
                )
            self.stdout.write("Confirmed: nothing in this update changes the register.")

    def _council(self, name: str | None) -> Council:
        councils = Council.objects.filter(name=name) if name else Council.objects.all()
        found = list(councils[:2])
        if len(found) != 1:
            known = ", ".join(Council.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"Name the council with --council (known councils: {known})")
        return found[0]
