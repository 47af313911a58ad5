"""Benchmark: register imports of every kind on PostgreSQL, beside the schema floor, at one or more sizes.

    DATABASE_URL=postgres://… .venv/bin/python bench/register_import.py [--sizes 50000,150000,450000]
        [--electors 150000] [--iex-rows 200] [--no-command]

Runs in a throwaway test database (created and dropped here). For each size, a child process writes the files
(a full Xpress register, a monthly update, the annual republication with everyone renumbered, an absent voters
list and a marked register), then this process prints, in one run:
  1. the first import end to end (upload stored in the database, job run, report);
  2. the schema floor: the import's own finished rows COPYed into the real household and voter tables, with
     their indexes and foreign keys kept up row by row, and with PostgreSQL's bulk-load recipe (drop them, COPY,
     build them again), as the import itself does; the first import's ratio to the latter;
  3. a re-import of the same file, the monthly update, the annual renumbering, the absent voters list and the
     marked register;
each with its seconds, cpu_seconds (this process and its PostgreSQL backend: on a busy machine wall time is
mostly waiting) and peak resident memory (the high-water mark reset before each step).
At the largest size, `manage.py import_register` runs the first import, the re-import and the renumbering in
child processes under /usr/bin/time, which reports each one's peak memory.
Then a growth table (seconds and microseconds per elector for every kind at every size) and a summary of the
ratios against their goals. Optionally (--iex-rows) django-import-export on a subset, extrapolated.
"""

import argparse
import contextlib
import datetime as dt
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvass.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from canvass.models import Household, RegisterImport, TurnoutRecord, Voter  # noqa: E402
from canvass.register import generator  # noqa: E402
from canvass.register.rebuild import indexes_rebuilt_after  # noqa: E402
from canvass.register.services import file_import, register_import_job_run  # noqa: E402
from canvass.signals import register_changed  # noqa: E402
from canvass.sql import is_postgres  # noqa: E402
from wards.models import Council, PollingDistrict, Ward  # noqa: E402
from wards.receivers import AFTER_REGISTER_IMPORT, recompute_after_register_import  # noqa: E402

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


def _copy_columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if not field.generated]


TIME = "/usr/bin/time"
FLOOR_CPU: dict[bool, float] = {}  # cpu_seconds of the last schema floor: indexes kept (False), rebuilt (True)


def schema_floor() -> tuple[float, float]:
    """Seconds to COPY the finished households and voters back into their tables: (indexes and foreign keys
    kept, rebuilt after). No parsing, grouping or matching: what any importer into this schema must pay.
    The rows go through files on disk, not this process's memory, which the import's steps are measured by."""
    dumps = {}
    with connection.cursor() as cursor:
        for model in (Household, Voter):
            dumps[model] = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after both loads)
            columns = ", ".join(_copy_columns(model))
            cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) TO STDOUT", dumps[model])
    results = []
    for rebuilt in (False, True):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {Voter._meta.db_table}, {Household._meta.db_table} CASCADE")
                cpu_before = sum(cpu_seconds())
                started = time.perf_counter()
                with indexes_rebuilt_after((Household, Voter), enabled=rebuilt):
                    for model, dump in dumps.items():
                        dump.seek(0)
                        columns = ", ".join(_copy_columns(model))
                        sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
                        cursor.cursor.copy_expert(sql, dump)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign-key checks a commit would run
                results.append(time.perf_counter() - started)
                FLOOR_CPU[rebuilt] = sum(cpu_seconds()) - cpu_before
            transaction.set_rollback(True)  # the imported register stays for the monthly update below
    for dump in dumps.values():
        dump.close()
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


KINDS_TIMED = (
    ("first import", "full"),
    ("re-import of the same file", "full"),
    ("monthly update", "update"),
    ("annual renumbering", "full"),
    ("absent voters list", "absent"),
    ("marked register", "marked"),
)


