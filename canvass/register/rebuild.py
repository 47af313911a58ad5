"""Whole-register loads rebuild the register tables' indexes and foreign keys once, after the rows are in.

Maintaining the B-tree indexes row by row, and checking two foreign keys row by row at commit, cost more
than everything else a 150,000-elector import does; building each index once from sorted rows and
validating each foreign key with one join costs a fraction of it. PostgreSQL's manual ("Populating a
Database") recommends exactly this, and an ANALYZE after. Everything happens inside the import's
transaction: the definitions are read from the catalogue and re-created verbatim, a failure or a kill rolls
the DDL back with the rows, and after commit the schema is exactly what the migrations made.

The price is an ACCESS EXCLUSIVE lock on the voter and household tables until the import commits (a few
seconds), so only loads that rewrite a large share of the register take this path.
"""

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models

from canvass.sql import fetch, is_postgres, scalar

logger = logging.getLogger(__name__)

# Below this many rows the per-row upkeep is cheaper than rebuilding whole indexes.
MIN_ROWS = 20_000
# ... and the load must be a large share of what is already there, or the rebuild reads mostly old rows.
MIN_SHARE_OF_TABLE = 0.25

_DEFINITIONS = """
SELECT 'constraint', c.conname, t.relname, pg_get_constraintdef(c.oid), c.contype
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relname = ANY(%(tables)s) AND t.relnamespace = current_schema()::regnamespace AND c.contype IN ('f', 'u')
UNION ALL
SELECT 'index', i.relname, t.relname, pg_get_indexdef(i.oid), 'i'
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = ANY(%(tables)s) AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.conrelid = t.oid)
"""


@dataclass(frozen=True)
class Structure:
    kind: str  # "constraint" or "index"
    name: str
    table: str
    definition: str
    constraint_type: str  # f (foreign key), u (unique), i (a plain or unique index)

    def drop_sql(self) -> str:
        if self.kind == "constraint":
            return f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{self.name}"'
        return f'DROP INDEX "{self.name}"'

    def create_sql(self) -> str:
        if self.kind == "constraint":
            return f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{self.name}" {self.definition}'
        return self.definition


def secondary_structures(tables: Sequence[str]) -> list[Structure]:
    """Every index but the primary key, and every unique and foreign-key constraint, of these tables."""
    return [Structure(*row) for row in fetch(_DEFINITIONS, {"tables": list(tables)})]


def worth_rebuilding(rows: int, model: type[models.Model]) -> bool:
    """Whether writing `rows` rows of `model` costs more row by row than rebuilding the indexes once."""
    if not is_postgres() or rows < MIN_ROWS:
        return False
    estimated = scalar("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
    return rows >= MIN_SHARE_OF_TABLE * estimated


@contextmanager
def indexes_rebuilt_after(models_: Sequence[type[models.Model]], *, enabled: bool) -> Iterator[None]:
    """Drop the tables' secondary indexes and constraints, run the block, then build them again.

    Call only inside a transaction: the DDL must commit, or roll back, with the rows the block writes.
    """
    if not enabled or not is_postgres():
        yield
        return
    structures = secondary_structures([model._meta.db_table for model in models_])
    with connection.cursor() as cursor:
        # Deferred foreign-key checks this transaction has queued (on these tables or the ones they point
        # at) would make PostgreSQL refuse the ALTER TABLEs: run them now, and check immediately until the
        # indexes and keys are back.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for structure in structures:
            cursor.execute(structure.drop_sql())
    yield
    # Unique constraints and indexes first: foreign keys that point at them need them to exist.
    order = {"u": 0, "i": 1, "f": 2}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for structure in sorted(structures, key=lambda s: order[s.constraint_type]):
            cursor.execute(structure.create_sql())
        # Back to Django's way for the rest of the transaction: its foreign keys are all INITIALLY DEFERRED.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The manual's last step for bulk loads: the planner's statistics describe the old tables until then,
        # and the statistics jobs that follow an import plan their joins on them.
        for model in models_:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    logger.info("rebuilt %s indexes and constraints after a bulk load", len(structures))
