"""Rebuild the ward's voter target lists, each entry with its reason and walking-order position."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from canvass import rules
from wards.elections import selectors as election_selectors
from wards.models import Party, Reason, Segment, TargetListEntry, Ward
from wards.services import sql
from wards.services.locks import wards_lock

ENTRY = TargetListEntry._meta.db_table
FRESH = "target_lists_fresh"  # a temporary table, gone at the end of the rebuild (or its rollback)
SAME_ENTRY = (
    "f.ward_id = e.ward_id AND f.segment = e.segment AND f.voter_id = e.voter_id AND f.position = e.position"
    " AND f.reason = e.reason AND f.household_id = e.household_id"
)
FLAGS = {
    "is_undecided": rules.UNDECIDED,
    "is_leaning_away": rules.LEANING_AWAY,
    "is_split": rules.SPLIT_TICKET,
    "is_probable": rules.LIKELY_SUPPORTER,
    "is_supporter": rules.SUPPORTER,
    "is_promise": rules.PROMISE,
}


def _flags(ours) -> tuple[str, list]:
    """Each candidate's reading as flags, from the rules in canvass/rules.py."""
    columns, params = ["l.voter_id IS NOT NULL AS spoken"], []
    for name, rule in FLAGS.items():
        condition, rule_params = rule.sql("l", ours)
        columns.append(f"{condition} AS {name}")
        params += rule_params
    return ",\n               ".join(columns), params


# Odd side first (parity 1), then back down the even side: one side of the street at a time.
DOOR_ORDER = "h.street, h.house_number IS NULL, h.house_number_parity DESC, h.house_number, h.address, h.id"
# Within a door: the register's order.
VOTER_ORDER = "p.household_id, p.polling_district_id, p.elector_number, p.elector_suffix, p.voter_id"
# A position is the door's place in the ward's walking order (among all its doors, listed or not) times this,
# plus the voter's place among the door's voters on the segment: increasing along the walk, not consecutive. A
# voter joining or leaving a list moves no other door's entries (a dense 1, 2, 3... moved every entry after it,
# and a sync of 300 contacts in a ward rewrote 91-92% of its entries); only a register change that adds or
# removes a door renumbers the doors after it. Room for 9,999 voters a door, and 214,000 doors a ward in the
# integer column (a ward has a few thousand).
DOOR_STEP = 10_000
SEGMENTS = f"""
    SELECT c.*, '{Segment.PERSUADABLE}' AS segment,
           CASE WHEN c.is_undecided THEN '{Reason.UNDECIDED}'
                WHEN c.is_leaning_away THEN '{Reason.LEANING_AWAY}'
                ELSE '{Reason.SPLIT_TICKET}' END AS reason
    FROM candidates c WHERE c.is_undecided OR c.is_leaning_away OR c.is_split
    UNION ALL
    SELECT c.*, '{Segment.SOFT_SUPPORTER}', '{Reason.PROBABLE}' FROM candidates c WHERE c.is_probable
    UNION ALL
    SELECT c.*, '{Segment.NEVER_CONTACTED}', '{Reason.PRIORITY_STREET}'
    FROM candidates c JOIN priority_streets p ON p.ward_id = c.ward_id AND p.street = c.street
    WHERE NOT c.ever_contacted
    UNION ALL
    SELECT c.*, '{Segment.POSTAL_SUPPORTER}', '{Reason.POSTAL_VOTE}'
    FROM candidates c WHERE c.is_supporter AND c.is_postal_voter
    UNION ALL
    SELECT c.*, '{Segment.PROMISE}', '{Reason.PROMISE}' FROM candidates c WHERE c.is_promise"""


def franchises_for(wards) -> dict:
    """Each ward's electors for its lists: those who may vote at the election it follows (an open by-election,
    else the next one scheduled; `wards.elections.selectors.current_elections_for`), council electors when none
    is. Every ward has its entry."""
    elections = election_selectors.current_elections_for(wards=wards)
    return {ward.id: election_selectors.electors_rule(elections.get(ward.id)) for ward in wards}


def _fresh_entries_sql(ward_ids, franchises=None) -> tuple[str, list]:
    ours = Party.objects.filter(is_ours=True).values_list("id", flat=True).first()
    # Wards holding most of the register read every contact in the voter index's order, no sort (the join to the
    # electors keeps their own); a few wards read their voters' contacts alone.
    contact_ids = None if sql.most_of_the_register(ward_ids) else ward_ids
    ctes, params = sql.with_ctes(
        sql.electors_cte(ward_ids, contactable_only=True, franchises=franchises), sql.latest_cte(contact_ids)
    )
    contacts, contacts_params = sql.contacts_source(contact_ids)
    flags, flag_params = _flags(ours)
    off_the_lists, off_params = rules.OFF_THE_LISTS.sql("b")
    doors_where, doors_params = sql.ward_filter("h.polling_district_id", sql.district_ids(ward_ids))
    # Do-not-knock flags and moved-away or deceased outcomes keep a door off every list.
    query = f"""CREATE TEMP TABLE {FRESH} AS
    {ctes},
    contacted AS (SELECT DISTINCT c.voter_id FROM {contacts} WHERE c.voter_id IS NOT NULL),
    candidates AS (
        SELECT e.ward_id, e.voter_id, e.household_id, e.is_postal_voter, e.polling_district_id,
               e.elector_number, e.elector_suffix, h.street, h.house_number, h.house_number_parity, h.address,
               f.voter_id IS NOT NULL AS ever_contacted,
               {flags}
        FROM electors e
        JOIN {sql.HOUSEHOLD} h ON h.id = e.household_id
        LEFT JOIN latest l ON l.voter_id = e.voter_id
        LEFT JOIN contacted f ON f.voter_id = e.voter_id
        -- Anti-joins (not a filter on an aggregate) so the planner estimates the candidates right.
        WHERE NOT EXISTS (
            SELECT 1 FROM {sql.CONTACT} b
            WHERE b.voter_id = e.voter_id AND {off_the_lists}
        ) AND NOT EXISTS (
            SELECT 1 FROM {sql.CONTACT} d
            WHERE d.voter_id IS NULL AND d.household_id = e.household_id AND d.do_not_knock = %s
        )
    ),
    streets AS (
        SELECT ward_id, street,
               COUNT(*) FILTER (WHERE spoken) AS canvassed, COUNT(*) FILTER (WHERE is_supporter) AS supporters
        FROM candidates GROUP BY ward_id, street
    ),
    ward_rates AS (
        SELECT ward_id, SUM(canvassed) AS canvassed, SUM(supporters) AS supporters FROM streets GROUP BY ward_id
    ),
    priority_streets AS (
        -- Streets doing at least as well for us as the ward; every street while nobody is canvassed.
        SELECT s.ward_id, s.street FROM streets s JOIN ward_rates w ON w.ward_id = s.ward_id
        WHERE w.canvassed = 0 OR (s.canvassed > 0 AND s.supporters * w.canvassed >= w.supporters * s.canvassed)
    ),
    picked AS ({SEGMENTS}),
    doors AS (
        -- Every door of the wards in walking order, whoever is listed: the same numbers from one sync to the next.
        SELECT h.id AS household_id, ROW_NUMBER() OVER (PARTITION BY pd.ward_id ORDER BY {DOOR_ORDER}) AS door_rank
        FROM {sql.HOUSEHOLD} h JOIN {sql.DISTRICT} pd ON pd.id = h.polling_district_id
        WHERE 1 = 1{doors_where}
    ),
    numbered AS (
        SELECT p.ward_id, p.segment, p.reason,
               COALESCE(d.door_rank, 0) * {DOOR_STEP} + ROW_NUMBER() OVER (
                   PARTITION BY p.ward_id, p.segment, d.door_rank ORDER BY {VOTER_ORDER}
               ) AS position,
               p.voter_id, p.household_id
        FROM picked p LEFT JOIN doors d ON d.household_id = p.household_id
    )
    SELECT * FROM numbered"""
    return query, [*params, *contacts_params, *flag_params, *off_params, True, *doors_params]


def _delete_changed_entries(ward_ids) -> int:
    # Set-based anti-joins on the analysed temporary table: PostgreSQL hashes them (matching each
    # new row to a current entry inside the CREATE, through the window's positions, it could not).
    where, params = sql.ward_filter("e.ward_id", ward_ids)
    return sql.execute(
        f"DELETE FROM {ENTRY} AS e WHERE 1 = 1{where} AND NOT EXISTS (SELECT 1 FROM {FRESH} f WHERE {SAME_ENTRY})",
        params,
    )


def _insert_entries(ward_ids, built_at, generation: int) -> int:
    """Insert the new rows with no identical entry left (run after `_delete_changed_entries`)."""
    # Drop the kept rows from the temporary table first, so the INSERT never reads the table it
    # writes to (an anti-join there re-scans the pages the same statement is filling: quadratic
    # when the table starts empty and the planner picks a nested loop).
    where, params = sql.ward_filter("e.ward_id", ward_ids)
    sql.execute(f"DELETE FROM {FRESH} AS f WHERE EXISTS (SELECT 1 FROM {ENTRY} e WHERE {SAME_ENTRY}{where})", params)
    columns = "ward_id, segment, reason, position, voter_id, household_id"
    return sql.execute(
        f"INSERT INTO {ENTRY} ({columns}, built_at, generation) SELECT {columns}, %s, %s FROM {FRESH}",
        [built_at, generation],
    )


@transaction.atomic
def target_lists_rebuild_many(*, ward_ids=None) -> int:
    """Bring the target lists of the given wards (all when None) up to date in one transaction.

    The new lists are computed into a temporary table, each row matched to an identical current
    entry where there is one; only the entries that differ are then deleted and inserted, so an
    unchanged list costs no writes (and leaves no dead rows behind).
    Readers keep seeing the previous lists until the commit; a failure part-way rolls back to
    them. The per-ward lock makes a second run wait rather than insert the same entries twice.
    Each ward's lists hold the electors of the election it follows (`franchises_for`): an open by-election
    until its polling day has passed, else the next election scheduled.
    Returns the number of entries inserted.
    """
    queryset = Ward.objects.order_by("id").only("id", "council_id")
    if ward_ids is not None:
        queryset = queryset.filter(id__in=list(ward_ids))
    wards = list(queryset)
    ids = [ward.id for ward in wards]
    wards_lock(ids)
    franchises = franchises_for(wards)
    sql.batch_memory()
    generation = (TargetListEntry.objects.aggregate(last=Max("generation"))["last"] or 0) + 1
    sql.execute(*_fresh_entries_sql(None if ward_ids is None else ids, franchises))
    # The diff's anti-join probes this index whatever the plan: with the entries' statistics stale
    # (e.g. last analysed empty) PostgreSQL picked a nested loop over a seq scan of the new rows,
    # 42M row pairs and 9 s for one ward.
    sql.execute(f"CREATE INDEX {FRESH}_key ON {FRESH} (ward_id, segment, position)", [])
    if sql.is_postgres():
        sql.execute(f"ANALYZE {FRESH}", [])  # temporary tables get no autovacuum statistics: plan with real ones
    _delete_changed_entries(ids)
    inserted = _insert_entries(ids, timezone.now(), generation)
    sql.execute(f"DROP TABLE {FRESH}", [])
    return inserted


def target_lists_rebuild(*, ward: Ward) -> int:
    return target_lists_rebuild_many(ward_ids=[ward.id])
