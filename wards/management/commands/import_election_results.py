from django.core.management.base import BaseCommand, CommandError

from wards.elections.importer import ResultsImportError, election_results_import
from wards.models import Council, ElectionKind


class Command(BaseCommand):
    help = "Import election results: a CSV with one row per candidate, optionally a second of ballots and electorate."

    def add_arguments(self, parser):
        parser.add_argument(
            "results", help="CSV: election date, ward, candidate, party, votes, elected [, ballots, electorate, seats]"
        )
        parser.add_argument("--totals", help="CSV: election date, ward, ballots, electorate [, seats]")
        parser.add_argument("--council", required=True, help="The council's name")
        parser.add_argument("--kind", required=True, choices=ElectionKind.values)

    def handle(self, *args, results, totals, council, kind, **options):
        try:
            council_obj = Council.objects.get(name=council)
        except Council.DoesNotExist as error:
            raise CommandError(f"No council named {council!r}") from error
        with open(results, "rb") as results_file:
            totals_file = open(totals, "rb") if totals else None  # noqa: SIM115 (closed below)
            try:
                summary = election_results_import(
                    council=council_obj,
                    kind=kind,
                    results=results_file,
                    totals=totals_file,
                    results_name=results,
                    totals_name=totals or "totals",
                )
            except ResultsImportError as error:
                raise CommandError(str(error)) from error
            finally:
                if totals_file:
                    totals_file.close()
        self.stdout.write(
            f"Imported {summary.candidates} candidates in {summary.contests} ward contests "
            f"({summary.elections} election(s)); {summary.wards_refreshed} wards' last results refreshed."
        )