def write_files(directory: str, electors: int, changes: int) -> None:
    """Every file one size's run imports, written by a child process: the lists of electors the generator needs
    for the update and the renumbering never count against the benchmark process's memory."""
    import random

    register = list(generator.electors(districts=DISTRICT_CODES, count=electors, seed=1))
    folder = Path(directory)
    with open(folder / "register.csv", "wb") as out:
        generator.write_register(register, out)
    third = changes // 3
    with open(folder / "update.csv", "wb") as out:
        generator.write_update(
            generator.monthly_changes(register, seed=9, adds=changes - 2 * third, amends=third, deletes=third), out
        )
    # The annual republication: 1% leave, a few join, everyone renumbered (3,000 and 50 at 150,000 before).
    leavers, joiners = electors // 100, max(electors // 3000, 1)
    republished = generator.renumbered(register, seed=4, leavers=leavers, joiners=joiners)
    with open(folder / "renumbered.csv", "wb") as out:
        generator.write_register(republished, out)
    rng = random.Random(4)
    absent = [(e, rng.choice(("P", "P", "P", "X"))) for e in republished if rng.random() < 0.2]
    (folder / "absent.csv").write_bytes(generator.keyed_list_bytes("absent", absent))
    rng = random.Random(5)
    marks = [(e, ("x" if rng.random() < 0.3 else "v") if rng.random() < 0.4 else "") for e in republished]
    (folder / "marked.csv").write_bytes(generator.keyed_list_bytes("marked", marks))


def peak_reset() -> None:
    """Start a new high-water mark of this process's resident memory (Linux: /proc/self/clear_refs, 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    """This process's peak resident memory since `peak_reset` (VmHWM), else since it started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mb()


@dataclass
class Step:
    label: str
    kind: str
    electors: int
    seconds: float
    own_cpu: float
    db_cpu: float
    peak: float
    counts: dict


def measured(label: str, kind: str, electors: int, function) -> tuple[Step, object]:
    gc.collect()
    peak_reset()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    own_cpu, db_cpu = (after - before for after, before in zip(cpu_seconds(), cpu_before, strict=True))
    report = result.report if isinstance(result, RegisterImport) else result.as_dict()
    step = Step(label, kind, electors, seconds, own_cpu, db_cpu, peak_mb(), report["counts"])
    print(
        f"  {label} ({kind}): {seconds:.2f} s, cpu_seconds {own_cpu:.2f} Python + {db_cpu:.2f} PostgreSQL, "
        f"peak RSS {step.peak:.0f} MB, applied {report['applied']}, counts {report['counts']}"
    )
    return step, result


def register_reset() -> Council:
    with connection.cursor() as cursor:
        tables = ", ".join(
            model._meta.db_table for model in (TurnoutRecord, Voter, Household, RegisterImport, PollingDistrict)
        )
        cursor.execute(f"TRUNCATE {tables} CASCADE")
    Ward.objects.all().delete()
    Council.objects.all().delete()
    return setup_council()


