"""Benchmark: a 150,000-elector Xpress register imported end to end on PostgreSQL, against its baselines.

    DATABASE_URL=postgres://… .venv/bin/python bench/register_import.py [--electors 150000] [--iex-rows 3000]

Runs in a throwaway test database (created and dropped here). Prints, in one run:
  1. the import end to end (upload stored in the database, job run, report): seconds and peak memory;
  2. a raw COPY of the same file into a bare table (the physical floor) and the ratio;
  2b. the floor of this schema: the import's own finished rows COPYed into the real household and voter
      tables, once with their indexes and foreign keys kept up row by row, once with PostgreSQL's bulk-load
      recipe (drop them, COPY, build them again), as the import itself does;
  3. the same rows through django-import-export (on a subset, extrapolated linearly) and the ratio;
  4. a monthly update of 2,000 changes;
  5. the annual renumbering: the whole register imported again, every voter renumbered.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from canvass.models import Household, RegisterImport, Voter  # noqa: E402
from canvass.register import generator  # noqa: E402
from canvass.register.rebuild import indexes_rebuilt_after  # noqa: E402
from canvass.register.services import (  # noqa: E402
    register_import,
    register_import_job_run,
    register_update_apply,
)
from canvass.signals import register_changed  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from wards.models import Council, PollingDistrict, Ward  # noqa: E402
from wards.receivers import AFTER_REGISTER_IMPORT, recompute_after_register_import  # noqa: E402
from wards.services import wards_recompute  # noqa: E402

DISTRICT_CODES = [f"{a}{b}{n}" for a, b in ("AB", "AC", "AD", "AE", "AF", "AG") for n in range(1, 5)]


def cpu_seconds() -> tuple[float, float]:
    """(this process, the PostgreSQL backend serving it): CPU time, to tell work from waiting on a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    backend = 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        pass  # PostgreSQL on another machine: only our own CPU is known
    return own.ru_utime + own.ru_stime, backend


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_council() -> Council:
    council = Council.objects.create(name="Bench Borough", total_seats=54)
    for position, code in enumerate(DISTRICT_CODES):
        ward, _ = Ward.objects.get_or_create(council=council, name=f"Ward {position // 4}", defaults={"zone": "north"})
        PollingDistrict.objects.create(ward=ward, code=code)
    return council


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s")
    return seconds, result


def raw_copy(path: str) -> float:
    columns = ", ".join(f"c{i} text" for i in range(13))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_bare ({columns})")
    with open(path, "rb") as handle, connection.cursor() as cursor:
        handle.read(3)  # the BOM-free clean file starts with its header; COPY skips the header itself
        handle.seek(0)
        started = time.perf_counter()
        cursor.cursor.copy_expert("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT COUNT(*) FROM bench_bare")
        print(f"raw COPY into a bare table: {seconds:.2f} s ({cursor.fetchone()[0]} rows)")
    return seconds


def _copy_columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if not field.generated]


def schema_floor() -> tuple[float, float]:
    """Seconds to COPY the finished households and voters back into their tables: (indexes and foreign keys
    kept, rebuilt after). No parsing, grouping or matching: what any importer into this schema must pay."""
    dumps = {}
    with connection.cursor() as cursor:
        for model in (Household, Voter):
            buffer = io.StringIO()
            columns = ", ".join(_copy_columns(model))
            cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) TO STDOUT", buffer)
            dumps[model] = buffer.getvalue()
    results = []
    for rebuilt in (False, True):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {Voter._meta.db_table}, {Household._meta.db_table} CASCADE")
                started = time.perf_counter()
                with indexes_rebuilt_after((Household, Voter), enabled=rebuilt):
                    for model, data in dumps.items():
                        columns = ", ".join(_copy_columns(model))
                        sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
                        cursor.cursor.copy_expert(sql, io.StringIO(data))
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign-key checks a commit would run
                results.append(time.perf_counter() - started)
            transaction.set_rollback(True)  # the imported register stays for the monthly update below
    return results[0], results[1]


