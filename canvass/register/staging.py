"""A temporary staging table for one file: filled with COPY on PostgreSQL, batched INSERTs elsewhere.

Everything after the load is set-based SQL that reads this table (see `apply.py`).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db import connection

from canvass.register.records import StagedRow

STAGE = "register_stage"
COLUMNS = StagedRow._fields
TEXT_COLUMNS = (
    "pd",
    "change",
    "markers",
    "title",
    "surname",
    "forenames",
    "postcode",
    "address",
    "street",
    "address_key",
    "extra",
)
_CREATE = f"""
CREATE TEMPORARY TABLE {STAGE} (
    line integer NOT NULL, pd_id bigint NOT NULL, pd varchar(8) NOT NULL, number integer NOT NULL,
    suffix integer NOT NULL, attainer_date date, house_number integer, new_household boolean NOT NULL,
    change varchar(8) NOT NULL, markers varchar(10) NOT NULL, title varchar(20) NOT NULL,
    surname varchar(100) NOT NULL, forenames varchar(150) NOT NULL, postcode varchar(10) NOT NULL,
    address text NOT NULL, street varchar(120) NOT NULL, address_key varchar(255) NOT NULL,
    extra varchar(20) NOT NULL, voter_id bigint
)"""
ANALYZED = ("line", "pd_id", "number", "suffix", "new_household", "change", "address_key", "extra", "voter_id")
BATCH = 2000
COPY_BATCH = 10_000
# PostgreSQL loads with COPY; tests switch this off to prove the portable path gives the same result.
USE_COPY = True
# CSV, not COPY's text format: csv.writer quotes in C. An empty unquoted field reads as NULL, so the text
# columns (never NULL) say so, and only the date and the house number can be NULL.
_COPY_SQL = (
    f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(TEXT_COLUMNS)}))"
)


# Left out of a name when matching voters across years: `O'NEIL Ann-Marie` is `ONEIL Ann Marie`. TRANSLATE,
# not a regular expression: it runs over every voter in the districts a full register covers.
NAME_NOISE = " \t,.'’-\"()/"


def name_key_sql(surname: str, forenames: str) -> str:
    """A voter's name normalised for matching, the same for staged rows and voters already stored."""
    noise = NAME_NOISE.replace("'", "''")
    return f"UPPER(TRANSLATE(COALESCE({surname}, '') || COALESCE({forenames}, ''), '{noise}', ''))"


def _sqlite_translate(value, characters, replacements):
    """PostgreSQL's TRANSLATE for SQLite: characters past the end of `replacements` are removed."""
    if value is None:
        return None
    kept = len(replacements)
    return value.translate(str.maketrans(characters[:kept], replacements, characters[kept:]))


def stage_create() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The joins and ORDER BY line of 150,000 staged rows spill to disk at the default 4 MB; this
            # transaction only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        if connection.vendor == "sqlite":
            connection.connection.create_function("translate", 3, _sqlite_translate, deterministic=True)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(_CREATE)


def stage_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


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
        if connection.vendor == "postgresql" and USE_COPY:
            # One COPY per batch, each built before it starts: the rows are parsed between COPYs, so a
            # progress report written through this connection (the database cache) never lands mid-COPY.
            for batch in _batches(rows, COPY_BATCH):
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(batch)
                buffer.seek(0)
                cursor.cursor.copy_expert(_COPY_SQL, buffer, size=65536)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            sql = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
            for batch in _batches(rows):
                cursor.executemany(sql, batch)
    _stage_indexed()


def _stage_indexed() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {STAGE}_line ON {STAGE} (line)")
        cursor.execute(f"CREATE INDEX {STAGE}_ref ON {STAGE} (pd_id, number, suffix)")
        # Statistics only for the columns that joins and filters read: the free text (names, addresses) is
        # never a join key and sorting its sample dominated ANALYZE.
        columns = f" ({', '.join(ANALYZED)})" if connection.vendor == "postgresql" else ""
        cursor.execute(f"ANALYZE {STAGE}{columns}")


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
