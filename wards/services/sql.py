"""SQL shared by the statistics and target-list services.

One dialect difference matters: each voter's latest spoken contact is `DISTINCT ON` on
PostgreSQL and a `ROW_NUMBER()` window elsewhere (SQLite); both give the same rows.
"""

from django.db import connection

from canvass.franchise import WESTMINSTER_ONLY_MARKERS
from canvass.models import ContactRecord, Household, Outcome, Voter
from wards.models import Party, PollingDistrict

VOTER = Voter._meta.db_table
HOUSEHOLD = Household._meta.db_table
CONTACT = ContactRecord._meta.db_table
DISTRICT = PollingDistrict._meta.db_table
PARTY = Party._meta.db_table
SPOKE = Outcome.SPOKE.value


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def ward_filter(column: str, ward_ids) -> tuple[str, list]:
    if ward_ids is None:
        return "", []
    ward_ids = list(ward_ids)
    if not ward_ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ward_ids))})", ward_ids


def electors_cte(ward_ids, *, contactable_only: bool = False) -> tuple[str, list]:
    """Council electors on the register (no Westminster-only marker), with their ward and door."""
    markers = " ".join("AND UPPER(v.markers) NOT LIKE %s" for _ in sorted(WESTMINSTER_ONLY_MARKERS))
    params: list = [f"%{marker}%" for marker in sorted(WESTMINSTER_ONLY_MARKERS)]
    where, ward_params = ward_filter("pd.ward_id", ward_ids)
    contactable = " AND v.do_not_contact = %s" if contactable_only else ""
    sql = f"""electors AS (
        SELECT v.id AS voter_id, v.household_id, v.is_postal_voter, v.polling_district_id,
               v.elector_number, v.elector_suffix, pd.ward_id
        FROM {VOTER} v JOIN {DISTRICT} pd ON pd.id = v.polling_district_id
        WHERE v.on_register = %s {markers}{where}{contactable}
    )"""
    return sql, [True, *params, *ward_params, *([False] if contactable_only else [])]


def latest_cte() -> tuple[str, list]:
    """Each elector's latest contact in which they spoke to us: their current intentions."""
    columns = (
        "c.voter_id, c.contacted_at, c.local_intention, c.local_party_id, "
        "c.national_intention, c.national_party_id, c.likelihood"
    )
    if is_postgres():
        sql = f"""latest AS (
            SELECT DISTINCT ON (c.voter_id) {columns}
            FROM {CONTACT} c JOIN electors e ON e.voter_id = c.voter_id
            WHERE c.outcome = %s
            ORDER BY c.voter_id, c.contacted_at DESC, c.id DESC
        )"""
    else:
        sql = f"""latest AS (
            SELECT * FROM (
                SELECT {columns},
                       ROW_NUMBER() OVER (PARTITION BY c.voter_id ORDER BY c.contacted_at DESC, c.id DESC) AS rn
                FROM {CONTACT} c JOIN electors e ON e.voter_id = c.voter_id
                WHERE c.outcome = %s
            ) ranked WHERE rn = 1
        )"""
    return sql, [SPOKE]


def with_ctes(*ctes: tuple[str, list]) -> tuple[str, list]:
    return "WITH " + ",\n".join(sql for sql, _ in ctes), [p for _, params in ctes for p in params]


def day_of(column: str) -> tuple[str, list]:
    """The local calendar date of a stored timestamp, in the project's time zone."""
    from django.conf import settings

    if is_postgres():
        return f"CAST(({column} AT TIME ZONE %s) AS date)", [settings.TIME_ZONE]
    return f"django_datetime_cast_date({column}, %s, 'UTC')", [settings.TIME_ZONE]


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
