"""The raw-SQL toolkit every set-based service uses: run a statement, read one value, one column or all
rows, and ask which database this is. Statements run in the caller's transaction on the default connection."""

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def execute(sql: str, params=()) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql: str, params=()):
    """The first column of the first row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def column(sql: str, params=()) -> list:
    """The first column of every row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def fetch(sql: str, params=()) -> list[tuple]:
    """Every row, as tuples."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