def import_export_seconds(path: str, rows: int, total: int) -> float:
    import tablib
    from import_export import fields, resources, widgets

    from canvass.models import Household, Voter
    from canvass.register.records import address_key

    class VoterResource(resources.ModelResource):
        polling_district = fields.Field(
            attribute="polling_district",
            column_name="Elector Number Prefix",
            widget=widgets.ForeignKeyWidget(PollingDistrict, "code"),
        )
        household = fields.Field(
            attribute="household", column_name="household", widget=widgets.ForeignKeyWidget(Household)
        )
        elector_number = fields.Field(attribute="elector_number", column_name="Elector Number")
        elector_suffix = fields.Field(attribute="elector_suffix", column_name="Elector Number Suffix")
        markers = fields.Field(attribute="markers", column_name="Elector Markers")
        surname = fields.Field(attribute="surname", column_name="Elector Name")

        class Meta:
            model = Voter
            import_id_fields = ("polling_district", "elector_number", "elector_suffix")
            fields = ("polling_district", "household", "elector_number", "elector_suffix", "markers", "surname")

        def before_import_row(self, row, **kwargs):
            district = PollingDistrict.objects.get(code=row["Elector Number Prefix"])
            lines = [row[f"Address{i}"] for i in range(1, 7) if row[f"Address{i}"]]
            household, _ = Household.objects.get_or_create(
                polling_district=district,
                address_key=address_key(lines, row["PostCode"]),
                defaults={"address": "\n".join(lines), "postcode": row["PostCode"]},
            )
            row["household"] = household.pk

    with open(path, encoding="utf-8") as handle:
        head = "".join(next(handle) for _ in range(rows + 1))
    dataset = tablib.Dataset().load(head, format="csv")
    started = time.perf_counter()
    result = VoterResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not result.has_errors()
    extrapolated = seconds * total / rows
    print(
        f"django-import-export: {seconds:.2f} s for {rows} rows (a subset: the full file would take too long), "
        f"extrapolated linearly to {total}: {extrapolated:.1f} s"
    )
    return extrapolated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--electors", type=int, default=150_000)
    parser.add_argument("--iex-rows", type=int, default=3000)
    parser.add_argument("--changes", type=int, default=2000)
    args = parser.parse_args()
    if not is_postgres():
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"throwaway database {test_db}; figures from a shared, busy 2-core machine")
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(args) -> None:
    council = setup_council()
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        path = handle.name
        seconds, _ = timed(
            f"generate a {args.electors}-elector Xpress file",
            lambda: generator.write_register(
                generator.electors(districts=DISTRICT_CODES, count=args.electors, seed=1), handle
            ),
        )
    size = os.path.getsize(path)
    print(f"file: {size / 1e6:.1f} MB")
    try:
        baseline_rss = rss_mb()
        with open(path, "rb") as handle:
            data = handle.read()

        def end_to_end():
            job = RegisterImport.objects.create(council=council, file_name="bench.csv", file_size=size, file_data=data)
            return register_import_job_run(job_id=job.pk)

        # The statistics recompute an import triggers runs later on a worker; without a broker (eager Celery)
        # it would run inline, inside the timing: it is timed on its own below.
        register_changed.disconnect(dispatch_uid=AFTER_REGISTER_IMPORT)
        cpu_before = cpu_seconds()
        import_seconds, job = timed("import end to end (upload row, job, report)", end_to_end)
        cpu_after = cpu_seconds()
        own_cpu, db_cpu = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
        peak = rss_mb()
        print(f"  status {job.status}, counts {job.report['counts']}, timings {job.report['timings']}")
        print(f"  peak RSS of the whole process: {peak:.0f} MB (before the import: {baseline_rss:.0f} MB)")
        print(
            f"  CPU used: {own_cpu:.2f} s in Python, {db_cpu:.2f} s in the PostgreSQL backend "
            f"(wall time above that is waiting for a core on this shared machine: load {os.getloadavg()[0]:.1f})"
        )
        timed(
            "  then the statistics recompute it triggers (on a worker, after the import)",
            lambda: wards_recompute(ward_ids=list(Ward.objects.values_list("id", flat=True))),
        )
        copy_seconds = raw_copy(path)
        kept_seconds, rebuilt_seconds = schema_floor()
        print(
            "schema floor, the import's finished rows COPYed into the real tables:\n"
            f"  indexes and foreign keys kept up row by row: {kept_seconds:.2f} s "
            f"({kept_seconds / copy_seconds:.1f}x the raw COPY)\n"
            f"  with PostgreSQL's bulk-load recipe (drop, COPY, rebuild): {rebuilt_seconds:.2f} s "
            f"({rebuilt_seconds / copy_seconds:.1f}x the raw COPY)"
        )
        iex_seconds = import_export_seconds(path, args.iex_rows, args.electors)
        ratio = import_seconds / copy_seconds
        verdict = "met" if ratio <= 5 else "NOT met"
        print(f"ratio import / raw COPY: {ratio:.1f}x (goal: within 5x: {verdict})")
        print(
            f"ratio import / schema floor with the bulk-load recipe: {import_seconds / rebuilt_seconds:.1f}x "
            "(parsing, normalising, grouping households and matching: the import's own work)"
        )
        print(f"ratio django-import-export / import: {iex_seconds / import_seconds:.0f}x (goal: at least 20x)")
        register = list(generator.electors(districts=DISTRICT_CODES, count=args.electors, seed=1))
        third = args.changes // 3
        changes = generator.monthly_changes(
            register, seed=9, adds=args.changes - 2 * third, amends=third, deletes=third
        )
        update = generator.update_bytes(changes)
        seconds, report = timed(
            f"monthly update of {len(changes)} changes",
            lambda: register_update_apply(file=io.BytesIO(update), council=council),
        )
        print(f"  counts {report.counts} (goal: under 2 s)")
        republished = generator.register_bytes(generator.renumbered(register, seed=4, leavers=1500, joiners=50))
        renumbering_seconds, report = timed(
            "the annual renumbering: the whole register again, every voter renumbered",
            lambda: register_import(file=republished, council=council),
        )
        print(f"  counts {report.counts}, indexes rebuilt: {report.indexes_rebuilt}")
        register_changed.connect(recompute_after_register_import, dispatch_uid=AFTER_REGISTER_IMPORT)
        print(
            f"SUMMARY import {import_seconds:.2f} s (goal < 10), peak RSS {peak:.0f} MB (goal < 300), "
            f"raw COPY {copy_seconds:.2f} s, schema floor {rebuilt_seconds:.2f} s, "
            f"django-import-export ~{iex_seconds:.0f} s, update {seconds:.2f} s, "
            f"renumbering {renumbering_seconds:.2f} s"
        )
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
