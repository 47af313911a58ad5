"""A temporary staging table for one file: filled with COPY on PostgreSQL, batched INSERTs elsewhere.

Everything after the load is set-based SQL that reads this table (see `apply.py`).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db import IntegrityError, connection, transaction

from canvass.register import names
from canvass.register.records import StagedRow
from canvass.sql import is_postgres, is_sqlite

STAGE = "register_stage"
COLUMNS = StagedRow._fields
TEXT_FROM = COLUMNS.index("pd")  # every column from here on is text
_CREATE = f"""
CREATE TEMPORARY TABLE {STAGE} (
    line integer NOT NULL, pd_id bigint NOT NULL, number integer NOT NULL, suffix integer NOT NULL,
    attainer_date date, house_number integer, pd varchar(8) NOT NULL,
    change varchar(8) NOT NULL, markers varchar(10) NOT NULL, title varchar(20) NOT NULL,
    surname varchar(100) NOT NULL, forenames varchar(150) NOT NULL, postcode varchar(10) NOT NULL,
    address text NOT NULL, street varchar(120) NOT NULL, address_key varchar(255) NOT NULL,
    name_key varchar(250) NOT NULL, extra varchar(20) NOT NULL, voter_id bigint
)"""
ANALYZED = ("line", "pd_id", "number", "suffix", "change", "address_key", "extra", "voter_id")
BATCH = 2000
COPY_BATCH = 10_000
# PostgreSQL loads with COPY; tests switch this off to prove the portable path gives the same result.
USE_COPY = True
# The same rows in COPY's CSV format, written by the csv module at C speed: an empty unquoted cell is NULL
# (no date, no house number) except in the text columns, where it is the empty string.
_COPY_SQL = (
    f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN "
    f"WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(COLUMNS[TEXT_FROM:])}))"
)


def bytewise_sql(expression: str) -> str:
    """The expression compared and sorted byte by byte on PostgreSQL (`names.bytewise_sql`)."""
    return names.bytewise_sql(expression, postgres=is_postgres())


def name_key_sql(surname: str, forenames: str) -> str:
    """`names.name_key` computed in SQL, on this database."""
    return names.name_key_sql(surname, forenames, postgres=is_postgres())


def exact_name_sql(surname: str, forenames: str) -> str:
    """The name with its accents, for telling apart namesakes that fold to the same key (the tie-breaker)."""
    return bytewise_sql(f"UPPER(COALESCE({surname}, '') || ' ' || COALESCE({forenames}, ''))")


def _sqlite_translate(value, characters, replacements):
    """PostgreSQL's TRANSLATE for SQLite: characters past the end of `replacements` are removed."""
    if value is None:
        return None
    kept = len(replacements)
    return value.translate(str.maketrans(characters[:kept], replacements, characters[kept:]))


# The references of a complete file's rejected rows (`services._RejectedKept`): the electors under them are kept
# as they were (`apply.kept_find`). Made only when a row was rejected: an import without rejections runs no
# statement for it.
REJECTED = "register_rejected"
KEPT = "register_kept"
REJECTED_BATCH = 500  # references inserted per statement (three parameters each)
_rejected_pending: list[tuple[int, int, int]] = []
_rejected_stored = 0


def stage_create() -> None:
    global _duplicates_possible, _rejected_stored
    _duplicates_possible = True
    _rejected_pending.clear()
    _rejected_stored = 0
    with connection.cursor() as cursor:
        if is_postgres():
            # The joins and ORDER BY line of 150,000 staged rows spill to disk at the default 4 MB; this
            # transaction only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # Each big statement's plan is costed above the JIT threshold and compiled (25 ms for the pairing
            # alone) to save less than that on 150,000 rows read once.
            cursor.execute("SET LOCAL jit = off")
        if is_sqlite():
            connection.connection.create_function("translate", 3, _sqlite_translate, deterministic=True)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(_CREATE)


def stage_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if _rejected_stored:
            cursor.execute(f"DROP TABLE IF EXISTS {REJECTED}")
            cursor.execute(f"DROP TABLE IF EXISTS {KEPT}")


def rejected_remember(reference: tuple[int, int, int]) -> None:
    """Remember a rejected row's reference (district id, number, suffix); sent in batches, never all held."""
    _rejected_pending.append(reference)
    if len(_rejected_pending) >= REJECTED_BATCH:
        _rejected_flush()