def size_run(electors: int, args, folder: str) -> tuple[list[Step], float]:
    print(f"\n=== {electors} electors ===")
    changes = max(args.changes * electors // 150_000, 3)
    subprocess.run(
        [sys.executable, __file__, "--write-files", folder, "--electors", str(electors), "--changes", str(changes)],
        check=True,
    )
    council = register_reset()
    names = ("register", "update", "renumbered", "absent", "marked")
    files = {name: os.path.join(folder, f"{name}.csv") for name in names}
    size = os.path.getsize(files["register"])
    print(f"  files written by a child process; the register is {size / 1e6:.1f} MB")
    # The statistics recompute an import triggers runs later on a worker; without a broker (eager Celery)
    # it would run inline, inside the timing.
    register_changed.disconnect(dispatch_uid=AFTER_REGISTER_IMPORT)
    steps = []

    # The upload is stored by the web process (the admin form), the import run by a worker: the upload row is
    # written by a child process, as the web process would, so its bytes never count against this one.
    started = time.perf_counter()
    stored = subprocess.run(
        [sys.executable, __file__, "--store-upload", files["register"], "--council", str(council.pk)],
        env=dict(os.environ, DATABASE_URL=_database_url(connection.settings_dict["NAME"])),
        check=True,
        capture_output=True,
        text=True,
    )
    job = RegisterImport.objects.get(pk=int(stored.stdout.split()[-1]))
    print(f"  the upload row stored by a child process (the admin form's work): {time.perf_counter() - started:.2f} s")

    def from_file(kind: str, name: str, **options):
        def run():
            with open(files[name], "rb") as handle:
                return file_import(kind=kind, file=handle, council=council, **options)

        return run

    step, _ = measured(
        "first import (the job: upload read from the database, import, report)",
        "full",
        electors,
        lambda: register_import_job_run(job_id=job.pk),
    )
    steps.append(step)
    kept_seconds, floor = schema_floor()
    print(
        f"  schema floor (the finished rows COPYed in): indexes kept up row by row {kept_seconds:.2f} s; "
        f"with the bulk-load recipe {floor:.2f} s (cpu_seconds {FLOOR_CPU[True]:.2f}); the first import's "
        f"cpu_seconds are {(step.own_cpu + step.db_cpu) / FLOOR_CPU[True]:.2f}x the floor's"
    )
    if args.iex_rows and electors == args.iex_at:
        with transaction.atomic():  # rolled back: the re-import below finds the register the import left
            import_export_seconds(files["register"], args.iex_rows, electors)
            transaction.set_rollback(True)
    plan = (
        ("re-import of the same file", "full", "register", {}),
        ("monthly update", "update", "update", {}),
        ("annual renumbering", "full", "renumbered", {}),
        ("absent voters list", "absent", "absent", {}),
        ("marked register", "marked", "marked", {"election_date": dt.date(2026, 5, 7)}),
    )
    for label, kind, name, options in plan:
        step, _ = measured(label, kind, electors, from_file(kind, name, **options))
        steps.append(step)
    register_changed.connect(recompute_after_register_import, dispatch_uid=AFTER_REGISTER_IMPORT)
    return steps, floor


def command_run(electors: int, folder: str) -> list[tuple[str, float, float]]:
    """`manage.py import_register` in child processes: the first import, the same file again, the renumbering,
    each under /usr/bin/time, whose figure is the command's own peak. (A child forked from this process would
    report this process's size instead: Linux carries the peak of the image a child is forked from across exec.)
    """
    if not os.path.exists(TIME):
        print(f"  {TIME} is not installed: the command's peak memory is not measured")
        return []
    register_reset()
    environment = dict(os.environ, DATABASE_URL=_database_url(connection.settings_dict["NAME"]))
    manage = str(Path(__file__).resolve().parent.parent / "manage.py")
    results = []
    for label, name in (("first import", "register"), ("re-import", "register"), ("renumbering", "renumbered")):
        started = time.perf_counter()
        with tempfile.NamedTemporaryFile("r") as peak_file:
            subprocess.run(
                [TIME, "-f", "%M", "-o", peak_file.name]
                + [sys.executable, manage, "import_register", os.path.join(folder, f"{name}.csv")],
                env=environment,
                stdout=subprocess.DEVNULL,
                check=True,
            )
            peak = int(peak_file.read().split()[-1]) / 1024
        seconds = time.perf_counter() - started
        print(f"  manage.py import_register {name}.csv ({label}): {seconds:.2f} s, peak RSS {peak:.0f} MB")
        results.append((label, seconds, peak))
    return results


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def growth_table(results: dict[int, list[Step]]) -> None:
    sizes = sorted(results)
    print("\ngrowth table: seconds per kind, and microseconds per elector (linear: the same at every size)")
    header = "".join(f"{size:>12} s {'µs/el':>7}" for size in sizes)
    print(f"  {'kind':<28}{header}  per-elector ratio {sizes[-1]} / {sizes[0]}")
    for position, (label, _) in enumerate(KINDS_TIMED):
        cells, per = "", []
        for size in sizes:
            step = results[size][position]
            per.append(step.seconds / size * 1e6)
            cells += f"{step.seconds:>14.2f} {per[-1]:>7.1f}"
        print(f"  {label:<28}{cells}  {per[-1] / per[0]:.2f}")
    print("  cpu_seconds (Python + PostgreSQL backend), which the shared machine's load does not inflate:")
    for position, (label, _) in enumerate(KINDS_TIMED):
        cells, per = "", []
        for size in sizes:
            step = results[size][position]
            cpu = step.own_cpu + step.db_cpu
            per.append(cpu / size * 1e6)
            cells += f"{cpu:>14.2f} {per[-1]:>7.1f}"
        print(f"  {label:<28}{cells}  {per[-1] / per[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--electors", type=int, default=150_000, help="one size (see --sizes)")
    parser.add_argument("--sizes", help="comma-separated sizes for the growth table, e.g. 50000,150000,450000")
    parser.add_argument("--iex-rows", type=int, default=0, help="django-import-export on this many rows (0: not run)")
    parser.add_argument("--iex-at", type=int, default=150_000, help="... at this size")
    parser.add_argument("--changes", type=int, default=2000, help="monthly update changes at 150,000 (scaled)")
    parser.add_argument("--no-command", action="store_true", help="skip manage.py import_register at the largest size")
    parser.add_argument("--write-files", help=argparse.SUPPRESS)
    parser.add_argument("--store-upload", help=argparse.SUPPRESS)
    parser.add_argument("--council", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_files:
        write_files(args.write_files, args.electors, args.changes)
        return
    if args.store_upload:
        path = args.store_upload
        with open(path, "rb") as handle:
            job = RegisterImport.objects.create(
                council_id=args.council, file_name="bench.csv", file_size=os.path.getsize(path), file_data=handle.read()
            )
        print(job.pk)
        return
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else [args.electors]
    if not is_postgres():
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"throwaway database {test_db}; figures from a shared, busy 2-core machine (load {os.getloadavg()[0]:.1f})")
    try:
        run(args, sizes)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(args, sizes: list[int]) -> None:
    results, floors = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for electors in sizes:
            results[electors], floors[electors] = size_run(electors, args, folder)
        largest = sizes[-1]
        commands = [] if args.no_command else command_run(largest, folder)
    growth_table(results)
    print("\nSUMMARY (ratios from the same run)")
    for electors in sizes:
        first, again, _, renumbering, *_ = results[electors]
        ratio = first.seconds / floors[electors]
        print(
            f"  {electors}: first import {first.seconds:.2f} s = {ratio:.2f}x the schema floor "
            f"{floors[electors]:.2f} s "
            f"(goal at 150,000: within 2x); re-import {again.seconds / first.seconds:.2f}x, renumbering "
            f"{renumbering.seconds / first.seconds:.2f}x the first import (goal: within 1.2x); cpu_seconds first "
            f"{first.own_cpu + first.db_cpu:.2f}, re-import {again.own_cpu + again.db_cpu:.2f}, renumbering "
            f"{renumbering.own_cpu + renumbering.db_cpu:.2f}"
        )
    peaks = ", ".join(f"{step.label} {step.peak:.0f} MB" for step in results[largest])
    print(f"  peak RSS in the benchmark process at {largest}: {peaks} (goal < 300 MB)")
    if commands:
        shown = ", ".join(f"{label} {peak:.0f} MB" for label, _, peak in commands)
        print(f"  peak RSS of manage.py import_register at {largest}: {shown} (goal < 300 MB)")


if __name__ == "__main__":
    main()
