"""A temporary staging table for one file: filled with COPY on PostgreSQL, batched INSERTs elsewhere.

Everything after the load is set-based SQL that reads this table (see `apply.py`).
"""

import io
import re
from collections.abc import Iterable, Iterator

from django.db import connection

from canvass.register.records import ElectorRecord

STAGE = "register_stage"
# Fixed-format fields first, then the free text, so a COPY line escapes all its text in one pass.
COLUMNS = (
    "line",
    "pd_id",
    "pd",
    "number",
    "suffix",
    "attainer_date",
    "house_number",
    "new_household",
    "change",
    "markers",
    "title",
    "surname",
    "forenames",
    "postcode",
    "address",
    "street",
    "address_key",
    "name_key",
    "extra",
)
_CREATE = f"""
CREATE TEMPORARY TABLE {STAGE} (
    line integer NOT NULL, pd_id bigint NOT NULL, pd varchar(8) NOT NULL, number integer NOT NULL,
    suffix integer NOT NULL, markers varchar(10) NOT NULL, attainer_date date, title varchar(20) NOT NULL,
    surname varchar(100) NOT NULL, forenames varchar(150) NOT NULL, postcode varchar(10) NOT NULL,
    address text NOT NULL, street varchar(120) NOT NULL, house_number integer, address_key varchar(255) NOT NULL,
    name_key text NOT NULL, new_household boolean NOT NULL, change varchar(8) NOT NULL, extra varchar(20) NOT NULL,
    voter_id bigint
)"""
ANALYZED = (
    "line",
    "pd_id",
    "number",
    "suffix",
    "new_household",
    "change",
    "address_key",
    "name_key",
    "extra",
    "voter_id",
)
BATCH = 2000
COPY_BATCH = 10_000
# PostgreSQL loads with COPY; tests switch this off to prove the portable path gives the same result.
USE_COPY = True


def name_key_sql(surname: str, forenames: str) -> str:
    """The same normalised name on both sides of a match (PostgreSQL's and our SQLite regexp_replace)."""
    joined = f"COALESCE({surname}, '') || ' ' || COALESCE({forenames}, '')"
    return f"UPPER(TRIM(regexp_replace({joined}, '[^A-Za-z0-9]+', ' ', 'g')))"


def _sqlite_regexp_replace(value, pattern, replacement, flags):
    return None if value is None else re.sub(pattern, replacement, value, count=0 if "g" in flags else 1)


def stage_create() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The joins and ORDER BY line of 150,000 staged rows spill to disk at the default 4 MB; this
            # transaction only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        if connection.vendor == "sqlite":
            connection.connection.create_function("regexp_replace", 4, _sqlite_regexp_replace, deterministic=True)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(_CREATE)


def stage_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def _texts(r: ElectorRecord) -> tuple[str, ...]:
    return (
        r.markers,
        r.title,
        r.surname,
        r.forenames,
        r.postcode,
        r.address,
        r.street,
        r.address_key,
        r.name_key,
        r.extra,
    )


def _values(r: ElectorRecord, pd_id: int) -> tuple:
    return (
        r.line,
        pd_id,
        r.pd,
        r.number,
        r.suffix,
        r.attainer_date,
        r.house_number,
        r.new_household,
        r.change,
    ) + _texts(r)


def _copy_line(r: ElectorRecord, pd_id: int) -> str:
    """One row of COPY's text format (hot path: the text fields are joined and escaped in one pass)."""
    text = "\x1f".join(_texts(r))
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace("\x1f", "\t")
    date = "\\N" if r.attainer_date is None else r.attainer_date.isoformat()
    house = "\\N" if r.house_number is None else r.house_number
    household = "t" if r.new_household else "f"
    return f"{r.line}\t{pd_id}\t{r.pd}\t{r.number}\t{r.suffix}\t{date}\t{house}\t{household}\t{r.change}\t{text}\n"


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stage_load(records: Iterable[tuple[ElectorRecord, int]]) -> None:
    """Load (record, polling district id) pairs; the iterable is consumed once, as a stream."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and USE_COPY:
            # One COPY per batch, each built before it starts: the rows are parsed between COPYs, so a
            # progress report written through this connection (the database cache) never lands mid-COPY.
            sql = f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN"
            # Batches of text lines, not of records: strings are not tracked by the garbage collector.
            for batch in _batches((_copy_line(r, pd_id) for r, pd_id in records), COPY_BATCH):
                cursor.cursor.copy_expert(sql, io.StringIO("".join(batch)), size=65536)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            sql = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
            for batch in _batches(records):
                cursor.executemany(sql, [_values(record, pd_id) for record, pd_id in batch])
        cursor.execute(f"CREATE INDEX {STAGE}_line ON {STAGE} (line)")
        cursor.execute(f"CREATE INDEX {STAGE}_ref ON {STAGE} (pd_id, number, suffix)")
        # Statistics only for the columns that joins and filters read: the free text (names, addresses) is
        # never a join key and sorting its sample dominated ANALYZE.
        columns = f" ({', '.join(ANALYZED)})" if connection.vendor == "postgresql" else ""
        cursor.execute(f"ANALYZE {STAGE}{columns}")