def _rejected_flush() -> None:
    """Insert the references waiting (called between the staging COPYs, as rows are parsed, and at the end)."""
    global _rejected_stored
    if not _rejected_pending:
        return
    with connection.cursor() as cursor:
        if not _rejected_stored:
            cursor.execute(f"DROP TABLE IF EXISTS {REJECTED}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {REJECTED} (pd_id bigint NOT NULL, number integer NOT NULL, "
                "suffix integer NOT NULL)"
            )
        values = ", ".join(["(%s, %s, %s)"] * len(_rejected_pending))
        cursor.execute(
            f"INSERT INTO {REJECTED} (pd_id, number, suffix) VALUES {values}",
            [value for reference in _rejected_pending for value in reference],
        )
    _rejected_stored += len(_rejected_pending)
    _rejected_pending.clear()


def rejected_stored() -> int:
    """How many rejected rows' references were remembered (0: no table, nothing to keep)."""
    return _rejected_stored


def _copy_text(batch: list[StagedRow]) -> str:
    """One batch as COPY input: CSV written by the csv module, one C call for the whole batch. A multi-line
    address is quoted, so even an address line that is just `\\.` (COPY's end marker) is read as data."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(batch)
    return out.getvalue()


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stage_load(rows: Iterable[StagedRow]) -> None:
    """Load parsed rows; the iterable is consumed once, as a stream."""
    with connection.cursor() as cursor:
        if is_postgres() and USE_COPY:
            # One COPY per batch, each built before it starts: the rows are parsed between COPYs, so a
            # progress report written through this connection (the database cache) never lands mid-COPY.
            for batch in _batches(rows, COPY_BATCH):
                cursor.cursor.copy_expert(_COPY_SQL, io.StringIO(_copy_text(batch)), size=65536)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            sql = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
            for batch in _batches(rows):
                cursor.executemany(sql, batch)
    _rejected_flush()
    if _rejected_stored:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {REJECTED}_ref ON {REJECTED} (pd_id, number, suffix)")
            cursor.execute(f"ANALYZE {REJECTED}")
    _stage_indexed()


def _stage_indexed() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {STAGE}_line ON {STAGE} (line)")
        _reference_index()
        # Statistics only for the columns that joins and filters read: the free text (names, addresses) is
        # never a join key and sorting its sample dominated ANALYZE.
        columns = f" ({', '.join(ANALYZED)})" if is_postgres() else ""
        cursor.execute(f"ANALYZE {STAGE}{columns}")
    stage_scope_refresh()


def _reference_index() -> None:
    """The references' index, unique when it can be: then the file has no duplicate reference and
    `stage_has_duplicates` need not look for one (building it is the check, at no extra cost)."""
    global _duplicates_possible
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE UNIQUE INDEX {STAGE}_ref ON {STAGE} (pd_id, number, suffix)")
        _duplicates_possible = False
    except IntegrityError:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {STAGE}_ref ON {STAGE} (pd_id, number, suffix)")
        _duplicates_possible = True


_duplicates_possible = True
_scope = "(NULL)"


def stage_scope() -> str:
    """The polling districts the staged rows cover, as an SQL list of their ids: read once from the staging
    table (again after rows are discarded) rather than by every statement that needs it."""
    return _scope


def stage_scope_refresh() -> None:
    global _scope
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT pd_id FROM {STAGE} ORDER BY pd_id")
        ids = [int(pd_id) for (pd_id,) in cursor.fetchall()]
    _scope = f"({', '.join(map(str, ids))})" if ids else "(NULL)"


def stage_has_duplicates() -> bool:
    """Whether two staged rows may share a reference (False once the unique index on them was built)."""
    return _duplicates_possible


def stage_voter_ids_set(matches: str) -> None:
    """Give every staged row the voter id the table `matches` (line, id) pairs it with.

    The staging table is written anew rather than updated in place: on PostgreSQL, updating every row
    of a 150,000-row temporary table costs several times what writing it once does.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE}_next AS
            SELECT {", ".join(f"s.{column}" for column in COLUMNS)}, COALESCE(m.id, s.voter_id) AS voter_id
            FROM {STAGE} s LEFT JOIN {matches} m ON m.line = s.line ORDER BY s.line"""
        )
        cursor.execute(f"DROP TABLE {STAGE}")
        cursor.execute(f"ALTER TABLE {STAGE}_next RENAME TO {STAGE}")
    _stage_indexed()
