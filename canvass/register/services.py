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

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from canvass.models import ContactRecord, Household, RegisterImport, TurnoutRecord, Voter
from canvass.register import apply
from canvass.register.kinds import KINDS, Options
from canvass.register.reader import CsvRows, RegisterFileError
from canvass.register.rebuild import indexes_rebuilt_after, worth_rebuilding
from canvass.register.records import RecordParser, Rejection, RowRejected, StagedRow
from canvass.register.report import ImportReport
from canvass.register.staging import rejected_remember, stage_create, stage_drop, stage_load
from canvass.signals import register_changed
from canvass.sql import scalar
from wards.models import Council, PollingDistrict

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]
PROGRESS_EVERY = 10_000


class _UploadReader(io.RawIOBase):
    """An upload read from the database a slice at a time (`substr` of its bytes), so the worker never holds the
    whole file: fetched at once, PostgreSQL sends `bytea` as hex, twice the file's size, and the driver keeps
    both while it decodes. Reads happen while rows are parsed, between the staging COPYs."""

    def __init__(self, job_id: int):
        self._job_id = job_id
        self._at = 0
        table = RegisterImport._meta.db_table
        self._slice_sql = f"SELECT substr(file_data, %s, %s) FROM {table} WHERE id = %s"
        self._size = scalar(f"SELECT length(file_data) FROM {table} WHERE id = %s", [job_id]) or 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size}[whence]
        self._at = max(base + offset, 0)
        return self._at

    def tell(self) -> int:
        return self._at

    def readinto(self, target) -> int:
        wanted = min(len(target), self._size - self._at)
        if wanted <= 0:
            return 0
        chunk = bytes(scalar(self._slice_sql, [self._at + 1, wanted, self._job_id]))  # a slice: a small copy
        size = len(chunk)
        target[:size] = chunk
        self._at += size
        return size


UPLOAD_SLICE = 1 << 20  # bytes read from the database at a time


def _open(file: BinaryIO | bytes) -> BinaryIO:
    return io.BytesIO(file) if isinstance(file, bytes | bytearray | memoryview) else file


class _RejectedKept:
    """For a file that lists every elector of its districts (`FileKind.complete`): each rejected row's reference,
    when it can be read, is remembered (`staging.rejected_remember`) so the elector under it is kept as they were
    (`apply.kept_find`); rows whose reference cannot be read are only counted. Rows rejected by the later checks
    need nothing: a duplicate's reference is its first row's, which decides for it, and a reference not on the
    register names nobody."""

    def __init__(self, parser: RecordParser):
        self._parser = parser
        self.unreadable = 0

    def __call__(self, row: list[str]) -> None:
        try:
            reference = self._parser.rejected_reference(row)
        except RowRejected:
            self.unreadable += 1
            return
        if reference is not None:
            rejected_remember(reference)


def _parsed(
    rows: CsvRows, report: ImportReport, parse, progress: Progress | None, kept: _RejectedKept | None = None
) -> Iterator[StagedRow]:
    for line, row in rows:
        report.rows_read += 1
        if progress and report.rows_read % PROGRESS_EVERY == 0:
            progress(report.rows_read)
        try:
            record = parse(line, row)
        except RowRejected as rejected:
            report.reject(Rejection(line, rejected.column, rejected.reason))
            if kept is not None:
                kept(row)
            continue
        yield record


def file_import(
    *,
    kind: str,
    file: BinaryIO | bytes,
    council: Council,
    dry_run: bool = False,
    accept_skipped_rows: bool = False,
    effective_date: dt.date | None = None,
    election_date: dt.date | None = None,
    source: RegisterImport | None = None,
    file_name: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file of any kind (`kinds.KINDS`): stage, check, count, and apply in one transaction."""
    file_kind = KINDS[kind]
    if kind == "marked" and election_date is None:
        raise RegisterFileError("A marked register needs the date of the election it marks.")
    options = Options(
        today=timezone.localdate(),
        effective_date=effective_date,
        election_date=election_date,
        source_id=source.pk if source else None,
    )
    started = time.perf_counter()
    rows = CsvRows(_open(file), file_kind.layouts, kind=kind)
    report = ImportReport(kind=file_kind.label, layout=rows.columns.layout.label, dry_run=dry_run)
    report.file_name = file_name
    report.accept_skipped_rows = accept_skipped_rows
    districts = dict(PollingDistrict.objects.filter(ward__council=council).values_list("code", "id"))
    parser = RecordParser(rows.columns, districts)
    kept = _RejectedKept(parser) if file_kind.complete else None
    with transaction.atomic():
        apply.imports_serialised(council.pk)
        stage_create()
        stage_load(_parsed(rows, report, file_kind.parser(parser), progress, kept))
        report.lines_read = rows.lines_read
        if report.rows_read == 0:
            raise RegisterFileError("The file has a header row but no electors.")
        if parser.update_rows:
            raise RegisterFileError(
                f"This file looks like a monthly update: {parser.update_rows} rows carry a change code "
                "(added, changed or deleted this month). Import it as a monthly update."
            )
        report.unknown_districts = dict(sorted(parser.unknown_districts.items()))
        report.timings["read_and_stage_seconds"] = round(time.perf_counter() - started, 3)
        mark = time.perf_counter()
        file_kind.repeats_combined()
        late = apply.stage_duplicates(parser.number_column)
        late += file_kind.check()
        for rejection in late:
            report.reject(rejection)
        apply.stage_discard([r.line for r in late])
        kept_count = apply.kept_find()
        report.timings["check_seconds"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        report.counts, report.samples = file_kind.counts()
        report.to_confirm = file_kind.to_confirm()
        if kept_count:
            report.counts[apply.KEPT_LABEL] = kept_count
            report.samples["kept as they were"] = apply.kept_sample()
        if kept is not None and kept.unreadable:
            report.counts[apply.UNREADABLE_LABEL] = kept.unreadable
        report.counts["rejected rows"] = report.rejected_total
        report.nothing_to_change = kind == "update" and not any(
            report.counts.get(name) for name in ("added", "amended", "deleted")
        )
        report.timings["count_seconds"] = round(time.perf_counter() - mark, 3)
        allowed = accept_skipped_rows or not report.rejected_total
        if not dry_run and allowed and not report.nothing_to_change:
            # Only a file that inserts or renumbers a large share of the register takes the tables' locks.
            report.indexes_rebuilt = worth_rebuilding(file_kind.rows_written(report.counts), Voter)
            rebuilt = [Voter]
            if report.indexes_rebuilt and worth_rebuilding(file_kind.households_written(report.counts), Household):
                rebuilt.insert(0, Household)
            mark = time.perf_counter()
            with indexes_rebuilt_after(rebuilt, enabled=report.indexes_rebuilt):
                file_kind.apply(options)
            report.timings["apply_seconds"] = round(time.perf_counter() - mark, 3)
            report.applied = True
            report.ward_ids = apply.touched_ward_ids()
        stage_drop()
        if not report.applied:
            transaction.set_rollback(True)
    report.timings["total_seconds"] = round(time.perf_counter() - started, 3)
    return report


def register_import(**options) -> ImportReport:
    """A full register: match existing voters (by name and address, then by reference), add new, retire gone."""
    return file_import(kind="full", **options)


def register_update_apply(**options) -> ImportReport:
    """A monthly update: additions, amendments and deletions (a deleted voter keeps their contact history)."""
    return file_import(kind="update", **options)


def absent_voters_import(**options) -> ImportReport:
    """Postal and proxy voters; the list is complete for the polling districts it covers."""
    return file_import(kind="absent", **options)


class MatchNotConfirmable(ValueError):
    """The confirmed match is not one the import listed, or the register has moved on since."""


_REGISTRATION = (
    "polling_district_id",
    "household_id",
    "elector_number",
    "elector_suffix",
    "title",
    "surname",
    "forenames",
    "markers",
    "attainer_date",
)


def register_match_confirm(*, job: RegisterImport, line: int, voter_id: int) -> Voter:
    """An admin says the elector on `line` of an applied import is `voter_id` of the previous register.

    The import made the elector a new voter (it never guesses): the previous voter takes over that registration,
    so their contact history follows them, and the new voter's contacts and turnout, if any, move with it.
    """
    entry = next((e for e in job.report.get("to_confirm", []) if e["line"] == line and not e.get("confirmed")), None)
    if job.status != RegisterImport.Status.APPLIED or entry is None:
        raise MatchNotConfirmable(f"line {line} of {job.file_name} has no match waiting to be confirmed")
    if voter_id not in {c["id"] for c in entry["candidates"]}:
        raise MatchNotConfirmable(f"that voter is not a candidate for line {line} of {job.file_name}")
    with transaction.atomic():
        new = (
            Voter.objects.select_for_update()
            .filter(
                polling_district_id=entry["pd_id"],
                elector_number=entry["number"],
                elector_suffix=entry["suffix"],
                on_register=True,
            )
            .first()
        )
        previous = Voter.objects.select_for_update().filter(pk=voter_id, on_register=False).first()
        if new is None or previous is None:
            raise MatchNotConfirmable(f"the register has changed since {job.file_name} was imported")
        registration = {name: getattr(new, name) for name in _REGISTRATION}
        ContactRecord.objects.filter(voter=new).update(voter=previous)
        TurnoutRecord.objects.filter(voter=new).update(voter=previous)
        new.delete()
        for name, value in registration.items():
            setattr(previous, name, value)
        previous.on_register, previous.left_register_on = True, None
        previous.save()
        entry["confirmed"] = voter_id
        job.save(update_fields=["report"])
    logger.info("register import %s: match of line %s confirmed", job.pk, line)
    return previous


class NothingToConfirm(ValueError):
    """Only an update that was found to change nothing waits for that to be confirmed."""


def register_no_change_confirm(*, job: RegisterImport, user) -> RegisterImport:
    """An admin confirms that an update which changes nothing was the file they meant (a month already imported,
    or rows that cancel out). The job is recorded as confirmed, never as applied; its upload is erased."""
    with transaction.atomic():
        job = RegisterImport.objects.select_for_update().get(pk=job.pk)
        if job.status != RegisterImport.Status.NO_CHANGE:
            raise NothingToConfirm(f"{job.file_name} is not an update waiting for “nothing to change” to be confirmed")
        job.status = RegisterImport.Status.NO_CHANGE_CONFIRMED
        job.confirmed_by, job.confirmed_at = user, timezone.now()
        job.file_data = b""
        job.save(update_fields=["status", "confirmed_by", "confirmed_at", "file_data"])
    logger.info("register import %s: nothing to change, confirmed", job.pk)
    return job


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


def register_import_job_save(*, job: RegisterImport) -> RegisterImport:
    """Save the upload (its bytes in the database), ready for `tasks.register_import_job_queue`."""
    job.file_size = len(job.file_data)
    job.status = RegisterImport.Status.QUEUED
    job.save()
    return job


def register_import_job_copy(*, job: RegisterImport, user=None) -> RegisterImport:
    """The same stored file again, applying the good rows: the organiser accepted skipping the bad ones."""
    return RegisterImport(
        council=job.council,
        kind=job.kind,
        election_date=job.election_date,
        file_name=job.file_name,
        file_data=bytes(job.file_data),
        accept_skipped_rows=True,
        created_by=user,
    )


def register_import_job_run(*, job_id: int) -> RegisterImport:
    job = RegisterImport.objects.defer("file_data").get(pk=job_id)
    if job.is_finished:  # a redelivered task (acks_late) must not import twice
        return job
    job.status, job.started_at = RegisterImport.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    key = progress_key(job.pk)
    try:
        report = file_import(
            kind=job.kind,
            file=io.BufferedReader(_UploadReader(job.pk), UPLOAD_SLICE),
            council=job.council,
            dry_run=job.dry_run,
            accept_skipped_rows=job.accept_skipped_rows,
            election_date=job.election_date,
            source=job,
            file_name=job.file_name,
            progress=lambda rows: cache.set(key, rows, 3600),
        )
    except RegisterFileError as error:
        job.status, job.error = RegisterImport.Status.FAILED, f"{job.file_name}: {error}"
    except Exception:
        logger.exception("register import %s failed", job.pk)
        failure = "the import failed unexpectedly; nothing was changed."
        job.status, job.error = RegisterImport.Status.FAILED, f"{job.file_name}: {failure}"
    else:
        register_changed_announce(report)
        job.report = report.as_dict()
        job.status = {
            "applied": RegisterImport.Status.APPLIED,
            "rejected": RegisterImport.Status.REJECTED,
            "nothing to change": RegisterImport.Status.NO_CHANGE,
        }.get(report.outcome, RegisterImport.Status.DRY_RUN)
        if report.applied:
            job.file_data = b""  # the register's copy is not kept once it is applied
    job.finished_at = timezone.now()
    job.save()
    cache.delete(key)
    logger.info("register import %s finished: %s", job.pk, job.status)
    return job


def register_import_uploads_erase(*, now: dt.datetime | None = None) -> int:
    """Erase the bytes of uploads that were not applied once `REGISTER_UPLOAD_KEEP_DAYS` have passed; each job
    keeps its report. Applied uploads are erased at once (`register_import_job_run`)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.REGISTER_UPLOAD_KEEP_DAYS)
    kept = RegisterImport.objects.filter(finished_at__lt=cutoff, status__in=RegisterImport.FINISHED).exclude(
        file_data=b""
    )
    erased = kept.update(file_data=b"")
    logger.info("register uploads erased: %s", erased)
    return erased
