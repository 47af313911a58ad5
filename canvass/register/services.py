"""Register imports: full registers, monthly updates, absent voters lists and marked registers.

Each service reads the file as a stream, stages the good rows (COPY on PostgreSQL), checks them against
the database, and applies set-based SQL, all in one transaction. Rows with errors are reported with line,
column and reason; unless the caller accepts skipping them, a file with errors changes nothing.
"""

import datetime as dt
import io
import logging
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from canvass.models import Household, RegisterImport, Voter
from canvass.register import apply
from canvass.register.layouts import ABSENT_LAYOUTS, MARKED_LAYOUTS, REGISTER_LAYOUTS
from canvass.register.reader import CsvRows, RegisterFileError
from canvass.register.rebuild import indexes_rebuilt_after, worth_rebuilding
from canvass.register.records import RecordParser, Rejection, RowRejected, StagedRow
from canvass.register.report import ImportReport
from canvass.register.staging import stage_create, stage_drop, stage_load
from canvass.signals import register_changed
from wards.models import Council, PollingDistrict

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]
PROGRESS_EVERY = 10_000
ABSENT_TYPES = {"P": "postal", "POSTAL": "postal", "X": "proxy", "PX": "proxy", "PP": "proxy", "PROXY": "proxy"}
MARKS = {"V": "in_person", "X": "postal", "": ""}


def _open(file: BinaryIO | bytes) -> BinaryIO:
    return io.BytesIO(file) if isinstance(file, bytes | bytearray | memoryview) else file


def _parsed(rows: CsvRows, report: ImportReport, parse, progress: Progress | None) -> Iterator[StagedRow]:
    for line, row in rows:
        report.rows_read += 1
        if progress and report.rows_read % PROGRESS_EVERY == 0:
            progress(report.rows_read)
        try:
            record = parse(line, row)
        except RowRejected as rejected:
            report.reject(Rejection(line, rejected.column, rejected.reason))
            continue
        yield record


def _run(
    *,
    kind: str,
    file,
    council: Council,
    layouts,
    make_parse: Callable[[RecordParser], Callable],
    check: Callable[[], list[Rejection]],
    counts: Callable[[], dict],
    apply_changes: Callable[[], None],
    dry_run: bool,
    accept_skipped_rows: bool,
    progress: Progress | None,
    rows_written: Callable[[dict], int] | None = None,
) -> ImportReport:
    started = time.perf_counter()
    rows = CsvRows(_open(file), layouts)
    report = ImportReport(kind=kind, layout=rows.columns.layout.label, dry_run=dry_run)
    report.accept_skipped_rows = accept_skipped_rows
    districts = dict(PollingDistrict.objects.filter(ward__council=council).values_list("code", "id"))
    parser = RecordParser(rows.columns, districts)
    with transaction.atomic():
        apply.imports_serialised(council.pk)
        stage_create()
        stage_load(_parsed(rows, report, make_parse(parser), progress))
        if report.rows_read == 0:
            raise RegisterFileError("The file has a header row but no electors.")
        report.unknown_districts = dict(sorted(parser.unknown_districts.items()))
        report.timings["read_and_stage_seconds"] = round(time.perf_counter() - started, 3)
        late = check()
        for rejection in late:
            report.reject(rejection)
        apply.stage_discard([r.line for r in late])
        report.counts = counts()
        report.counts["rejected rows"] = report.rejected_total
        if not dry_run and (accept_skipped_rows or not report.rejected_total):
            # Only a file that inserts or renumbers a large share of the register takes the tables' locks.
            written = rows_written(report.counts) if rows_written else 0
            report.indexes_rebuilt = worth_rebuilding(written, Voter)
            with indexes_rebuilt_after((Household, Voter), enabled=report.indexes_rebuilt):
                apply_changes()
            report.applied = True
            report.ward_ids = apply.touched_ward_ids()
        stage_drop()
        if not report.applied:
            transaction.set_rollback(True)
    report.timings["total_seconds"] = round(time.perf_counter() - started, 3)
    return report


def register_import(
    *,
    file: BinaryIO | bytes,
    council: Council,
    dry_run: bool = False,
    accept_skipped_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """A full register: match existing voters (by name and address, then by reference), add new, retire gone."""
    today = timezone.localdate()
    samples = {}

    def counts():
        values, found = apply.full_counts()
        samples.update(found)
        return values

    def apply_changes():
        apply.households_link()
        apply.full_apply(today)

    def check():
        apply.full_match()
        return []

    report = _run(
        kind="full register",
        file=file,
        council=council,
        layouts=REGISTER_LAYOUTS,
        make_parse=lambda parser: parser.elector,
        check=check,
        counts=counts,
        apply_changes=apply_changes,
        dry_run=dry_run,
        accept_skipped_rows=accept_skipped_rows,
        progress=progress,
        rows_written=lambda counts: counts["new"] + counts["renumbered"],
    )
    report.samples = samples
    return report


def register_update_apply(
    *,
    file: BinaryIO | bytes,
    council: Council,
    dry_run: bool = False,
    accept_skipped_rows: bool = False,
    effective_date: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """A monthly update: additions, amendments and deletions (a deleted voter keeps their contact history)."""
    effective_date = effective_date or timezone.localdate()

    def make_parse(parser: RecordParser):
        if not (parser.columns.has("deleted_month") or parser.columns.has("change")):
            raise RegisterFileError(
                "This file has no update columns (ElectorCreatedMonth/ElectorChangedMonth/ElectorDeletedMonth, "
                "Status or Update Type): import it as a full register instead."
            )

        def parse(line, row):
            parser.check_width(row)
            change = parser.change(row)
            if change in ("delete", "skip"):
                return parser.keyed(line, row, "change")._replace(change=change, extra="")
            return parser.elector(line, row, change)

        return parse

    def check():
        rejections = apply.update_check()
        apply.households_link()
        return rejections

    return _run(
        kind="monthly update",
        file=file,
        council=council,
        layouts=REGISTER_LAYOUTS,
        make_parse=make_parse,
        check=check,
        counts=apply.update_counts,
        apply_changes=lambda: apply.update_apply(effective_date),
        dry_run=dry_run,
        accept_skipped_rows=accept_skipped_rows,
        progress=progress,
    )


def _keyed_parse(field: str, values: dict[str, str], expected: str):
    def make_parse(parser: RecordParser):
        def parse(line, row):
            record = parser.keyed(line, row, field)
            if record.extra not in values:
                raise RowRejected(parser.columns.column_name(field), f"unknown value {record.extra!r} ({expected})")
            return record._replace(extra=values[record.extra])

        return parse

    return make_parse


def absent_voters_import(
    *,
    file: BinaryIO | bytes,
    council: Council,
    dry_run: bool = False,
    accept_skipped_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Postal and proxy voters; the list is complete for the polling districts it covers."""
    return _run(
        kind="absent voters",
        file=file,
        council=council,
        layouts=ABSENT_LAYOUTS,
        make_parse=_keyed_parse("absent_type", ABSENT_TYPES, "expected P for postal, X or PP for proxy"),
        check=lambda: apply.keyed_check("absent voters list"),
        counts=apply.absent_counts,
        apply_changes=apply.absent_apply,
        dry_run=dry_run,
        accept_skipped_rows=accept_skipped_rows,
        progress=progress,
    )


def marked_register_import(
    *,
    file: BinaryIO | bytes,
    council: Council,
    election_date: dt.date,
    dry_run: bool = False,
    accept_skipped_rows: bool = False,
    source: RegisterImport | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Who voted at a past election (v in person, x by post), stored as turnout history per voter."""
    if election_date is None:
        raise RegisterFileError("A marked register needs the date of the election it marks.")
    return _run(
        kind="marked register",
        file=file,
        council=council,
        layouts=MARKED_LAYOUTS,
        make_parse=_keyed_parse("mark", MARKS, "expected v for in person, x for postal, or empty"),
        check=lambda: apply.keyed_check("marked register"),
        counts=apply.marked_counts,
        apply_changes=lambda: apply.marked_apply(election_date, source.pk if source else None),
        dry_run=dry_run,
        accept_skipped_rows=accept_skipped_rows,
        progress=progress,
    )


def register_changed_announce(report: ImportReport) -> None:
    """Tell the statistics jobs which wards an applied import changed, once it is committed.

    Called by the admin job and the command, not by the import services: the demo builder imports its
    register before it has any contacts and computes the statistics once, at the end.
    """
    if report.applied and report.ward_ids:
        ward_ids = list(report.ward_ids)
        transaction.on_commit(lambda: register_changed.send(sender=RegisterImport, ward_ids=ward_ids))


# Jobs: an upload in the admin, run by a Celery task --------------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"register-import:{job_id}:rows"


def register_import_job_queue(*, job: RegisterImport) -> RegisterImport:
    """Save the upload (its bytes in the database) and queue its import once the row is committed."""
    from canvass.register.tasks import register_import_job_task

    job.file_size = len(job.file_data)
    job.status = RegisterImport.Status.QUEUED
    job.save()
    transaction.on_commit(lambda: register_import_job_task.delay(job.pk))
    return job


def register_import_job_rerun(*, job: RegisterImport, user=None) -> RegisterImport:
    """The same stored file again, applying the good rows: the organiser accepted skipping the bad ones."""
    again = RegisterImport(
        council=job.council,
        kind=job.kind,
        election_date=job.election_date,
        file_name=job.file_name,
        file_data=bytes(job.file_data),
        accept_skipped_rows=True,
        created_by=user,
    )
    return register_import_job_queue(job=again)


def _service_for(job: RegisterImport):
    common = {"dry_run": job.dry_run, "accept_skipped_rows": job.accept_skipped_rows}
    if job.kind == RegisterImport.Kind.FULL:
        return lambda **kw: register_import(**common, **kw)
    if job.kind == RegisterImport.Kind.UPDATE:
        return lambda **kw: register_update_apply(**common, **kw)
    if job.kind == RegisterImport.Kind.ABSENT:
        return lambda **kw: absent_voters_import(**common, **kw)
    return lambda **kw: marked_register_import(**common, election_date=job.election_date, source=job, **kw)


def register_import_job_run(*, job_id: int) -> RegisterImport:
    job = RegisterImport.objects.get(pk=job_id)
    if job.is_finished:  # a redelivered task (acks_late) must not import twice
        return job
    job.status, job.started_at = RegisterImport.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    key = progress_key(job.pk)
    try:
        report = _service_for(job)(
            file=bytes(job.file_data), council=job.council, progress=lambda rows: cache.set(key, rows, 3600)
        )
    except RegisterFileError as error:
        job.status, job.error = RegisterImport.Status.FAILED, str(error)
    except Exception:
        logger.exception("register import %s failed", job.pk)
        job.status, job.error = RegisterImport.Status.FAILED, "The import failed unexpectedly; nothing was changed."
    else:
        register_changed_announce(report)
        job.report = report.as_dict()
        job.status = {
            "applied": RegisterImport.Status.APPLIED,
            "rejected": RegisterImport.Status.REJECTED,
        }.get(report.outcome, RegisterImport.Status.DRY_RUN)
        if report.applied:
            job.file_data = b""  # the register's copy is not kept once it is applied
    job.finished_at = timezone.now()
    job.save()
    cache.delete(key)
    logger.info("register import %s finished: %s", job.pk, job.status)
    return job
