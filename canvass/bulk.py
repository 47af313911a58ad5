"""Insert many rows at once: COPY on PostgreSQL, bulk_create elsewhere.

Rows are plain tuples for the given field names; every other concrete field takes its default.
Conflicting rows (any unique constraint) are skipped, so loads keyed on natural keys are idempotent.
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models

from canvass.sql import is_postgres

CHUNK_ROWS = 20_000


def bulk_insert(*, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (tuples ordered as `fields`) into `model`'s table, skipping rows that conflict."""
    given = [model._meta.get_field(name).attname for name in fields]
    concrete = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated and field.attname not in given
    ]
    defaults = tuple(_default(field) for field in concrete)
    attnames = given + [field.attname for field in concrete]
    full_rows = (tuple(row) + defaults for row in rows)
    if is_postgres():
        _copy_insert(model, attnames, full_rows)
    else:
        for chunk in _chunks(full_rows):
            model.objects.bulk_create(
                (model(**dict(zip(attnames, row, strict=True))) for row in chunk), ignore_conflicts=True
            )


def _default(field: models.Field):
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return dt.datetime.now(dt.UTC)
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} has no default: pass it in `fields`")


def _copy_insert(model: type[models.Model], attnames: list[str], rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    staging = connection.ops.quote_name(f"bulk_{model._meta.db_table}")
    fields = {field.attname: field for field in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(name) for name in attnames)
    # CSV reads an empty unquoted value as NULL; for NOT NULL columns it must read as an empty string.
    not_null = ", ".join(connection.ops.quote_name(name) for name in attnames if not fields[name].null)
    json_positions = [i for i, name in enumerate(attnames) if isinstance(fields[name], models.JSONField)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(f"CREATE TEMP TABLE {staging} AS SELECT {columns} FROM {table} WITH NO DATA")
        for chunk in _chunks(rows):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            if json_positions:
                chunk = [_with_json(row, json_positions) for row in chunk]
            writer.writerows(chunk)
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {staging} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))", buffer
            )
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT DO NOTHING")
        cursor.execute(f"DROP TABLE {staging}")


def _with_json(row: tuple, positions: list[int]) -> list:
    values = list(row)
    for position in positions:
        values[position] = json.dumps(values[position])
    return values


def _chunks(rows: Iterable[tuple]):
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk
