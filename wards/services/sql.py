"""SQL shared by the statistics and target-list services.

One dialect difference matters: each voter's latest spoken contact is `DISTINCT ON` on
PostgreSQL and a `ROW_NUMBER()` window elsewhere (SQLite); both give the same rows.
"""

from django.db import connection

from canvass.models import ContactRecord, Household, Outcome, Voter
from canvass.rules import COUNCIL_ELECTOR, COUNTED_CONTACT
from canvass.sql import execute, fetch, is_postgres  # noqa: F401 (the wards services run their SQL through these)
from wards.models import Party, PollingDistrict

VOTER = Voter._meta.db_table
HOUSEHOLD = Household._meta.db_table
CONTACT = ContactRecord._meta.db_table
DISTRICT = PollingDistrict._meta.db_table
PARTY = Party._meta.db_table
SPOKE = Outcome.SPOKE.value
# The window and the latest-first order agree, so PostgreSQL sorts each voter's contacts once.
LATEST_FIRST = "PARTITION BY c.voter_id ORDER BY c.contacted_at DESC, c.id DESC"
WHOLE_PARTITION = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"


def ward_filter(column: str, ward_ids) -> tuple[str, list]:
    if ward_ids is None:
        return "", []
    ward_ids = list(ward_ids)
    if not ward_ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ward_ids))})", ward_ids


def district_ids(ward_ids) -> list[int] | None:
    """The wards' polling districts, looked up first so a one-ward query filters voters by an
    indexed column with a known list (the planner then estimates and scans only that ward)."""
    if ward_ids is None:
        return None
    return list(PollingDistrict.objects.filter(ward_id__in=list(ward_ids)).order_by("id").values_list("id", flat=True))


def _franchise_sql(ward_ids, franchises) -> tuple[str, list]:
    """Who counts as an elector, ward by ward: `franchises` maps each ward to its rule (`canvass.rules`).

    With `ward_ids`, wards it leaves out count council electors (`COUNCIL_ELECTOR`); without (every ward), it
    names every ward. The commonest rule is tested last, with no list of wards beyond the others'.
    """
    if not franchises:
        return COUNCIL_ELECTOR.sql("v")
    if ward_ids is not None:
        franchises = {ward_id: franchises.get(ward_id, COUNCIL_ELECTOR) for ward_id in ward_ids}
    groups: dict = {}
    for ward_id, rule in sorted(franchises.items()):
        groups.setdefault(rule, []).append(ward_id)
    if len(groups) == 1:  # one rule for every ward (always so for one ward)
        return next(iter(groups)).sql("v")
    common = max(groups, key=lambda rule: len(groups[rule]))
    others = [ward_id for rule, ids in groups.items() if rule != common for ward_id in ids]
    ors, params = [], []
    for rule, ids in groups.items():
        if rule == common:
            continue
        condition, rule_params = rule.sql("v")
        ors.append(f"(pd.ward_id IN ({', '.join(['%s'] * len(ids))}) AND {condition})")
        params += [*ids, *rule_params]
    condition, rule_params = common.sql("v")
    ors.append(f"(pd.ward_id NOT IN ({', '.join(['%s'] * len(others))}) AND {condition})")
    params += [*others, *rule_params]
    return "(" + " OR ".join(ors) + ")", params


def electors_cte(ward_ids, *, contactable_only: bool = False, franchises=None) -> tuple[str, list]:
    """Council electors on the register (no Westminster-only marker), with their ward and door.

    `franchises` (ward id to rule) puts another rule in their place for some wards: the electors of the
    election each ward follows (see `wards.elections.selectors.electors_rule`).
    """
    council_elector, params = _franchise_sql(ward_ids, franchises)
    where, ward_params = ward_filter("v.polling_district_id", district_ids(ward_ids))
    contactable = " AND v.do_not_contact = %s" if contactable_only else ""
    sql = f"""electors AS (
        SELECT v.id AS voter_id, v.household_id, v.is_postal_voter, v.do_not_contact, v.polling_district_id,
               v.elector_number, v.elector_suffix, pd.ward_id
        FROM {VOTER} v JOIN {DISTRICT} pd ON pd.id = v.polling_district_id
        WHERE {council_elector}{where}{contactable}
    )"""
    return sql, [*params, *ward_params, *([False] if contactable_only else [])]


# From this share of the polling districts on (a register import's recompute names every ward it covered), the
# target lists read the contacts whole (`contacts_source(None)`, `latest_cte(None)`), in the order of the voter
# index (`contact_voter_reading_idx`), and their join to the electors keeps the wards' own: filtered to the wards'
# voters first, the order was lost and the latest reading sorted every contact left (42 MB at 150,000 electors,
# 125 MB across three parallel sorts at 450,000: the recompute grew faster than the register).
MOST_OF_THE_REGISTER = 0.5


def most_of_the_register(ward_ids) -> bool:
    """True when the wards hold at least `MOST_OF_THE_REGISTER` of the polling districts (always for None)."""
    if ward_ids is None:
        return True
    wanted = len(district_ids(ward_ids) or [])
    return wanted > 0 and wanted >= MOST_OF_THE_REGISTER * PollingDistrict.objects.count()


def contacts_source(ward_ids) -> tuple[str, list]:
    """`FROM` text for the contacts of the wards' voters (every contact when `ward_ids` is None).

    A fresh subquery rather than the electors CTE, so the planner sees real row estimates and,
    for one ward, probes the contacts' voter index instead of reading every contact.
    """
    if ward_ids is None:
        return f"{CONTACT} c", []
    where, params = ward_filter("v.polling_district_id", district_ids(ward_ids))
    source = f"{CONTACT} c JOIN (SELECT v.id FROM {VOTER} v WHERE 1 = 1{where}) wv ON wv.id = c.voter_id"
    return source, params


def latest_cte(ward_ids) -> tuple[str, list]:
    """Each voter's latest contact in which they spoke to us: their current intentions.

    Reads contacts straight from the tables (not through the electors CTE) so the planner sees
    real row estimates; the caller's join to the electors keeps only council electors.
    """
    columns = (
        "c.voter_id, c.contacted_at, c.local_intention, c.local_party_id, "
        "c.national_intention, c.national_party_id, c.likelihood, "
        f"MIN(c.contacted_at) OVER ({LATEST_FIRST} {WHOLE_PARTITION}) AS first_at"
    )
    source, params = contacts_source(ward_ids)
    # A spoken record corrected at the door (to another reading, or to "not in") is no longer a reading.
    counted, counted_params = COUNTED_CONTACT.sql("c")
    if is_postgres():
        sql = f"""latest AS (
            SELECT DISTINCT ON (c.voter_id) {columns}
            FROM {source}
            WHERE c.outcome = %s AND {counted} AND c.voter_id IS NOT NULL
            ORDER BY c.voter_id, c.contacted_at DESC, c.id DESC
        )"""
    else:
        sql = f"""latest AS (
            SELECT * FROM (
                SELECT {columns},
                       ROW_NUMBER() OVER ({LATEST_FIRST}) AS rn
                FROM {source}
                WHERE c.outcome = %s AND {counted} AND c.voter_id IS NOT NULL
            ) ranked WHERE rn = 1
        )"""
    return sql, [*params, SPOKE, *counted_params]


def with_ctes(*ctes: tuple[str, list]) -> tuple[str, list]:
    return "WITH " + ",\n".join(sql for sql, _ in ctes), [p for _, params in ctes for p in params]


def day_of(column: str) -> tuple[str, list]:
    """The local calendar date of a stored timestamp, in the project's time zone."""
    from django.conf import settings

    if is_postgres():
        return f"CAST(({column} AT TIME ZONE %s) AS date)", [settings.TIME_ZONE]
    return f"django_datetime_cast_date({column}, %s, 'UTC')", [settings.TIME_ZONE]


def batch_memory() -> None:
    """Give this transaction's sorts room in memory (PostgreSQL), as batch jobs may."""
    from django.conf import settings

    if is_postgres():
        execute("SELECT set_config('work_mem', %s, true)", [settings.WARDS_RECOMPUTE_WORK_MEM])
        # These statements run in well under a second once planned: compiling them with JIT cost
        # more (hundreds of ms of LLVM emission per statement) than it ever saved.
        execute("SELECT set_config('jit', 'off', true)", [])


def insert_rows(table: str, columns: dict[str, str], rows: list[tuple], *, chunk: int = 1000) -> None:
    """Insert plain tuples; `columns` maps each column to its PostgreSQL type.

    PostgreSQL takes one array per column through `unnest` (one statement, no per-value
    interpolation); elsewhere multi-row INSERTs in chunks under SQLite's parameter limit.
    """
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if is_postgres():
            arrays = ", ".join(f"%s::{pg_type}[]" for pg_type in columns.values())
            values = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in columns]
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})", values)
            return
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), chunk):
            batch = rows[start : start + chunk]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([placeholders] * len(batch))}",
                [value for row in batch for value in row],
            )
